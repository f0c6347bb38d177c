using LstmLab.Data;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Experiments.Harness;

/// <summary>Where a series comes from: a shipped dataset (<c>shampoo</c>) or a CSV file and its columns.</summary>
/// <param name="Data"><c>shampoo</c> (or <c>shampoo-sales</c>) or a CSV path; an existing file of that name wins.</param>
/// <param name="Column">The value column: a header name or a 0-based index (default: the last column).</param>
/// <param name="DateColumn">The date or label column, if any.</param>
/// <param name="NoHeader">The CSV file has no header row.</param>
public sealed record DataSource(string Data = "shampoo", string? Column = null, string? DateColumn = null, bool NoHeader = false)
{
    /// <summary>Whether <paramref name="name"/> names a shipped dataset (<c>shampoo</c> is short for <c>shampoo-sales</c>).</summary>
    public static bool IsDatasetName(string name) =>
        name.Equals("shampoo", StringComparison.OrdinalIgnoreCase) || Datasets.Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Loads the series.</summary>
    /// <exception cref="DataFormatException">The file is missing or malformed; the message names file, line and column.</exception>
    public TimeSeries Load()
    {
        if (!File.Exists(Data) && IsDatasetName(Data))
            return Data.Equals("shampoo", StringComparison.OrdinalIgnoreCase) ? Datasets.ShampooSales() : Datasets.Load(Data);
        return SeriesCsv.Load(Data, new SeriesCsvOptions
        {
            ValueColumn = Column is null ? null : ColumnRef.Parse(Column),
            LabelColumn = DateColumn is null ? null : ColumnRef.Parse(DateColumn),
            Header = NoHeader ? CsvHeader.Absent : CsvHeader.Auto,
        });
    }
}

/// <summary>One configuration of an experiment: a name and the forecast settings it runs.</summary>
/// <param name="Settings">The settings that differ from the forecast defaults, as written in the file (key → value), for reports.</param>
public sealed record ExperimentConfiguration(string Name, ForecastOptions Options, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>An experiment: a series, configurations that vary from a base, a number of repeats and a seed.</summary>
/// <param name="Source">Where the definition came from (file path or <c>builtin:NAME</c>), for messages.</param>
public sealed record ExperimentDefinition(
    string Name,
    string? Description,
    DataSource Data,
    int Repeats,
    long Seed,
    IReadOnlyList<ExperimentConfiguration> Configurations,
    string Source)
{
    /// <summary>The seed of one repeat, derived from (experiment seed, configuration name, repeat index) only,
    /// so results do not depend on thread count or order.</summary>
    public long RepeatSeed(string configuration, int repeat) =>
        Numerics.RandomGenerator.DeriveSeed(Seed, configuration, repeat);

    /// <summary>A copy with <paramref name="repeats"/> and/or every configuration's epochs overridden.</summary>
    public ExperimentDefinition With(int? repeats, int? epochs)
    {
        if (repeats is < 1)
            throw new ArgumentException($"Repeats must be at least 1 (got {repeats}).", nameof(repeats));
        if (epochs is < 0)
            throw new ArgumentException($"Epochs must be 0 or more (got {epochs}).", nameof(epochs));
        var configurations = epochs is int e
            ? Configurations.Select(c => c with
            {
                Options = c.Options with { Epochs = e },
                Settings = [.. c.Settings.Where(s => s.Key != "epochs"), new("epochs", e.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            }).ToArray()
            : Configurations;
        return this with { Repeats = repeats ?? Repeats, Configurations = configurations };
    }
}
