using System.CommandLine;
using System.Runtime.InteropServices;
using LstmLab.Experiments.Distributed;
using LstmLab.Experiments.Store;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab worker</c>: takes units from the shared store's queue until stopped.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var store = StoreCommands.StoreOption();
        var threads = new Option<int>("--threads") { Description = "Units run at once in this process (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var lease = new Option<double>("--lease")
        {
            Description = "Seconds a unit stays leased without renewal; renewed while it runs, so a killed worker's unit is retried after about this long.",
            DefaultValueFactory = _ => JobQueue.DefaultLease.TotalSeconds,
        };
        var command = new Command("worker", "Run units of submitted experiments from a shared PostgreSQL store until stopped (Ctrl+C or SIGTERM).") { store, threads, lease };
        command.SetAction(parse => Guard(() =>
        {
            if (parse.GetValue(lease) is var seconds && !(seconds >= 5))
                throw new ArgumentException($"--lease must be at least 5 seconds (got {seconds}).");
            using var opened = (PostgresResultsStore)StoreCommands.OpenStore(parse, store, shared: true);
            using var stop = new CancellationTokenSource();
            using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            var gate = new Lock();
            WorkerHost.Run(opened, new WorkerSettings(parse.GetValue(threads), TimeSpan.FromSeconds(seconds)), line =>
            {
                lock (gate)
                    Console.WriteLine(line);
            }, stop.Token);
            return 0;
        }));
        return command;
    }
}
