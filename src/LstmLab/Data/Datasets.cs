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

    /// <summary>The name of the airline passengers dataset.</summary>
    public const string AirPassengersName = "airpassengers";

    /// <summary>The name of the daily Seattle weather dataset.</summary>
    public const string SeattleWeatherName = "seattle-weather";

    /// <summary>The name of the daily 10-year U.S. Treasury yield dataset.</summary>
    public const string Treasury10YearName = "treasury-10y";

    /// <summary>The names of the shipped datasets.</summary>
    public static IReadOnlyList<string> Names { get; } = [ShampooSalesName, AirPassengersName, SeattleWeatherName, Treasury10YearName];

    /// <summary>
    /// Monthly international airline passengers in thousands, 144 months from 1949-01 (112) to 1960-12
    /// (432): Box and Jenkins' "airline" series (R's <c>AirPassengers</c>). Columns <c>Month,Passengers</c>.
    /// Strong trend and a 12-month season.
    /// </summary>
    public static TimeSeries AirPassengers() => Load(AirPassengersName);

    /// <summary>
    /// Daily weather at Seattle-Tacoma airport, 1461 days from 2012-01-01 to 2015-12-31, from NOAA's Climate
    /// Data Online (GHCN-Daily; a U.S. Government work, public domain) as transformed by vega-datasets'
    /// <c>scripts/weather.py</c> (<c>data/seattle-weather.csv</c>, without its synthesized category column).
    /// Columns <c>date, precipitation</c> (mm), <c>temp_max, temp_min</c> (°C), <c>wind</c> (m/s); the
    /// default value column is <c>temp_max</c>.
    /// </summary>
    public static TimeSeries SeattleWeather() => Load(SeattleWeatherName);

    /// <summary>
    /// The 10-year U.S. Treasury constant-maturity yield (percent), every business day from 2008-01-02 (3.91) to
    /// 2020-12-31 (0.93): 3,253 days. The Board of Governors of the Federal Reserve System's H.15 release, as
    /// FRED (Federal Reserve Bank of St. Louis) serves it as series DGS10 (public domain: a U.S. Government
    /// work, citation requested), taken from the copy in GitHub repository economics-databases/Interest-rate
    /// (<c>DGS10.csv</c>, commit 2d88d95), with the 140 days FRED marks "." (market holidays, no value) left
    /// out. Columns <c>date, dgs10</c>; weekdays only, so forecast dates continue on weekdays.
    /// </summary>
    public static TimeSeries Treasury10Year() => Load(Treasury10YearName);

    /// <summary>The value column a dataset is read with by default.</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    public static string DefaultColumn(string name) => Key(name) switch
    {
        AirPassengersName => "Passengers",
        SeattleWeatherName => "temp_max",
        Treasury10YearName => "dgs10",
        _ => "Sales",
    };

    /// <summary>Loads columns of a shipped dataset (by header name or index) with its dates.</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    /// <exception cref="DataFormatException">A column is not in the dataset.</exception>
    public static SeriesFrame LoadFrame(string name, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        string key = Key(name);
        var options = new SeriesCsvOptions
        {
            ValueColumns = [.. (columns.Count == 0 ? [DefaultColumn(key)] : columns).Select(ColumnRef.Parse)],
            LabelColumn = ColumnRef.ByIndex(0),
            Header = CsvHeader.Present,
            Dates = DateHandling.Require,
        };
        return SeriesCsv.ParseFrame(GetCsv(key), "embedded:" + key + ".csv", options);
    }

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
        return LoadFrame(name, []).Series(0);
    }

    /// <summary>The CSV text of the shipped dataset <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    public static string GetCsv(string name)
    {
        string key = Key(name);
        using Stream? stream = typeof(Datasets).Assembly.GetManifestResourceStream(ResourcePrefix + key + ".csv");
        if (stream is null)
            throw new InvalidOperationException($"The embedded resource {ResourcePrefix}{key}.csv is missing from the LstmLab assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Names.FirstOrDefault(n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No shipped dataset is named \"{name}\". Available: {string.Join(", ", Names)}.", nameof(name));
    }
}
