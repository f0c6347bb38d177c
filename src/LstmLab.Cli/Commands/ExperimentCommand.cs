using System.CommandLine;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Statistics;
using LstmLab.Experiments.Store;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab experiment run|list|show|compare</c>: repeated experiments with statistics and reports.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var experiment = new Command("experiment", "Repeated experiments: run an experiment file, list and show the built-in ones, compare earlier runs.");
        experiment.Subcommands.Add(CreateRun());
        experiment.Subcommands.Add(CreateList());
        experiment.Subcommands.Add(CreateShow());
        experiment.Subcommands.Add(CreateCompare());
        StoreCommands.AddTo(experiment);
        return experiment;
    }

    /// <summary>The options shared by <c>experiment run</c> and <c>run shampoo</c>.</summary>
    internal sealed class RunOptions
    {
        public Option<int?> Repeats { get; } = new("--repeats") { Description = "Repeats per configuration (overrides the file)." };
        public Option<int?> Epochs { get; } = new("--epochs") { Description = "Training epochs of every configuration (overrides the file)." };
        public Option<int> Parallel { get; } = CommonOptions.Parallel("Repeats");
        public Option<string?> Out { get; } = new("--out") { Description = "Results folder (default: lstmlab-results/NAME). Run again with the same folder to resume." };
        public Option<bool> Json { get; } = CommonOptions.Json();

        public void AddTo(Command command)
        {
            foreach (Option o in new Option[] { Repeats, Epochs, Parallel, Out, Json })
                command.Options.Add(o);
        }

        public int Execute(ParseResult parse, ExperimentDefinition definition)
        {
            definition = definition.With(parse.GetValue(Repeats), parse.GetValue(Epochs));
            string output = parse.GetValue(Out) ?? Path.Combine("lstmlab-results", definition.Name);
            return RunAndReport(definition, output, parse.GetValue(Parallel), parse.GetValue(Json), parse.GetValue(Repeats), parse.GetValue(Epochs));
        }
    }

    private static Command CreateRun()
    {
        var file = new Argument<string>("FILE") { Description = "The experiment file (YAML); see `lstmlab experiment show NAME` for examples." };
        var options = new RunOptions();
        var command = new Command("run", "Run an experiment file: every configuration, repeated, with statistics, box plot and report.") { file };
        options.AddTo(command);
        command.SetAction(parse => Guard(() => options.Execute(parse, ExperimentFile.Load(parse.GetValue(file)!))));
        return command;
    }

    private static Command CreateList()
    {
        var command = new Command("list", "List the built-in experiments (seed tutorial 001's).");
        command.SetAction(_ => Guard(() =>
        {
            foreach (string name in BuiltinExperiments.Names)
            {
                ExperimentDefinition d = BuiltinExperiments.Load(name);
                Console.WriteLine(F($"{name,-24}{string.Join(", ", d.Configurations.Select(c => c.Name))}  ({d.Repeats} repeats)"));
            }
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("NAME") { Description = "A built-in experiment's name." };
        var command = new Command("show", "Print a built-in experiment's YAML, to copy and change.") { name };
        command.SetAction(parse => Guard(() =>
        {
            Console.Write(BuiltinExperiments.Yaml(parse.GetValue(name)!));
            return 0;
        }));
        return command;
    }

    private static Command CreateCompare()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Results folders of earlier runs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Also write the combined summary, box plot, comparisons and report to this folder." };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compare the results of earlier runs (their results.csv): describe() table, tests, box plot.") { dirs, output, json };
        command.SetAction(parse => Guard(() =>
        {
            ExperimentReport report = ExperimentReport.Compare(parse.GetValue(dirs)!);
            Console.Write(report.ConsoleText());
            if (parse.GetValue(output) is string o)
            {
                report.WriteAll(o);
                Console.WriteLine($"Written to {o}: report.html, report.md, summary.csv, comparisons.csv, boxplot.svg");
            }
            if (parse.GetValue(json))
                WriteJsonLine(ToJson(report, parse.GetValue(output), 0));
            return 0;
        }));
        return command;
    }

    private static int RunAndReport(ExperimentDefinition definition, string output, int parallel, bool json, int? repeats = null, int? epochs = null)
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
            int total = definition.Configurations.Count * definition.Repeats;
            int already = RepeatRunner.LoadFinished(definition, output).Count;
            Console.Error.WriteLine(F($"Experiment {definition.Name}: {definition.Configurations.Count} configurations x {definition.Repeats} repeats, {parallel} at once; results in {output}"));
            if (already > 0)
                Console.Error.WriteLine(F($"Resuming: {already} of {total} repeats are already finished there."));
            var bar = new ProgressBar("Repeats", total);
            bar.Advance(already);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<RepeatResult> results;
            try
            {
                results = LocalStoreRun.Run(definition, new RunSettings(output, parallel), r => bar.Advance(1, F($"last: {r.Configuration} #{r.Repeat} RMSE {r.Rmse:F3}")), repeats, epochs, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                int kept = RepeatRunner.LoadFinished(definition, output).Count;
                Console.Error.WriteLine(F($"Interrupted: {kept} of {total} repeats are finished and kept in {output}. Run the same command again to run only the missing ones."));
                return 130;
            }
            ExperimentReport report = ExperimentReport.For(definition, results);
            LocalStoreRun.RecordArtifacts(definition, output, report.WriteAll(output), repeats, epochs);
            Console.Write(report.ConsoleText());
            Console.WriteLine($"Results in {output}: results.db, report.html, report.md, summary.csv, results.csv, comparisons.csv, sem.csv, boxplot.svg");
            if (json)
                WriteJsonLine(ToJson(report, output, clock.Elapsed.TotalSeconds));
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static object ToJson(ExperimentReport report, string? output, double seconds) => new
    {
        Experiment = report.Title,
        Out = output,
        Seconds = seconds,
        Configurations = report.Rmse.ToDictionary(kv => kv.Key, kv =>
        {
            Summary s = report.Describe[kv.Key];
            return (object)new { s.Count, s.Mean, Std = s.StandardDeviation, s.Min, Q1 = s.Q1, Median = s.Median, Q3 = s.Q3, s.Max, Rmse = kv.Value };
        }),
        Comparisons = report.Comparisons.Comparisons.Select(c => new
        {
            c.First,
            c.Second,
            c.MeanDifference,
            CiLow = c.Welch.CiLower,
            CiHigh = c.Welch.CiUpper,
            HolmCiLevel = c.HolmInterval.ConfidenceLevel,
            HolmCiLow = c.HolmInterval.CiLower,
            HolmCiHigh = c.HolmInterval.CiUpper,
            WelchP = c.Welch.PValue,
            WelchHolm = c.WelchHolm,
            MannWhitneyP = c.MannWhitney.PValue,
            MannWhitneyHolm = c.MannWhitneyHolm,
            c.Significant,
            c.Sentence,
        }),
    };
}
