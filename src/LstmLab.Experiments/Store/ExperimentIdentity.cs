using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using LstmLab.Data;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>
/// What makes two experiments the same: the normalised definition (name, description, repeats, seed,
/// every configuration's full settings), the content of the data (not its path) and the tool's version.
/// Its hash is the experiment's id in the store, so a changed definition is a new experiment, never mixed
/// with the old one.
/// </summary>
public static class ExperimentIdentity
{
    /// <summary>The tool's version as it affects results (the assembly's informational version without build metadata).</summary>
    public static string ToolVersion { get; } = ReadToolVersion();

    /// <summary>SHA-256 (hex) of a series' values (their IEEE 754 bits; every column of its frame when it has covariates) and labels.</summary>
    public static string DataHash(TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bytes = stackalloc byte[8];
        // With covariates the whole frame (every column, in order) determines the results, not only the target.
        IReadOnlyList<double[]> columns = series.Frame is { } frame ? [.. Enumerable.Range(0, frame.Width).Select(i => frame.Series(i).Values)] : [series.Values];
        foreach (double[] column in columns)
        {
            foreach (double v in column)
            {
                BitConverter.TryWriteBytes(bytes, BitConverter.DoubleToInt64Bits(v));
                hash.AppendData(bytes);
            }
            hash.AppendData([0xff]);
        }
        for (int i = 0; i < series.Length; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(series.LabelAt(i)));
            hash.AppendData([0]);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>The normalised text of everything that determines an experiment's results and report.</summary>
    public static string Canonical(ExperimentDefinition experiment, string dataHash)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var sb = new StringBuilder();
        sb.Append("name: ").Append(experiment.Name).Append('\n');
        sb.Append("description: ").Append(experiment.Description ?? "~").Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"repeats: {experiment.Repeats}\nseed: {experiment.Seed}\n");
        sb.Append("data: ").Append(dataHash).Append('\n');
        // Every reading setting (columns, targets, delimiter, ...), but not the path: the content is hashed above.
        sb.Append("reading: ").Append((experiment.Data with { Data = "" }).ToString()).Append('\n');
        sb.Append("tool: ").Append(ToolVersion).Append('\n');
        foreach (ExperimentConfiguration c in experiment.Configurations)
        {
            // LossEvery (added later) at its default leaves the text as it was, so experiments recorded before keep their ids;
            // a thinned loss curve is recorded differently, so it is another experiment.
            string options = (c.Options with { Seed = 0 }).ToString();
            if (c.Options.LossEvery == 1)
                options = options.Replace(", LossEvery = 1 }", " }", StringComparison.Ordinal);
            sb.Append("configuration ").Append(c.Name).Append(": ").Append(options).Append('\n');
            sb.Append("settings ").Append(c.Name).Append(": ").Append(string.Join("; ", c.Settings.Select(s => s.Key + "=" + s.Value))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The experiment's id: the first 16 hex digits of the SHA-256 of its canonical text.</summary>
    public static string Id(string canonical) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16].ToLowerInvariant();

    /// <summary>
    /// The record of an experiment about to be run or submitted: loads its data, hashes it, and keeps the
    /// data file's text (so workers elsewhere read the same values) and the definition as written.
    /// </summary>
    /// <param name="definitionText">The experiment file's text; null to read it from <c>Source</c> (or the built-in's YAML).</param>
    /// <param name="repeats">The <c>--repeats</c> override that made <paramref name="experiment"/> from the file, if any.</param>
    /// <param name="epochs">The <c>--epochs</c> override, if any.</param>
    /// <exception cref="DataFormatException">The data cannot be read.</exception>
    public static (ExperimentRecord Record, TimeSeries Series) Describe(ExperimentDefinition experiment, string? definitionText = null, int? repeats = null, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        TimeSeries series = experiment.Data.Load();
        string dataHash = DataHash(series);
        string canonical = Canonical(experiment, dataHash);
        bool isFile = File.Exists(experiment.Data.Data);
        string? content = isFile ? File.ReadAllText(experiment.Data.Data) : null;
        definitionText ??= ReadDefinition(experiment);
        string? overrides = repeats is null && epochs is null ? null
            : string.Concat(
                repeats is int r ? string.Create(CultureInfo.InvariantCulture, $"repeats={r}\n") : "",
                epochs is int e ? string.Create(CultureInfo.InvariantCulture, $"epochs={e}\n") : "");
        var record = new ExperimentRecord(
            Id(canonical), experiment.Name, experiment.Description, definitionText, overrides, canonical, experiment.Source,
            experiment.Configurations.Select(c => c.Name).ToArray(), experiment.Repeats, experiment.Seed,
            isFile ? Path.GetFileName(experiment.Data.Data) : experiment.Data.Data, content, dataHash, ToolVersion,
            DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return (record, series);
    }

    private static string ReadDefinition(ExperimentDefinition experiment)
    {
        const string builtin = "builtin:";
        if (experiment.Source.StartsWith(builtin, StringComparison.Ordinal))
            return BuiltinExperiments.Yaml(experiment.Source[builtin.Length..]);
        return File.Exists(experiment.Source) ? File.ReadAllText(experiment.Source) : experiment.Source;
    }

    private static string ReadToolVersion()
    {
        string? version = typeof(ExperimentIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ExperimentIdentity).Assembly.GetName().Version?.ToString();
        version ??= "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return "lstmlab " + (plus >= 0 ? version[..plus] : version);
    }
}
