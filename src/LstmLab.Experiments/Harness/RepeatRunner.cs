using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Training;

namespace LstmLab.Experiments.Harness;

/// <summary>One finished repeat: the configuration, repeat index, its seed and its errors.</summary>
/// <param name="SettingsHash">The configuration's settings hash (<see cref="RepeatIdentity.HashSettings"/>).</param>
public sealed record RepeatResult(string Configuration, int Repeat, long Seed, double Rmse, double Mae, double? Mape, double Seconds, double[] Predictions, string SettingsHash)
{
    /// <summary>The hash of the data values it was computed from (<see cref="RepeatIdentity.HashData"/>).</summary>
    public string? DataHash { get; init; }

    /// <summary>The <see cref="RepeatIdentity.CurrentResultsVersion"/> of the code that computed it.</summary>
    public int ResultsVersion { get; init; }

    /// <summary>Why the repeat failed (training diverged, say), or null when it finished; a failed repeat's errors are NaN.</summary>
    public string? Failure { get; init; }

    /// <summary>Whether the repeat failed.</summary>
    [JsonIgnore]
    public bool Failed => Failure is not null;
}

/// <summary>How to run an experiment.</summary>
/// <param name="OutputDirectory">Where each finished repeat is written (and read back on resume).</param>
/// <param name="Parallel">Repeats running at once (default: all cores).</param>
public sealed record RunSettings(string OutputDirectory, int? Parallel = null)
{
    /// <summary>The output folder's lock when the caller already holds it (it then stays held after the run); else the run takes it.</summary>
    public ResultsFolder? Folder { get; init; }

    /// <summary>
    /// Computes one repeat in place of the walk-forward forecast (a custom workload: a store's worker, or a
    /// test's); it gets the series, the configuration and the repeat's identity, and must use the identity's seed.
    /// </summary>
    public Func<TimeSeries, ExperimentConfiguration, RepeatIdentity, CancellationToken, RepeatResult>? RunRepeat { get; init; }

    /// <summary>Called (from worker threads) after each training epoch of each repeat: configuration, repeat, epoch.</summary>
    public Action<string, int, EpochResult>? OnEpoch { get; init; }
}

/// <summary>
/// Runs every (configuration, repeat) of an experiment in parallel on all cores. Each repeat's seed is
/// derived from (experiment seed, configuration name, repeat index), so results do not depend on the
/// thread count or the order. Each repeat is written to its own file as soon as it ends (write to a
/// uniquely named temporary file, then rename), so an interrupted run started again with the same
/// output folder keeps every finished repeat and runs only the missing ones. A repeat file is counted
/// only when its <see cref="RepeatIdentity"/> (data values, full settings, seed, index, results
/// version) is the one the experiment asks for now; otherwise the run stops and names it. One process
/// at a time holds the folder (<see cref="ResultsFolder"/>). A repeat whose training diverges is
/// recorded as failed, with its reason, and the others go on.
/// </summary>
public static class RepeatRunner
{
    /// <summary>The file, in the output folder, that records what the run was: data, settings, versions (read by <c>experiment compare</c>).</summary>
    public const string ManifestFileName = "experiment.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The repeats already finished (or failed) in <paramref name="outputDirectory"/>, checked against the experiment as it is now.</summary>
    /// <exception cref="InvalidDataException">The folder holds another experiment, or a repeat file cannot be read or does not agree with its name, its index, its seed, the data or the settings.</exception>
    public static IReadOnlyList<RepeatResult> LoadFinished(ExperimentDefinition experiment, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return LoadFinished(experiment, outputDirectory, RepeatIdentity.HashData(experiment.Data.Load()));
    }

