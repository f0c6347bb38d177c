using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Experiments.Harness;

/// <summary>One finished repeat: the configuration, repeat index, its seed and its errors.</summary>
public sealed record RepeatResult(string Configuration, int Repeat, long Seed, double Rmse, double Mae, double? Mape, double Seconds, double[] Predictions, string SettingsHash);

/// <summary>How to run an experiment.</summary>
/// <param name="OutputDirectory">Where each finished repeat is written (and read back on resume).</param>
/// <param name="Parallel">Repeats running at once (default: all cores).</param>
public sealed record RunSettings(string OutputDirectory, int? Parallel = null)
{
    /// <summary>Called (from worker threads) after each training epoch of each repeat: configuration, repeat, epoch.</summary>
    public Action<string, int, EpochResult>? OnEpoch { get; init; }
}

/// <summary>
/// Runs every (configuration, repeat) of an experiment in parallel on all cores. Each repeat's seed is
/// derived from (experiment seed, configuration name, repeat index), so results do not depend on the
/// thread count or the order. Each repeat is written to its own file as soon as it ends (write to a
/// temporary file, then rename), so an interrupted run started again with the same output folder keeps
/// every finished repeat and runs only the missing ones. A repeat file made with other settings is
/// never mixed in: the run stops and says so.
/// </summary>
public static class RepeatRunner
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The repeats already finished in <paramref name="outputDirectory"/> with the current settings.</summary>
    /// <exception cref="InvalidDataException">A finished repeat was made with different settings.</exception>
    public static IReadOnlyList<RepeatResult> LoadFinished(ExperimentDefinition experiment, string outputDirectory)
    {
        var finished = new List<RepeatResult>();
        foreach (ExperimentConfiguration configuration in experiment.Configurations)
        {
            string hash = SettingsHash(experiment, configuration);
            string folder = Path.Combine(outputDirectory, "repeats", configuration.Name);
            if (!Directory.Exists(folder))
                continue;
            foreach (string file in Directory.EnumerateFiles(folder, "repeat-*.json").Order(StringComparer.Ordinal))
            {
                RepeatResult result;
                try
                {
                    result = JsonSerializer.Deserialize<RepeatResult>(File.ReadAllText(file), Json)
                        ?? throw new InvalidDataException("empty file");
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"Finished repeat '{file}' cannot be read ({e.Message}); delete it to run that repeat again.", e);
                }
                if (result.SettingsHash != hash)
                {
                    throw new InvalidDataException(
                        $"'{file}' was made with other settings for configuration '{configuration.Name}' than the experiment now asks for. " +
                        "Use another --out folder, or delete that folder's results to start over.");
                }
                if (result.Repeat < experiment.Repeats)
                    finished.Add(result);
            }
        }
        return finished;
    }

    /// <summary>
    /// Runs the repeats not yet in the output folder and returns all results (old and new), in
    /// configuration and repeat order. <paramref name="onRepeat"/> is called (from worker threads) as each ends.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; every finished repeat is already on disk.</exception>
    public static IReadOnlyList<RepeatResult> Run(ExperimentDefinition experiment, RunSettings settings, Action<RepeatResult>? onRepeat = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(settings);
        int parallel = settings.Parallel ?? Environment.ProcessorCount;
        if (parallel < 1)
            throw new ArgumentException($"--parallel must be at least 1 (got {parallel}).");
        TimeSeries series = experiment.Data.Load();
        Directory.CreateDirectory(settings.OutputDirectory);
        var done = LoadFinished(experiment, settings.OutputDirectory).ToList();
        var have = done.Select(r => (r.Configuration, r.Repeat)).ToHashSet();
        var pending = (from c in experiment.Configurations
                       from i in Enumerable.Range(0, experiment.Repeats)
                       where !have.Contains((c.Name, i))
                       select (Configuration: c, Repeat: i)).ToArray();
        var results = new System.Collections.Concurrent.ConcurrentBag<RepeatResult>(done);
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel };
        try
        {
            Parallel.ForEach(pending, options, job =>
            {
                Action<EpochResult>? onEpoch = settings.OnEpoch is { } f ? e => f(job.Configuration.Name, job.Repeat, e) : null;
                RepeatResult result = RunOne(experiment, series, job.Configuration, job.Repeat, onEpoch, cancel);
                Save(settings.OutputDirectory, result);
                results.Add(result);
                onRepeat?.Invoke(result);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            throw new OperationCanceledException("The experiment was interrupted.", e, cancel);
        }
        var order = experiment.Configurations.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return results.OrderBy(r => order[r.Configuration]).ThenBy(r => r.Repeat).ToArray();
    }

    /// <summary>Runs one repeat of one configuration.</summary>
    public static RepeatResult RunOne(ExperimentDefinition experiment, TimeSeries series, ExperimentConfiguration configuration, int repeat, CancellationToken cancel = default) =>
        RunOne(experiment, series, configuration, repeat, null, cancel);

    /// <summary>Runs one repeat of one configuration; <paramref name="onEpoch"/> is called after each training epoch.</summary>
    public static RepeatResult RunOne(ExperimentDefinition experiment, TimeSeries series, ExperimentConfiguration configuration, int repeat, Action<EpochResult>? onEpoch, CancellationToken cancel = default)
    {
        long seed = experiment.RepeatSeed(configuration.Name, repeat);
        ForecastResult forecast = WalkForward.Run(series, configuration.Options with { Seed = seed }, onEpoch, cancel);
        return new RepeatResult(configuration.Name, repeat, seed, forecast.Rmse, forecast.Mae, forecast.Mape, forecast.Seconds, forecast.Predicted,
            SettingsHash(experiment, configuration));
    }

    /// <summary>A short hash of everything that determines a configuration's results except the repeat index.</summary>
    public static string SettingsHash(ExperimentDefinition experiment, ExperimentConfiguration configuration)
    {
        string canonical = string.Join('\n',
            experiment.Data.ToString(),
            experiment.Seed.ToString(CultureInfo.InvariantCulture),
            configuration.Name,
            (configuration.Options with { Seed = 0 }).ToString());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16].ToLowerInvariant();
    }

    private static void Save(string outputDirectory, RepeatResult result)
    {
        string folder = Path.Combine(outputDirectory, "repeats", result.Configuration);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"repeat-{result.Repeat:D4}.json"));
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, Json));
    }
}

/// <summary>Writes files so that a reader sees the old file or the whole new one, never half of it.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/>, flushes it, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        string temp = path + "." + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
