using System.CommandLine;
using System.CommandLine.Help;
using LstmLab.Cli.Commands;

namespace LstmLab.Cli;

/// <summary>The <c>lstmlab</c> command line: a thin layer over LstmLab.Experiments.</summary>
public static class CliApp
{
    /// <summary>Builds the command tree. The root is named "lstmlab" whatever the executable is called.</summary>
    public static Command CreateRootCommand()
    {
        var root = new Command("lstmlab", "LstmLab: build, train and study LSTM networks for sequence prediction and time-series forecasting.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ForecastCommand.Create());
        root.Subcommands.Add(BacktestCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(DashboardCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (0 ok, 1 bad usage, 2 bad input).</summary>
    public static int Run(string[] args) => CreateRootCommand().Parse(args).Invoke();
}
