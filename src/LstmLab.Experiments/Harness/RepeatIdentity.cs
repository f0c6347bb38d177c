using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// What a repeat's results depend on, by content: its configuration and index, the seed derived from
/// them, a hash of the data values (not the file's path or name), a hash of the configuration's full
/// settings, and <see cref="CurrentResultsVersion"/>. Two repeats with equal identities give the same
/// numbers; a repeat file whose identity differs from the one the experiment asks for now is never
/// counted (see <see cref="Mismatch"/>). <see cref="Key"/> is the whole identity in one string, for stores.
/// </summary>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Repeat">The 0-based repeat index.</param>
/// <param name="Seed">The repeat's seed, derived from (experiment seed, configuration, repeat).</param>
/// <param name="DataHash">SHA-256 (hex, 16 digits) of the series' values (<see cref="HashData"/>).</param>
/// <param name="SettingsHash">SHA-256 (hex, 16 digits) of every setting but the seed (<see cref="HashSettings"/>).</param>
/// <param name="ResultsVersion">The version of the code's numbers that made it.</param>
public sealed record RepeatIdentity(string Configuration, int Repeat, long Seed, string DataHash, string SettingsHash, int ResultsVersion)
{
    /// <summary>
    /// The version of the numbers this code computes. Raise it with any change to the engine, the
    /// walk-forward or the harness that changes any repeat's results, so that results computed before
    /// are refused on resume instead of pooled with new ones.
    /// </summary>
    public const int CurrentResultsVersion = 1;

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The whole identity as one 32-digit hex string (a store's key).</summary>
    public string Key => Hash(string.Join('\n', Configuration, Repeat.ToString(CultureInfo.InvariantCulture), Seed.ToString(CultureInfo.InvariantCulture),
        DataHash, SettingsHash, ResultsVersion.ToString(CultureInfo.InvariantCulture)), 32);

    /// <summary>The file name of the repeat inside its configuration's folder: <c>repeat-0007.json</c>.</summary>
    public string FileName => FileNameOf(Repeat);

    /// <summary>The identity repeat <paramref name="repeat"/> of <paramref name="configuration"/> has when run on data of hash <paramref name="dataHash"/>.</summary>
    public static RepeatIdentity For(ExperimentDefinition experiment, ExperimentConfiguration configuration, int repeat, string dataHash)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(configuration);
        return new RepeatIdentity(configuration.Name, repeat, experiment.RepeatSeed(configuration.Name, repeat), dataHash, HashSettings(configuration), CurrentResultsVersion);
    }

    /// <summary>The identity a repeat result carries.</summary>
    public static RepeatIdentity Of(RepeatResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RepeatIdentity(result.Configuration, result.Repeat, result.Seed, result.DataHash ?? "", result.SettingsHash ?? "", result.ResultsVersion);
    }

    /// <summary>The file name of repeat <paramref name="repeat"/>: <c>repeat-0007.json</c>.</summary>
    public static string FileNameOf(int repeat) => string.Create(CultureInfo.InvariantCulture, $"repeat-{repeat:D4}.json");

