using System.CommandLine;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab run NAME</c>: the seed tutorials' experiments, one command each.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var run = new Command("run", "Run one of the tutorials' experiments.");
        run.Subcommands.Add(MemoryCommand.Create());
        run.Subcommands.Add(EchoCommand.Create());
        run.Subcommands.Add(ShampooCommand.Create());
        run.Subcommands.Add(LongLagCommand.Create());
        return run;
    }
}
