using System.Collections.Concurrent;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>
/// A local <c>experiment run</c> through the embedded store: every repeat is recorded in
/// <c>OUT/results.db</c> (SQLite, WAL) with its per-epoch loss as it ends, and the results the report is
/// written from are read back from the store. The repeat files of <see cref="RepeatRunner"/> stay the
/// resume journal: a repeat found there but not in the store (a run killed between the two writes, or
/// one made before the store existed) is recorded on the next run.
/// </summary>
public static class LocalStoreRun
{
    /// <summary>The store's file name inside the output folder.</summary>
    public const string FileName = "results.db";

    /// <summary>Runs the missing repeats as <see cref="RepeatRunner.Run"/> does, recording each into the store; returns all results as read from the store.</summary>
    /// <param name="repeats">The <c>--repeats</c> override that made <paramref name="experiment"/>, recorded with it.</param>
    /// <param name="epochs">The <c>--epochs</c> override, recorded with it.</param>
    /// <exception cref="OperationCanceledException">Cancelled; every finished repeat is on disk and in the store.</exception>
    public static IReadOnlyList<RepeatResult> Run(ExperimentDefinition experiment, RunSettings settings, Action<RepeatResult>? onRepeat = null,
        int? repeats = null, int? epochs = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(settings);
        using ResultsStore store = ResultsStore.Open(Path.Combine(settings.OutputDirectory, FileName));
        ExperimentRecord record = Register(store, experiment, repeats, epochs);
        var index = experiment.Configurations.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var stored = store.Units(record.Id).Where(u => u.State == UnitState.Done).Select(u => (u.Configuration, u.Repeat)).ToHashSet();
        foreach (RepeatResult missing in RepeatRunner.LoadFinished(experiment, settings.OutputDirectory).Where(r => !stored.Contains((r.Configuration, r.Repeat))))
            Record(store, new UnitKey(record.Id, missing.Configuration, missing.Repeat), index[missing.Configuration], missing, [], ResultsStore.Now(), ResultsStore.Now());

        var losses = new ConcurrentDictionary<(string, int), List<double>>();
        Action<string, int, EpochResult>? outer = settings.OnEpoch;
        RunSettings recording = settings with
        {
            OnEpoch = (configuration, repeat, epoch) =>
            {
                losses.GetOrAdd((configuration, repeat), _ => []).Add(epoch.Loss);
                outer?.Invoke(configuration, repeat, epoch);
            },
        };
        IReadOnlyList<RepeatResult> run = RepeatRunner.Run(experiment, recording, result =>
        {
            var key = (result.Configuration, result.Repeat);
            losses.TryRemove(key, out List<double>? l);
            DateTimeOffset finished = DateTimeOffset.UtcNow;
            string start = finished.AddSeconds(-result.Seconds).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            Record(store, new UnitKey(record.Id, result.Configuration, result.Repeat), index[result.Configuration], result, l ?? [], start,
                finished.ToString("O", System.Globalization.CultureInfo.InvariantCulture), experiment.Configurations[index[result.Configuration]].Options.LossEvery);
            onRepeat?.Invoke(result);
        }, cancel);

        // The store holds the finished repeats' results; a failed repeat (kept with its reason as a failed
        // unit) has none, so it comes from the run, in the run's order.
        RepeatResult[] done = store.Results(record.Id).Where(r => r.Repeat < experiment.Repeats).ToArray();
        RepeatResult[] failed = run.Where(r => r.Failed).ToArray();
        if (done.Length + failed.Length != run.Count)
        {
            throw new InvalidDataException(
                $"The results store {store.Description} holds {done.Length} finished repeats of experiment {record.Id}, but the run has {run.Count - failed.Length}; delete it to rebuild it from the repeat files.");
        }
        return done.Concat(failed).OrderBy(r => index[r.Configuration]).ThenBy(r => r.Repeat).ToArray();
    }

    // A finished repeat is completed with its metrics; a failed one is recorded as a failed unit with its reason.
    private static void Record(ResultsStore store, UnitKey key, int configIndex, RepeatResult result, IReadOnlyList<double> losses, string started, string finished, int lossEvery = 1)
    {
        if (result.Failed)
            store.FailUnit(key, configIndex, result.Seed, result.SettingsHash, result.Failure!, Worker, started, finished);
        else
            store.CompleteUnit(key, configIndex, result, losses, Worker, started, finished, lossEvery);
    }

    /// <summary>
    /// The report of a run made into <paramref name="outputDirectory"/>: its provenance names the day its last repeat
    /// finished and the machine it ran on, as the store recorded them (<see cref="StoreReport"/>).
    /// </summary>
    public static ExperimentReport Report(ExperimentDefinition experiment, IReadOnlyList<RepeatResult> results, string outputDirectory, int? repeats = null, int? epochs = null)
    {
        using ResultsStore store = ResultsStore.Open(Path.Combine(outputDirectory, FileName));
        return StoreReport.For(store, Register(store, experiment, repeats, epochs), experiment, results);
    }

    /// <summary>Records the files a report wrote as the experiment's artifacts.</summary>
    public static void RecordArtifacts(ExperimentDefinition experiment, string outputDirectory, IEnumerable<string> files, int? repeats = null, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        using ResultsStore store = ResultsStore.Open(Path.Combine(outputDirectory, FileName));
        ExperimentRecord record = Register(store, experiment, repeats, epochs);
        foreach (string file in files)
            store.PutArtifact(record.Id, Path.GetFileName(file), file, Path.GetRelativePath(outputDirectory, file));
    }

    private static ExperimentRecord Register(ResultsStore store, ExperimentDefinition experiment, int? repeats, int? epochs)
    {
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, null, repeats, epochs).Record;
        store.PutExperiment(record);
        return record;
    }

    private static string Worker => "local:" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