    /// <summary>The repeat index a file name written by <see cref="FileNameOf"/> stands for, or null for any other name.</summary>
    public static int? IndexOfFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        const string prefix = "repeat-", suffix = ".json";
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(suffix, StringComparison.Ordinal))
            return null;
        string digits = fileName[prefix.Length..^suffix.Length];
        return digits.Length >= 4 && digits.All(char.IsAsciiDigit) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && FileNameOf(i) == fileName ? i : null;
    }

    /// <summary>
    /// A hash of the values the forecast reads: the series' values (their float64 bits, in order) and
    /// their count, and, for a series of several columns, every column of its frame in order and how many
    /// of them are targets. Labels, column names and the file's form do not enter it.
    /// </summary>
    public static string HashData(TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        double[][] columns = series.Frame is { } frame ? frame.Columns : [series.Values];
        int targets = series.Frame is null ? 1 : series.FrameTargets;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var eight = new byte[8];
        void Add(long n)
        {
            BinaryPrimitives.WriteInt64LittleEndian(eight, n);
            hash.AppendData(eight);
        }
        Add(columns.Length);
        Add(targets);
        foreach (double[] column in columns)
        {
            Add(column.Length);
            foreach (double v in column)
                Add(BitConverter.DoubleToInt64Bits(v));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>
    /// The settings added after results version 1 was first written (the second session's model and training
    /// settings): left out of <see cref="FullSettings"/> while they hold their defaults, so that a results folder made
    /// before they existed keeps its identity, and in the hash as soon as one is changed.
    /// </summary>
    private static readonly string[] AddedLater =
        ["layers", "bidirectional", "optimizer", "learning_rate", "clip_norm", "clip_value", "global_clip_norm", "loss", "validation_split", "early_stopping"];

    private static readonly Dictionary<string, string> Defaults = JsonSerializer.SerializeToElement(new ForecastOptions(), SettingsJson)
        .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);

    /// <summary>
    /// Every setting of a configuration but its seed, as snake_case key → value (JSON text), sorted by key; a setting
    /// added after results version 1 appears only when it differs from its default.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FullSettings(ExperimentConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        JsonElement element = JsonSerializer.SerializeToElement(configuration.Options, SettingsJson);
        IEnumerable<KeyValuePair<string, string>> pairs = element.EnumerateObject()
            .Where(p => p.Name is not ("seed" or "threads" or "loss_every")) // threads: bit-identical results whatever the count; loss_every: what is recorded only
            .Where(p => !(AddedLater.Contains(p.Name) && Defaults.TryGetValue(p.Name, out string? d) && d == p.Value.GetRawText()))
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
        // A stateful multi-step forecast now starts from the trained state (it rebuilt the state from zero before), so
        // only those configurations' results changed: their identity changes with them, every other one stays.
        if (configuration.Options.Stateful && configuration.Options.Horizon > 1)
            pairs = pairs.Append(new KeyValuePair<string, string>("multi_step_state", "trained"));
        return pairs
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>A hash of <see cref="FullSettings"/>: every setting but the seed, so a changed default or a new setting changes it too.</summary>
    public static string HashSettings(ExperimentConfiguration configuration) =>
        Hash(string.Concat(FullSettings(configuration).Select(p => p.Key + "=" + p.Value + "\n")), 16);

    /// <summary>
    /// Why a repeat file identified as <paramref name="found"/> cannot stand for this identity, in words
    /// (what differs, then and now), or null when it can.
    /// </summary>
    public string? Mismatch(RepeatIdentity found)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (found.Configuration != Configuration)
            return $"it holds configuration '{found.Configuration}', not '{Configuration}' (was it moved or copied by hand?)";
        if (found.Repeat != Repeat)
            return string.Create(CultureInfo.InvariantCulture, $"it holds repeat {found.Repeat}, not repeat {Repeat} as its name says (was it renamed or copied by hand?)");
        if (found.ResultsVersion != ResultsVersion)
            return string.Create(CultureInfo.InvariantCulture, $"it was computed by a version of lstmlab whose numbers differ (results version {found.ResultsVersion}; this one is {ResultsVersion})");
        if (found.DataHash != DataHash)
            return $"it was computed from other data: the series' values have changed since (data hash {Shown(found.DataHash)} then, {DataHash} now)";
        if (found.SettingsHash != SettingsHash)
            return $"it was made with other settings for configuration '{Configuration}' than the experiment now asks for (settings hash {Shown(found.SettingsHash)} then, {SettingsHash} now)";
        if (found.Seed != Seed)
            return string.Create(CultureInfo.InvariantCulture, $"it was made with seed {found.Seed}, but repeat {Repeat} of '{Configuration}' now has seed {Seed} (has the experiment's seed changed?)");
        return null;
    }

    private static string Shown(string hash) => hash.Length == 0 ? "none recorded" : hash;

    private static string Hash(string text, int digits) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..digits].ToLowerInvariant();
}
