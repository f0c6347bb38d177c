using System.Text.Json;

namespace LstmLab.Experiments.Harness;

/// <summary>One configuration of a run as recorded: its name, settings hash and every setting but the seed.</summary>
public sealed record RunManifestConfiguration(string Name, string SettingsHash, IReadOnlyDictionary<string, string> Settings);

/// <summary>
/// What a run was, written to <c>experiment.json</c> in its results folder: the experiment, the data
/// (where from and the hash of its values), the results version, the seed and each configuration's
/// full settings. <c>experiment compare</c> reads it to refuse comparing runs that differ in more
/// than their configurations' names.
/// </summary>
public sealed record RunManifest(string Experiment, string Source, string Data, string DataHash, int ResultsVersion, long Seed,
    IReadOnlyList<RunManifestConfiguration> Configurations)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reads the manifest of the run in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">There is none (an older lstmlab wrote the folder), or it cannot be read.</exception>
    public static RunManifest Read(string directory)
    {
        string path = Path.Combine(directory, RepeatRunner.ManifestFileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException(
                $"'{directory}' has no {RepeatRunner.ManifestFileName} (it was written by an older lstmlab, or is not a results folder), so the settings of its runs cannot be checked.");
        }
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Json) is { Configurations: not null, DataHash: not null } m
                ? m
                : throw new JsonException("it holds no run");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// How the runs differ in what must be equal for their results to be compared: the data's values,
    /// the results version, and the settings of configurations that have the same name. One line per
    /// difference, e.g. <c>stateful.epochs: 10 (a), 20 (b)</c>; empty when they agree.
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<(string Name, RunManifest Manifest)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var lines = new List<string>();
        if (runs.Select(r => r.Manifest.DataHash).Distinct(StringComparer.Ordinal).Count() > 1)
            lines.Add("data: " + string.Join(", ", runs.Select(r => $"{r.Manifest.Data} with values hash {r.Manifest.DataHash} ({r.Name})")));
        if (runs.Select(r => r.Manifest.ResultsVersion).Distinct().Count() > 1)
            lines.Add("results version: " + string.Join(", ", runs.Select(r => $"{r.Manifest.ResultsVersion} ({r.Name})")));
        var names = runs.SelectMany(r => r.Manifest.Configurations.Select(c => c.Name)).Distinct(StringComparer.Ordinal);
        foreach (string name in names)
        {
            var holders = runs.Select(r => (r.Name, Config: r.Manifest.Configurations.FirstOrDefault(c => c.Name == name))).Where(x => x.Config is not null).ToArray();
            if (holders.Length < 2 || holders.Select(h => h.Config!.SettingsHash).Distinct(StringComparer.Ordinal).Count() == 1)
                continue;
            var keys = holders.SelectMany(h => h.Config!.Settings.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            bool any = false;
            foreach (string key in keys)
            {
                string[] values = holders.Select(h => h.Config!.Settings.TryGetValue(key, out string? v) ? v : "(not set)").ToArray();
                if (values.Distinct(StringComparer.Ordinal).Count() == 1)
                    continue;
                lines.Add($"{name}.{key}: " + string.Join(", ", holders.Select((h, i) => $"{values[i]} ({h.Name})")));
                any = true;
            }
            if (!any)
                lines.Add($"{name}: settings hash " + string.Join(", ", holders.Select(h => $"{h.Config!.SettingsHash} ({h.Name})")));
        }
        return lines;
    }
}
