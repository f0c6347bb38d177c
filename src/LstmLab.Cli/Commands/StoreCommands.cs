using System.CommandLine;
using LstmLab.Experiments.Distributed;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>lstmlab experiment submit|status|report|export</c>: experiments in a results store, run by
/// <c>lstmlab worker</c> processes on any number of machines.
/// </summary>
internal static class StoreCommands
{
    /// <summary>Adds submit, status, report and export to the <c>experiment</c> command.</summary>
    public static void AddTo(Command experiment)
    {
        experiment.Subcommands.Add(CreateSubmit());
        experiment.Subcommands.Add(CreateStatus());
        experiment.Subcommands.Add(CreateReport());
        experiment.Subcommands.Add(CreateExport());
    }

    /// <summary><c>--store</c>: a PostgreSQL connection string or a SQLite file; default <c>$LSTMLAB_STORE</c>.</summary>
    public static Option<string?> StoreOption() => new("--store")
    {
        Description = $"The results store: a PostgreSQL connection string (\"Host=…;Port=…;Database=…;Username=…\") or a results.db file (default: ${ResultsStore.EnvironmentVariable}).",
    };

    /// <summary>Opens the store named by <c>--store</c> or the environment.</summary>
    public static ResultsStore OpenStore(ParseResult parse, Option<string?> option, bool shared)
    {
        string? text = parse.GetValue(option) ?? Environment.GetEnvironmentVariable(ResultsStore.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException(shared
                ? $"--store: name the shared PostgreSQL store (\"Host=…;Database=…\") or set {ResultsStore.EnvironmentVariable}."
                : $"--store: name the results store (a PostgreSQL connection string, or OUT/{LocalStoreRun.FileName} of a local run) or set {ResultsStore.EnvironmentVariable}.");
        }
        bool connectionString = ResultsStore.LooksLikeConnectionString(text);
        if (shared && !connectionString)
            throw new ArgumentException($"--store: '{text}' is a SQLite file; workers share a PostgreSQL store (\"Host=…;Database=…\"). On one machine use `lstmlab experiment run`.");
        if (!connectionString && !File.Exists(text))
            throw new FileNotFoundException($"--store: '{text}' is neither a PostgreSQL connection string nor an existing results file.", text);
        return ResultsStore.Open(text);
    }

    private static Command CreateSubmit()
    {
        var file = new Argument<string>("FILE") { Description = "The experiment file (YAML)." };
        var store = StoreOption();
        var repeats = new Option<int?>("--repeats") { Description = "Repeats per configuration (overrides the file; recorded with the experiment)." };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs of every configuration (overrides the file; recorded with the experiment)." };
        var json = CommonOptions.Json();
        var command = new Command("submit", "Store an experiment (definition and data) in a shared store and queue every unit not done yet, for `lstmlab worker`.") { file, store, repeats, epochs, json };
        command.SetAction(parse => Guard(() =>
        {
            string path = parse.GetValue(file)!;
            ExperimentDefinition definition = ExperimentFile.Load(path).With(parse.GetValue(repeats), parse.GetValue(epochs));
            using var opened = (PostgresResultsStore)OpenStore(parse, store, shared: true);
            SubmitResult result = Submitter.Submit(opened, definition, File.ReadAllText(path), parse.GetValue(repeats), parse.GetValue(epochs));
            ExperimentRecord e = result.Experiment;
            Console.WriteLine(F($"Experiment {e.Name} (id {e.Id}, {(result.IsNew ? "new" : "submitted before")}): {e.UnitCount} units; {result.Done} done, {result.Waiting} already queued or running, {result.Enqueued} enqueued now{(result.Retried > 0 ? F($" ({result.Retried} had failed before)") : "")}."));
            var others = opened.Versions(e.Name).Where(v => v.Id != e.Id).ToArray();
            if (others.Length > 0)
                Console.WriteLine(F($"The store also holds {others.Length} other version(s) of {e.Name} ({string.Join(", ", others.Select(o => o.Id))}): another definition, data or tool version, kept apart."));
            Console.WriteLine(F($"Follow it with: lstmlab experiment status {e.Name} --watch"));
            if (parse.GetValue(json))
                WriteJsonLine(new { Experiment = e.Name, e.Id, result.IsNew, Units = e.UnitCount, result.Done, result.Waiting, result.Enqueued, result.Retried });
            return 0;
        }));
        return command;
    }

