using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
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

    /// <summary>
    /// Parses and runs <paramref name="args"/>; returns the exit code: 0 ok, 2 bad input or usage (one
    /// <c>error:</c> line, no help dump), 3 training diverged or repeats failed, 70 a bug, 130 interrupted.
    /// </summary>
    public static int Run(string[] args)
    {
        // No response files: "@name" is an argument like any other, not a file of arguments to read.
        ParseResult parse = CreateRootCommand().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // ParseErrorAction is what System.CommandLine would run for a parse error (errors plus the
        // whole help text, exit code 1); --help and --version replace it even when there are errors.
        if (parse.Action is ParseErrorAction)
        {
            CliOutput.Error(ParseErrors.Describe(parse));
            return CliOutput.BadInput;
        }
        CliOutput.Command = parse.CommandResult.Command;
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return CliOutput.Guard(() => parse.Invoke(invocation));
    }
}
