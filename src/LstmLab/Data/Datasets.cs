namespace LstmLab.Data;

/// <summary>
/// Datasets shipped inside the library as embedded resources, so examples and tests run offline.
/// Each is a CSV file that <see cref="SeriesCsv"/> reads; <see cref="GetCsv"/> returns its exact
/// text, for users who want the file itself.
/// </summary>
public static class Datasets
{
    /// <summary>The name of the Shampoo Sales dataset, as accepted by <see cref="Load"/> and <see cref="GetCsv"/>.</summary>
    public const string ShampooSalesName = "shampoo-sales";

    private const string ResourcePrefix = "LstmLab.Data.";

    /// <summary>The names of the shipped datasets.</summary>
    public static IReadOnlyList<string> Names { get; } = [ShampooSalesName];

    /// <summary>
    /// Monthly shampoo sales over three years, 36 observations (Makridakis, Wheelwright and Hyndman,
    /// 1998), as used by the stateful/stateless forecasting tutorial. Columns <c>"Month","Sales"</c>;
    /// months are labelled <c>1-01</c> to <c>3-12</c> (year 1–3, month 01–12) and parsed as dates
    /// 0001-01-01 to 0003-12-01. Values run 266.0, 145.9, 183.1, … 646.9, with a rising trend.
    /// </summary>
    public static TimeSeries ShampooSales() => Load(ShampooSalesName);

    /// <summary>The Shampoo Sales CSV file's exact text.</summary>
    public static string ShampooSalesCsv() => GetCsv(ShampooSalesName);

    /// <summary>Loads the shipped dataset <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    public static TimeSeries Load(string name)
    {
        string csv = GetCsv(name);
        var options = new SeriesCsvOptions
        {
            ValueColumn = ColumnRef.ByIndex(1),
            LabelColumn = ColumnRef.ByIndex(0),
            Header = CsvHeader.Present,
            Dates = DateHandling.Require,
        };
        return SeriesCsv.Parse(csv, "embedded:" + name + ".csv", options);
    }

    /// <summary>The CSV text of the shipped dataset <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    public static string GetCsv(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        string key = Names.FirstOrDefault(n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No shipped dataset is named \"{name}\". Available: {string.Join(", ", Names)}.", nameof(name));
        using Stream? stream = typeof(Datasets).Assembly.GetManifestResourceStream(ResourcePrefix + key + ".csv");
        if (stream is null)
            throw new InvalidOperationException($"The embedded resource {ResourcePrefix}{key}.csv is missing from the LstmLab assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
