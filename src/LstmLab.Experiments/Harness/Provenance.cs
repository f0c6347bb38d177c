using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LstmLab.Data;
using LstmLab.Numerics;

namespace LstmLab.Experiments.Harness;

/// <summary>A data set a report was made from: what it is, how long, and a hash of its content.</summary>
/// <param name="Name">The data as the user named it (<c>shampoo</c>, a file path).</param>
/// <param name="Rows">Observations in the loaded series.</param>
/// <param name="Sha256">SHA-256 (hex) of <paramref name="HashOf"/>.</param>
/// <param name="HashOf">What was hashed: "the file's bytes" or "the built-in CSV text".</param>
public sealed record DataProvenance(string Name, int Rows, string Sha256, string HashOf)
{
    /// <summary>Describes <paramref name="source"/>: a file is hashed byte for byte, a built-in data set by its CSV text.</summary>
    /// <exception cref="DataFormatException">The data cannot be loaded.</exception>
    public static DataProvenance Of(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        TimeSeries series = source.Load();
        if (File.Exists(source.Data))
            return new DataProvenance(source.Data, series.Length, Hash(File.ReadAllBytes(source.Data)), "the file's bytes");
        string name = source.Data.Equals("shampoo", StringComparison.OrdinalIgnoreCase) ? Datasets.ShampooSalesName : source.Data;
        return new DataProvenance(name + " (built in)", series.Length, Hash(Encoding.UTF8.GetBytes(Datasets.GetCsv(name))), "the built-in CSV text");
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}

/// <summary>Named settings: one configuration's settings, or one section's.</summary>
public sealed record NamedSettings(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>The machine a report was made on.</summary>
/// <param name="Cpu">The processor's model name where the OS tells it (Linux /proc/cpuinfo), else null.</param>
/// <param name="InstructionSets">Which of AVX-512F, AVX2 and FMA this process may use (System.Runtime.Intrinsics).</param>
/// <param name="KernelPath">
/// The path the engine's instruction-set switch (<c>Numerics/Isa.cs</c>, <see cref="KernelPaths.Selected"/>) selected for
/// every kernel: AVX-512, AVX2 or scalar.
/// </param>
public sealed record MachineInfo(string Os, string Architecture, int Cores, string? Cpu, string Runtime, string InstructionSets, string KernelPath)
{
    /// <summary>
    /// Which kernel paths this machine can run (natively, emulated, or not, with why), as the switch says
    /// (<see cref="KernelPaths.Runnable"/>); null in a provenance.json written before it was recorded.
    /// </summary>
    public string? RunnablePaths { get; init; }

    /// <summary>This machine, as this process sees it (environment switches such as DOTNET_EnableAVX512=0 included).</summary>
    public static MachineInfo Current()
    {
        string isa = string.Join(", ",
            "AVX-512F " + (Avx512F.IsSupported ? "yes" : "no"),
            "AVX2 " + (Avx2.IsSupported ? "yes" : "no"),
            "FMA " + (Fma.IsSupported ? "yes" : "no"));
        // The kernels' path is what the engine's one switch selected, not a second guess from the flags.
        return new MachineInfo(RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount,
            CpuModel(), RuntimeInformation.FrameworkDescription, isa, KernelPaths.Selected)
        {
            RunnablePaths = KernelPaths.Runnable,
        };
    }

    private static string? CpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo"))
                return null;
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? null : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// What produced a report, so a reader can trust it and run it again: the run's settings (every setting that
/// differs from the defaults and the ones that matter whatever their value), the data and its content hash,
/// LstmLab's version and the git commit it was built from, the date, and the machine with its instruction
/// sets. Rendered the same way in every report (<see cref="ToMarkdown"/>, <see cref="ToHtml"/>) and saved
/// beside the results (<c>provenance.json</c>) so that a later comparison can show it.
/// </summary>
/// <param name="Run">Run-wide settings in display order, e.g. experiment, repeats, experiment seed.</param>
/// <param name="Configurations">Per configuration (or section), its settings.</param>
/// <param name="Data">The data sets used.</param>
/// <param name="Version">LstmLab's version.</param>
/// <param name="Commit">The git commit LstmLab was built from (embedded at build time), or null when built outside git.</param>
/// <param name="Date">When the report was made (UTC).</param>
/// <param name="Machine">The machine.</param>
public sealed record Provenance(
    IReadOnlyList<KeyValuePair<string, string>> Run,
    IReadOnlyList<NamedSettings> Configurations,
    IReadOnlyList<DataProvenance> Data,
    string Version,
    string? Commit,
    DateTimeOffset Date,
    MachineInfo Machine)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>
    /// LstmLab's informational version, e.g. <c>0.1.0+3f2c…</c>: the SDK appends the commit (SourceRevisionId,
    /// read from the repository by Source Link) when building from a git checkout.
    /// </summary>
    public static string InformationalVersion { get; } =
        typeof(Sequential).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Sequential).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Records a run made now on this machine by this build.</summary>
    public static Provenance Capture(IEnumerable<KeyValuePair<string, string>> run, IEnumerable<NamedSettings> configurations, IEnumerable<DataProvenance> data) =>
        Capture(run, configurations, data, DateTimeOffset.UtcNow, MachineInfo.Current());

    /// <summary>Records a run made by this build on <paramref name="date"/> on <paramref name="machine"/> (as a results store recorded them).</summary>
    public static Provenance Capture(IEnumerable<KeyValuePair<string, string>> run, IEnumerable<NamedSettings> configurations, IEnumerable<DataProvenance> data,
        DateTimeOffset date, MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(configurations);
        ArgumentNullException.ThrowIfNull(data);
        int plus = InformationalVersion.IndexOf('+', StringComparison.Ordinal);
        string version = plus < 0 ? InformationalVersion : InformationalVersion[..plus];
        string? commit = plus < 0 ? null : InformationalVersion[(plus + 1)..];
        return new Provenance([.. run], [.. configurations], [.. data], version, commit, date, machine);
    }

    /// <summary>Every line of the block as (what, value), in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Rows()
    {
        var rows = new List<KeyValuePair<string, string>>(Run);
        foreach (DataProvenance d in Data)
            rows.Add(new("data", string.Create(CultureInfo.InvariantCulture, $"{d.Name}, {d.Rows} rows, SHA-256 of {d.HashOf} {d.Sha256}")));
        rows.Add(new("LstmLab", Version + (Commit is null ? ", built outside a git checkout (no commit recorded)" : ", commit " + Commit)));
        rows.Add(new("date", Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        rows.Add(new("machine", string.Create(CultureInfo.InvariantCulture,
            $"{Machine.Cpu ?? "CPU model not reported"}, {Machine.Cores} cores, {Machine.Architecture}, {Machine.Os}, {Machine.Runtime}")));
        rows.Add(new("instruction set", $"{Machine.InstructionSets}; kernels use {Machine.KernelPath}"
            + (Machine.RunnablePaths is null ? "" : $" (paths this machine can run: {Machine.RunnablePaths})")));
        return rows;
    }

    /// <summary>The block as a Markdown table (and the configurations' settings as a second table).</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder("| what | value |\n| --- | --- |\n");
        foreach ((string key, string value) in Rows())
            sb.Append("| ").Append(ReportText.MarkdownCell(key)).Append(" | ").Append(ReportText.MarkdownCell(value)).Append(" |\n");
        if (Configurations.Count > 0)
            sb.Append('\n').Append(ReportText.MarkdownTable(SettingsHeader(), SettingsRows()));
        return sb.ToString();
    }

    /// <summary>The block as HTML tables, each in its own horizontally scrolling box.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append(ReportText.HtmlTable(["what", "value"], Rows().Select(r => (IReadOnlyList<string>)[r.Key, r.Value]).ToList(), "provenance"));
        if (Configurations.Count > 0)
            sb.Append(ReportText.HtmlTable(SettingsHeader(), SettingsRows(), "settings"));
        return sb.ToString();
    }

    /// <summary>The provenance as indented JSON (what <c>provenance.json</c> holds).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="InvalidDataException">The text is not a provenance record; the message names <paramref name="source"/>.</exception>
    public static Provenance FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<Provenance>(json, Json) ?? throw new InvalidDataException($"{source}: empty provenance.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a provenance file ({e.Message}).", e);
        }
    }

    private List<string> SettingKeys() => Configurations.SelectMany(c => c.Settings.Select(s => s.Key)).Distinct().ToList();

    // Configurations that share their keys read best as a matrix; ones that do not (a reproduce run's
    // sections), as "key: value" lists, so the table stays narrow.
    private bool AsMatrix => SettingKeys().Count <= 8;

    private string[] SettingsHeader() => AsMatrix ? ["configuration", .. SettingKeys()] : ["configuration", "settings"];

    private List<IReadOnlyList<string>> SettingsRows()
    {
        List<string> keys = SettingKeys();
        return AsMatrix
            ? Configurations.Select(c => (IReadOnlyList<string>)[c.Name, .. keys.Select(k => c.Settings.FirstOrDefault(s => s.Key == k).Value ?? "")]).ToList()
            : Configurations.Select(c => (IReadOnlyList<string>)[c.Name, string.Join(", ", c.Settings.Select(s => $"{s.Key}: {s.Value}"))]).ToList();
    }
}
