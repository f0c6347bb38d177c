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
            string? output = parse.GetValue(Out);
            if (output is null)
            {
                // The name becomes a path only once it is known to be one folder name.
                ResultsFolder.CheckName(definition.Name, "experiment name");
                output = Path.Combine("lstmlab-results", definition.Name);
            }
            return RunAndReport(definition, output, parse.GetValue(Parallel), parse.GetValue(Json), repeats: parse.GetValue(Repeats), epochs: parse.GetValue(Epochs));
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
        var allowDifferent = new Option<bool>("--allow-different-settings")
        {
            Description = "Compare runs even if their data, results version or same-named configurations' settings differ; the report then lists the differences first.",
        };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compare the results of earlier runs (their results.csv): describe() table, tests, box plot. Refuses runs whose data or settings differ unless --allow-different-settings.")
        {
            dirs, output, allowDifferent, json,
        };
        command.SetAction(parse => Guard(() =>
        {
            string[] folders = parse.GetValue(dirs)!;
            string? preface = SettingsDifferences(folders, parse.GetValue(allowDifferent));
            string? failures = FailedInFolders(folders);
            if (failures is not null)
                preface = preface is null ? failures : preface + " " + failures;
            if (preface is not null)
                Console.WriteLine(preface + Environment.NewLine);
            ExperimentReport report = ExperimentReport.Compare(folders, preface);
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

    // "Failed repeats: 2 in A, 1 in B (left out; see their failed.csv)", or null when none failed.
    private static string? FailedInFolders(string[] folders)
    {
        var counts = folders
            .Select(f => (Folder: f, Path: Path.Combine(f, "failed.csv")))
            .Where(x => File.Exists(x.Path))
            .Select(x => (x.Folder, Count: File.ReadLines(x.Path).Skip(1).Count(l => l.Length > 0)))
            .Where(x => x.Count > 0)
            .ToArray();
        return counts.Length == 0 ? null
            : "Failed repeats: " + string.Join(", ", counts.Select(c => F($"{c.Count} in {c.Folder}"))) + " (left out of every statistic; see their failed.csv).";
    }

    // Null when the runs agree; else refuses, or (allowed) returns the differences to put first in the report.
    private static string? SettingsDifferences(string[] folders, bool allow)
    {
        var runs = new List<(string, RunManifest)>();
        foreach (string folder in folders)
        {
            try
            {
                runs.Add((folder, RunManifest.Read(folder)));
            }
            catch (InvalidDataException e) when (allow)
            {
                Warning(e.Message + " Compared anyway (--allow-different-settings).");
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException(e.Message + " Pass --allow-different-settings to compare it anyway.", e);
            }
        }
        IReadOnlyList<string> differences = RunManifest.Differences(runs);
        if (differences.Count == 0)
            return null;
        if (!allow)
        {
            throw new InvalidDataException(
                $"The runs were made with different settings, so their results are not comparable as they stand: {string.Join("; ", differences)}. " +
                "Pass --allow-different-settings to compare them anyway (the report then lists these differences first).");
        }
        return "Settings differ between the compared runs (compared anyway, --allow-different-settings): " + string.Join("; ", differences) + ".";
    }

    /// <summary>Runs the experiment into <paramref name="output"/> and reports; <paramref name="runRepeat"/> replaces the forecast of each repeat (tests).</summary>
    internal static int RunAndReport(ExperimentDefinition definition, string output, int parallel, bool json,
        Func<LstmLab.Data.TimeSeries, ExperimentConfiguration, RepeatIdentity, CancellationToken, RepeatResult>? runRepeat = null, int? repeats = null, int? epochs = null)
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
            if (parallel < 1)
                throw new ArgumentException($"--parallel must be at least 1 (got {parallel}).");
            long total = RepeatRunner.CheckSize(definition);
            // The folder is checked and locked before anything is trained: a file in its place, a folder
            // that cannot be written or one another run is using is refused now, not at the end.
            using ResultsFolder folder = ResultsFolder.Acquire(output);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int already = RepeatRunner.LoadFinished(definition, output).Count;
            Console.Error.WriteLine(F($"Experiment {definition.Name}: {definition.Configurations.Count} configurations x {definition.Repeats} repeats, {parallel} at once; results in {output}"));
            if (already > 0)
                Console.Error.WriteLine(F($"Resuming: {already} of {total} repeats are already finished there (checked against the data and settings in {clock.Elapsed.TotalSeconds:F2} s)."));
            var bar = new ProgressBar("Repeats", total);
            bar.Advance(already);
            IReadOnlyList<RepeatResult> results;
            try
            {
                results = LocalStoreRun.Run(definition, new RunSettings(output, parallel) { Folder = folder, RunRepeat = runRepeat },
                    r => bar.Advance(1, r.Failed ? F($"last: {r.Configuration} #{r.Repeat} FAILED") : F($"last: {r.Configuration} #{r.Repeat} RMSE {r.Rmse:F3}")), repeats, epochs, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                int kept = RepeatRunner.LoadFinished(definition, output).Count;
                Console.Error.WriteLine(F($"Interrupted: {kept} of {total} repeats are finished and kept in {output}. Run the same command again to run only the missing ones."));
                return Interrupted;
            }
            RepeatResult[] failed = results.Where(r => r.Failed).ToArray();
            string failedCsv = Path.Combine(output, "failed.csv");
            if (failed.Length > 0)
                AtomicFile.WriteAllText(failedCsv, RepeatRunner.FailedCsv(failed));
            else if (File.Exists(failedCsv))
                File.Delete(failedCsv);
            foreach (RepeatResult f in failed)
                Warning(F($"repeat {f.Repeat} of {f.Configuration} (seed {f.Seed}) failed: {f.Failure}"));
            if (failed.Length == results.Count)
            {
                Error(F($"all {results.Count} repeats failed, so there is nothing to report; the reasons are in {failedCsv}."));
                return Diverged;
            }
            ExperimentReport report = LocalStoreRun.Report(definition, results, output, repeats, epochs);
            LocalStoreRun.RecordArtifacts(definition, output, report.WriteAll(output), repeats, epochs);
            Console.Write(report.ConsoleText());
            Console.WriteLine($"Results in {output}: results.db, report.html, report.md, summary.csv, results.csv, comparisons.csv, sem.csv, boxplot.svg{(failed.Length > 0 ? ", failed.csv" : "")}");
            if (json)
                WriteJsonLine(ToJson(report, output, clock.Elapsed.TotalSeconds));
            return failed.Length > 0 ? Diverged : Ok;
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
        Failed = report.Failed.Count,
        FailedRepeats = report.Failed.Select(f => new { f.Configuration, f.Repeat, f.Seed, Reason = f.Failure }),
        Configurations = report.Rmse.ToDictionary(kv => kv.Key, kv =>
        {
            Summary s = report.Describe[kv.Key];
            return (object)new { s.Count, s.Mean, Std = s.StandardDeviation, s.Min, Q1 = s.Q1, Median = s.Median, Q3 = s.Q3, s.Max, Rmse = kv.Value };
        }),
        Baselines = report.Baselines.Select(b => new
        {
            b.Name,
            b.Label,
            Rmse = double.IsFinite(b.Rmse) ? b.Rmse : (double?)null,
            Mae = double.IsFinite(b.Mae) ? b.Mae : (double?)null,
            b.Mape,
            b.Unavailable,
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