    private static Command CreateStatus()
    {
        var name = new Argument<string>("NAME") { Description = "The experiment's name (the newest version), NAME@ID, or its id." };
        var store = StoreOption();
        var watch = new Option<bool>("--watch") { Description = "Refresh until every unit has ended (Ctrl+C stops watching)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes with --watch.", DefaultValueFactory = _ => 2 };
        var json = CommonOptions.Json();
        var command = new Command("status", "Show an experiment's units: done, running, failed, queued, a progress bar and the ETA.") { name, store, watch, interval, json };
        command.SetAction(parse => Guard(() =>
        {
            if (parse.GetValue(interval) is var seconds && !(seconds > 0))
                throw new ArgumentException($"--interval must be more than 0 seconds (got {seconds}).");
            using ResultsStore opened = OpenStore(parse, store, shared: false);
            ExperimentRecord e = opened.FindExperiment(parse.GetValue(name)!);
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, args) =>
            {
                args.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                int drawn = 0;
                while (true)
                {
                    UnitCounts counts = opened.Counts(e.Id);
                    string text = StatusText.Of(e, counts, DateTimeOffset.UtcNow);
                    if (drawn > 0 && !Console.IsOutputRedirected)
                        Console.Write(F($"\u001b[{drawn}F\u001b[J"));
                    Console.Write(text);
                    drawn = text.Count(ch => ch == '\n');
                    bool finished = counts.Queued + counts.Running == 0;
                    if (!parse.GetValue(watch) || finished || cancel.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(parse.GetValue(interval))))
                    {
                        if (parse.GetValue(json))
                            WriteJsonLine(new { Experiment = e.Name, e.Id, Units = e.UnitCount, counts.Done, counts.Running, counts.Failed, counts.Queued, counts.TrainSeconds, counts.UnitSeconds });
                        return 0;
                    }
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return command;
    }

    private static Command CreateReport()
    {
        var name = new Argument<string>("NAME") { Description = "The experiment's name (the newest version), NAME@ID, or its id." };
        var store = StoreOption();
        var output = new Option<string>("--out") { Description = "Folder for the summary, box plot, comparisons and report.", Required = true };
        var partial = new Option<bool>("--partial") { Description = "Report the units done so far even while others are queued or running." };
        var json = CommonOptions.Json();
        var command = new Command("report", "Write an experiment's summary, box plot, comparisons and report from the store, as a local run writes them.") { name, store, output, partial, json };
        command.SetAction(parse => Guard(() =>
        {
            using ResultsStore opened = OpenStore(parse, store, shared: false);
            ExperimentRecord e = opened.FindExperiment(parse.GetValue(name)!);
            if (CommandRecord.IsCommandRun(e))
                throw new ArgumentException($"{e.Name}@{e.Id} records a run of `{e.Definition}`, not an experiment file, so it has no repeats report: read it with `lstmlab experiment status` or `lstmlab experiment export`.");
            UnitCounts counts = opened.Counts(e.Id);
            if (counts.Queued + counts.Running > 0 && !parse.GetValue(partial))
            {
                throw new InvalidDataException(F(
                    $"{e.Name}: {counts.Queued + counts.Running} of {e.UnitCount} units are not finished (queued {counts.Queued}, running {counts.Running}); wait (`lstmlab experiment status {e.Name} --watch`) or pass --partial."));
            }
            if (counts.Failed > 0)
                Console.Error.WriteLine(F($"warning: {counts.Failed} of {e.UnitCount} units failed and are not in the report; `lstmlab experiment export {e.Name}` lists their errors."));
            IReadOnlyList<RepeatResult> results = opened.Results(e.Id);
            if (results.Count == 0)
                throw new InvalidDataException($"{e.Name}: no unit is done yet, nothing to report.");
            // The report reads the data again (its persistence baseline): from the store's copy, not the original path.
            string scratch = Path.Combine(Path.GetTempPath(), "lstmlab-report-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ExperimentReport report;
            try
            {
                report = StoreReport.For(opened, e, StoredDefinition.Rebuild(e, StoredDefinition.WriteData(e, scratch)), results, StoredDefinition.SubmittedDataPath(e));
            }
            finally
            {
                if (Directory.Exists(scratch))
                    Directory.Delete(scratch, recursive: true);
            }
            string dir = parse.GetValue(output)!;
            IReadOnlyList<string> files = report.WriteAll(dir);
            if (opened.IsShared)
            {
                foreach (string f in files)
                    opened.PutArtifact(e.Id, Path.GetFileName(f), f, Path.GetFullPath(f));
            }
            Console.Write(report.ConsoleText());
            Console.WriteLine($"Report of {e.Name} (id {e.Id}) in {dir}: report.html, report.md, summary.csv, results.csv, comparisons.csv, sem.csv, boxplot.svg");
            if (parse.GetValue(json))
                WriteJsonLine(new { Experiment = e.Name, e.Id, Out = dir, Done = results.Count, counts.Failed });
            return 0;
        }));
        return command;
    }

    private static Command CreateExport()
    {
        var name = new Argument<string>("NAME") { Description = "The experiment's name (the newest version), NAME@ID, or its id." };
        var store = StoreOption();
        var output = new Option<string>("--out") { Description = "Folder for experiments, units, metrics and artifacts as .csv and .parquet.", Required = true };
        var command = new Command("export", "Write an experiment's rows of the store's tables as CSV and Parquet (for pandas, DuckDB).") { name, store, output };
        command.SetAction(parse => Guard(() =>
        {
            using ResultsStore opened = OpenStore(parse, store, shared: false);
            ExperimentRecord e = opened.FindExperiment(parse.GetValue(name)!);
            string dir = parse.GetValue(output)!;
            IReadOnlyList<string> files = StoreExport.Write(opened, e.Id, dir);
            Console.WriteLine($"Exported {e.Name} (id {e.Id}) to {dir}: {string.Join(", ", files.Select(Path.GetFileName))}");
            return 0;
        }));
        return command;
    }
}