    /// <summary>As <see cref="LoadFinished(ExperimentDefinition, string)"/>, for data of hash <paramref name="dataHash"/>.</summary>
    public static IReadOnlyList<RepeatResult> LoadFinished(ExperimentDefinition experiment, string outputDirectory, string dataHash)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        // A folder holds one experiment: another one's repeats, report and manifest are neither counted nor overwritten.
        if (File.Exists(Path.Combine(outputDirectory, ManifestFileName)) && RunManifest.Read(outputDirectory).Experiment is string earlier && earlier != experiment.Name)
        {
            throw new InvalidDataException(
                $"The results folder '{outputDirectory}' holds the results of experiment '{earlier}', not '{experiment.Name}': choose another results folder (--out).");
        }
        var finished = new List<RepeatResult>();
        foreach (ExperimentConfiguration configuration in experiment.Configurations)
        {
            ResultsFolder.CheckName(configuration.Name, "configuration name");
            string folder = Path.Combine(outputDirectory, "repeats", configuration.Name);
            if (!Directory.Exists(folder))
                continue;
            foreach (string file in Directory.EnumerateFiles(folder, "repeat-*.json").Order(StringComparer.Ordinal))
            {
                if (RepeatIdentity.IndexOfFileName(Path.GetFileName(file)) is not int index)
                {
                    throw new InvalidDataException(
                        $"'{file}' is not a name lstmlab gives repeat files (repeat-0000.json, repeat-0001.json, ...): move it out of the results folder.");
                }
                RepeatResult result = Read(file);
                string? mismatch = RepeatIdentity.For(experiment, configuration, index, dataHash).Mismatch(RepeatIdentity.Of(result));
                if (mismatch is not null)
                {
                    throw new InvalidDataException(
                        $"The finished repeat '{file}' cannot be counted: {mismatch}. Nothing was mixed: run into another results folder (--out), " +
                        $"or delete '{Path.Combine(outputDirectory, "repeats")}' to start over{(mismatch.Contains("data", StringComparison.Ordinal) ? ", or restore the data" : "")}.");
                }
                if (result.Repeat < experiment.Repeats)
                    finished.Add(result);
            }
        }
        return finished;
    }

    /// <summary>
    /// Runs the repeats not yet in the output folder and returns all results (old and new, finished and
    /// failed), in configuration and repeat order. <paramref name="onRepeat"/> is called (from worker
    /// threads) as each ends.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; every finished repeat is already on disk.</exception>
    /// <exception cref="IOException">The output folder cannot be written, or another process is using it.</exception>
    public static IReadOnlyList<RepeatResult> Run(ExperimentDefinition experiment, RunSettings settings, Action<RepeatResult>? onRepeat = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(settings);
        int parallel = settings.Parallel ?? Environment.ProcessorCount;
        if (parallel < 1)
            throw new ArgumentException($"Parallel must be at least 1 (got {parallel}).", nameof(settings));
        CheckSize(experiment);
        foreach (ExperimentConfiguration c in experiment.Configurations)
            ResultsFolder.CheckName(c.Name, "configuration name");
        TimeSeries series = experiment.Data.Load();
        string dataHash = RepeatIdentity.HashData(series);
        ResultsFolder? owned = settings.Folder is null ? ResultsFolder.Acquire(settings.OutputDirectory) : null;
        try
        {
            RemoveStaleTemporaries(settings.OutputDirectory);
            var done = LoadFinished(experiment, settings.OutputDirectory, dataHash).ToList();
            WriteManifest(experiment, settings.OutputDirectory, series, dataHash);
            var have = done.Select(r => (r.Configuration, r.Repeat)).ToHashSet();
            var pending = (from c in experiment.Configurations
                           from i in Enumerable.Range(0, experiment.Repeats)
                           where !have.Contains((c.Name, i))
                           select (Configuration: c, Repeat: i)).ToArray();
            var results = new ConcurrentBag<RepeatResult>(done);
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel };
            try
            {
                Parallel.ForEach(pending, options, job =>
                {
                    // Repeats running at once take a core each; one at a time, a repeat's model takes them all.
                    using LstmLab.Numerics.EngineThreads.Scope threads = LstmLab.Numerics.EngineThreads.UseDefault(parallel > 1 ? 1 : null);
                    RepeatResult result = RunRecorded(experiment, series, dataHash, job.Configuration, job.Repeat, settings, cancel);
                    results.Add(result);
                    onRepeat?.Invoke(result);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                throw new OperationCanceledException("The experiment was interrupted.", e, cancel);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // A mistake in the input (the same for every repeat of a configuration): say it once, as thrown.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions.First(x => x is not OperationCanceledException));
                throw;
            }
            var order = experiment.Configurations.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
            return results.OrderBy(r => order[r.Configuration]).ThenBy(r => r.Repeat).ToArray();
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Runs one repeat of one configuration; a diverged training, or a forecast that is not finite, throws.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static RepeatResult RunOne(ExperimentDefinition experiment, TimeSeries series, ExperimentConfiguration configuration, int repeat, CancellationToken cancel = default) =>
        RunOne(experiment, series, configuration, repeat, null, cancel);

    /// <summary>Runs one repeat of one configuration; <paramref name="onEpoch"/> is called after each training epoch.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static RepeatResult RunOne(ExperimentDefinition experiment, TimeSeries series, ExperimentConfiguration configuration, int repeat, Action<EpochResult>? onEpoch, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(configuration);
        RepeatIdentity id = RepeatIdentity.For(experiment, configuration, repeat, RepeatIdentity.HashData(series));
        return RunOne(series, configuration, id, onEpoch, cancel);
    }

    /// <summary>The most repeats (configurations × repeats) one results folder takes: each is a file, and a run lists them all.</summary>
    public const long MaxRepeatsInAll = 1_000_000;

    /// <summary>The number of repeats in all, refused before anything runs when it is more than <see cref="MaxRepeatsInAll"/>.</summary>
    /// <exception cref="ArgumentException">Too many repeats.</exception>
    public static long CheckSize(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        long total = (long)experiment.Configurations.Count * experiment.Repeats;
        if (total > MaxRepeatsInAll)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{experiment.Configurations.Count} configurations × {experiment.Repeats} Repeats is {total} repeats in all, more than the {MaxRepeatsInAll} one results folder takes."), nameof(experiment));
        }
        return total;
    }

    /// <summary>A hash of the settings of a configuration (every setting but the seed).</summary>
    public static string SettingsHash(ExperimentDefinition experiment, ExperimentConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return RepeatIdentity.HashSettings(configuration);
    }

    /// <summary>The failed repeats as CSV: configuration, repeat, seed, reason.</summary>
    public static string FailedCsv(IEnumerable<RepeatResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder("configuration,repeat,seed,reason\n");
        foreach (RepeatResult r in results.Where(r => r.Failed))
            sb.Append(CultureInfo.InvariantCulture, $"{r.Configuration},{r.Repeat},{r.Seed},\"{r.Failure!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        return sb.ToString();
    }

    /// <summary>A result carrying <paramref name="id"/>, for custom workloads (<see cref="RunSettings.RunRepeat"/>).</summary>
    public static RepeatResult ResultFor(RepeatIdentity id, double rmse, double mae, double? mape, double seconds, double[] predictions)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new RepeatResult(id.Configuration, id.Repeat, id.Seed, rmse, mae, mape, seconds, predictions, id.SettingsHash)
        {
            DataHash = id.DataHash,
            ResultsVersion = id.ResultsVersion,
        };
    }

    private static RepeatResult RunOne(TimeSeries series, ExperimentConfiguration configuration, RepeatIdentity id, Action<EpochResult>? onEpoch, CancellationToken cancel)
    {
        ForecastResult forecast = WalkForward.Run(series, configuration.Options with { Seed = id.Seed }, onEpoch, cancel);
        return FlagNonFinite(ResultFor(id, forecast.Rmse, forecast.Mae, forecast.Mape, forecast.Seconds, forecast.Predicted));
    }

    // A prediction that is NaN or infinite although training stayed finite fails the repeat too.
    private static RepeatResult FlagNonFinite(RepeatResult result) => result.Failed || double.IsFinite(result.Rmse) ? result : result with
    {
        Failure = string.Create(CultureInfo.InvariantCulture, $"the forecast is not a finite number (RMSE {result.Rmse}) although the training loss stayed finite"),
    };

    // One repeat, recorded: a divergence (the seed's fate, the same on every run) is saved as a failed
    // repeat; any other unexpected failure is reported as failed for this run but not saved, so a
    // resume tries it again. A mistake in the input propagates: it would fail every repeat alike.
    private static RepeatResult RunRecorded(ExperimentDefinition experiment, TimeSeries series, string dataHash, ExperimentConfiguration configuration, int repeat,
        RunSettings settings, CancellationToken cancel)
    {
        RepeatIdentity id = RepeatIdentity.For(experiment, configuration, repeat, dataHash);
        RepeatResult result;
        bool save = true;
        try
        {
            result = settings.RunRepeat is { } custom ? FlagNonFinite(custom(series, configuration, id, cancel)) : RunOne(series, configuration, id,
                    settings.OnEpoch is { } f ? e => f(configuration.Name, repeat, e) : null, cancel);
            if (RepeatIdentity.Of(result).Mismatch(id) is string wrong)
                throw new InvalidOperationException($"The repeat computed for '{id.Configuration}' #{id.Repeat} does not carry its identity: {wrong}.");
        }
        catch (TrainingDivergedException e)
        {
            result = FailedResult(id, e.Message);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ArgumentException or DataFormatException or InvalidDataException or IOException))
        {
            result = FailedResult(id, $"{e.GetType().Name}: {e.Message} (not saved: a resume runs this repeat again)");
            save = false;
        }
        if (save)
            Save(settings.OutputDirectory, result);
        return result;
    }

    private static RepeatResult FailedResult(RepeatIdentity id, string reason) =>
        new(id.Configuration, id.Repeat, id.Seed, double.NaN, double.NaN, null, 0, [], id.SettingsHash)
        {
            DataHash = id.DataHash,
            ResultsVersion = id.ResultsVersion,
            Failure = reason,
        };

    private static RepeatResult Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<RepeatResult>(File.ReadAllText(file), Json) is { Configuration: not null } r
                ? r with { SettingsHash = r.SettingsHash ?? "" }
                : throw new JsonException("it holds no repeat");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The finished repeat '{file}' cannot be read ({e.Message}): delete it to run that repeat again.", e);
        }
    }

    private static void Save(string outputDirectory, RepeatResult result)
    {
        string folder = Path.Combine(outputDirectory, "repeats", result.Configuration);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, RepeatIdentity.FileNameOf(result.Repeat)), JsonSerializer.Serialize(result, Json));
    }

    private static void WriteManifest(ExperimentDefinition experiment, string outputDirectory, TimeSeries series, string dataHash)
    {
        string path = Path.Combine(outputDirectory, ManifestFileName);
        var manifest = new RunManifest(
            experiment.Name,
            experiment.Source,
            series.Source,
            dataHash,
            RepeatIdentity.CurrentResultsVersion,
            experiment.Seed,
            experiment.Configurations.Select(c => new RunManifestConfiguration(c.Name, RepeatIdentity.HashSettings(c),
                RepeatIdentity.FullSettings(c).ToDictionary(p => p.Key, p => p.Value))).ToArray());
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(manifest, Json));
    }

    // Temporary files of a process that was killed between writing and renaming; no one else writes
    // here while this process holds the folder.
    private static void RemoveStaleTemporaries(string outputDirectory)
    {
        string repeats = Path.Combine(outputDirectory, "repeats");
        if (!Directory.Exists(repeats))
            return;
        foreach (string temp in Directory.EnumerateFiles(repeats, "*" + AtomicFile.TemporarySuffix, SearchOption.AllDirectories))
            File.Delete(temp);
    }
}

/// <summary>Writes files so that a reader sees the old file or the whole new one, never half of it.</summary>
public static class AtomicFile
{
    /// <summary>How the names of the temporary files end.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/> (named after this
    /// process and a random number, so no two writers share one), flushes it, then renames it over
    /// <paramref name="path"/>. On failure the temporary file is removed and <paramref name="path"/> is untouched.
    /// </summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temp = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Nothing more can be done; the original error says what went wrong.
            }
            catch (UnauthorizedAccessException)
            {
            }
            throw;
        }
    }
}
