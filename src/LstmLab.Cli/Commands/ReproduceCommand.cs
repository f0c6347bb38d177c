using System.CommandLine;
using System.Diagnostics;
using LstmLab.Experiments.Reproduce;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab reproduce</c>: every seed tutorial's headline result in one run and one report.</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Results folder; run again with the same folder to resume.", DefaultValueFactory = _ => Path.Combine("lstmlab-results", "reproduce") };
        var trials = new Option<int>("--trials") { Description = "Seeds of the memory demonstration, its MLP and each echo variant.", DefaultValueFactory = _ => 20 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats of each seed 001 configuration (the tutorial ran 10).", DefaultValueFactory = _ => 30 };
        var memoryEpochs = new Option<int>("--memory-epochs") { Description = "Training epochs of the memory demonstration and its MLP (the tutorial's 250).", DefaultValueFactory = _ => 250 };
        var shampooEpochs = new Option<int?>("--shampoo-epochs") { Description = "Training epochs of seed 001's configurations (default: the tutorial's 1000)." };
        var echoEpochs = new Option<int?>("--echo-epochs") { Description = "Training epochs of every echo variant (default: the tutorial's 500, 2000 and 2000)." };
        var longTrials = new Option<int>("--long-trials") { Description = "Seeds of seed 000's long-sequence run (P = 100, the README's recipe); 0 leaves it out.", DefaultValueFactory = _ => 20 };
        var longEpochs = new Option<int>("--long-epochs") { Description = "Most epochs of a long-sequence trial (each stops when solved).", DefaultValueFactory = _ => 1500 };
        var seed = CommonOptions.Seed("First seed of every section.");
        var parallel = CommonOptions.Parallel("Trials and repeats");
        var json = CommonOptions.Json();
        var command = new Command("reproduce",
            "Run the headline result of each seed tutorial (memory, stateful vs stateless forecasting, echo) and write one report: the tutorial's numbers next to ours, with what they mean.")
        {
            output, trials, repeats, memoryEpochs, shampooEpochs, echoEpochs, longTrials, longEpochs, seed, parallel, json,
        };
        command.SetAction(parse => Guard(() =>
        {
            var plan = new ReproducePlan
            {
                MemoryTrials = parse.GetValue(trials),
                MlpTrials = parse.GetValue(trials),
                EchoTrials = parse.GetValue(trials),
                ShampooRepeats = parse.GetValue(repeats),
                MemoryEpochs = parse.GetValue(memoryEpochs),
                ShampooEpochs = parse.GetValue(shampooEpochs),
                EchoEpochs = parse.GetValue(echoEpochs),
                LongTrials = parse.GetValue(longTrials),
                LongEpochs = parse.GetValue(longEpochs),
                Seed = parse.GetValue(seed),
            };
            if (parse.GetValue(trials) < 1)
                throw new ArgumentException($"--trials must be at least 1 (got {parse.GetValue(trials)}).");
            if (parse.GetValue(repeats) < 2)
                throw new ArgumentException($"--repeats must be at least 2, to have a spread (got {parse.GetValue(repeats)}).");
            if (plan.LongTrials < 0)
                throw new ArgumentException($"--long-trials must be 0 (left out) or more (got {plan.LongTrials}).");
            foreach ((string name, int? value) in new[] { ("--memory-epochs", (int?)plan.MemoryEpochs), ("--shampoo-epochs", plan.ShampooEpochs), ("--echo-epochs", plan.EchoEpochs), ("--long-epochs", plan.LongEpochs) })
            {
                if (value is < 1)
                    throw new ArgumentException($"{name} must be at least 1 (got {value}).");
            }
            return Run(plan, parse.GetValue(output)!, parse.GetValue(parallel), parse.GetValue(json));
        }));
        return command;
    }

    private static int Run(ReproducePlan plan, string output, int parallel, bool json)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Console.Error.WriteLine(F($"Reproducing the seed tutorials: {plan}; {parallel} at once; results in {output}"));
            var clock = Stopwatch.StartNew();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var display = new Display();
            ReproduceResults results;
            try
            {
                results = ReproduceRunner.Run(plan, output, parallel, display.Show, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine(F($"Interrupted: every finished trial and repeat is kept in {output}. Run the same command again to run only the missing ones."));
                return 130;
            }
            display.Finish();
            var timing = new RunTiming(clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, parallel);
            var report = new ReproduceReport(results, timing);
            report.WriteAll(output);
            foreach (Headline h in report.Headlines)
            {
                Console.WriteLine(h.Result);
                Console.WriteLine("  tutorial: " + h.Tutorial);
                Console.WriteLine("  LstmLab:  " + h.Ours);
            }
            Console.WriteLine(F($"Wall time {timing.WallSeconds:F1} s, CPU time {timing.CpuSeconds:F1} s; {results.Reused} trials and repeats reused from an earlier run."));
            Console.WriteLine(F($"Report: {Path.Combine(output, "report.html")} (and report.md)"));
            if (json)
            {
                WriteJsonLine(new
                {
                    Command = "reproduce",
                    Out = output,
                    Report = Path.Combine(output, "report.html"),
                    timing.WallSeconds,
                    timing.CpuSeconds,
                    results.Reused,
                    Headlines = report.Headlines,
                });
            }
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// The one progress display: a bar redrawn in place on a terminal, or, when standard error is redirected,
    /// a line per section and per tenth of the work. Thread-safe.
    /// </summary>
    private sealed class Display
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private string _section = "";
        private int _decile = -1;
        private long _lastDraw;
        private ReproduceProgress? _last;

        public void Show(ReproduceProgress p)
        {
            lock (_gate)
            {
                _last = p;
                int decile = (int)(p.Fraction * 10);
                if (_interactive)
                {
                    if (p.Section == _section && _clock.ElapsedMilliseconds - _lastDraw < 100)
                        return;
                    _lastDraw = _clock.ElapsedMilliseconds;
                    Console.Error.Write("\r" + Render(p).PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 100, 140)));
                }
                else if (p.Section != _section || decile != _decile)
                {
                    Console.Error.WriteLine(Render(p));
                }
                _section = p.Section;
                _decile = decile;
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                if (_last is not null)
                    Console.Error.WriteLine((_interactive ? "\r" : "") + Render(_last with { Fraction = 1, Section = "done" }));
            }
        }

        private string Render(ReproduceProgress p)
        {
            const int Width = 30;
            int filled = (int)Math.Round(p.Fraction * Width);
            double elapsed = _clock.Elapsed.TotalSeconds;
            string eta = p.Fraction is > 0.02 and < 1 ? F($", ETA {elapsed / p.Fraction - elapsed:F0} s") : "";
            string reused = p.Reused > 0 ? F($" ({p.Reused} reused)") : "";
            return F($"reproduce [{new string('#', filled)}{new string('-', Width - filled)}] {p.Fraction:P0} {p.Section}, {p.ItemsDone}/{p.ItemsTotal} done{reused}, {elapsed:F1} s{eta}");
        }
    }
}
