namespace LstmLab.Data;

/// <summary>
/// Where a series comes from: a shipped dataset (<see cref="Datasets.Names"/>, <c>shampoo</c> for short) or a
/// CSV file, with the columns to read and how to read them.
/// </summary>
/// <param name="Data">A dataset name or a CSV path; an existing file of that name wins.</param>
/// <param name="Column">The value column: a header name or a 0-based index (default: the dataset's, or the file's last column).</param>
/// <param name="DateColumn">The date or label column, if any (a dataset's own by default).</param>
/// <param name="NoHeader">The CSV file has no header row.</param>
public sealed record DataSource(string Data = "shampoo", string? Column = null, string? DateColumn = null, bool NoHeader = false)
{
    /// <summary>Input columns (covariates and targets), by name or index; null = the targets alone.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The columns to forecast; null = <see cref="Column"/> (the value column).</summary>
    public IReadOnlyList<string>? Target { get; init; }

    /// <summary>The field separator (default <c>,</c>).</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Numbers are written with a decimal comma (<c>1,5</c>).</summary>
    public bool DecimalComma { get; init; }

    /// <summary>Keep the file's order even when dates repeat or go back.</summary>
    public bool AllowUnsorted { get; init; }

    /// <summary>Whether <paramref name="name"/> names a shipped dataset (<c>shampoo</c> is short for <c>shampoo-sales</c>).</summary>
    public static bool IsDatasetName(string name) =>
        name.Equals("shampoo", StringComparison.OrdinalIgnoreCase) || Datasets.Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The forecast columns in order: <see cref="Target"/>, else <see cref="Column"/>, else the default value column.</summary>
    public IReadOnlyList<string>? TargetColumns => Target ?? (Column is null ? null : [Column]);

    /// <summary>
    /// Loads the first target column as a series; with several columns the whole frame comes with it
    /// (<see cref="TimeSeries.Frame"/>), so forecasters that take covariates see them.
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing or malformed; the message names file, line and column.</exception>
    public TimeSeries Load()
    {
        SeriesFrame frame = LoadFrame();
        int targets = TargetCount(frame);
        TimeSeries first = frame.Series(frame.Width - targets);
        return frame.Width == 1 ? first : new TimeSeries(first.Values, first.Name, first.Labels, first.Dates, first.Source, first.LabelName)
        {
            Frame = frame,
            FrameTargets = targets,
        };
    }

    /// <summary>
    /// Loads the frame the forecasters use: the covariate columns first, then the target columns (in
    /// <see cref="TargetColumns"/> order), so the last <c>TargetColumns.Count</c> columns are the targets.
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing or malformed; the message names file, line and column.</exception>
    public SeriesFrame LoadFrame()
    {
        if (!File.Exists(Data) && IsDatasetName(Data))
        {
            string name = Data.Equals("shampoo", StringComparison.OrdinalIgnoreCase) ? Datasets.ShampooSalesName : Data;
            return Datasets.LoadFrame(name, Ordered(Datasets.DefaultColumn(name)));
        }
        List<string> columns = Ordered(null);
        return SeriesCsv.LoadFrame(Data, new SeriesCsvOptions
        {
            ValueColumns = columns.Count == 0 ? null : [.. columns.Select(ColumnRef.Parse)],
            LabelColumn = DateColumn is null ? null : ColumnRef.Parse(DateColumn),
            Header = NoHeader ? CsvHeader.Absent : CsvHeader.Auto,
            Delimiter = Delimiter,
            DecimalComma = DecimalComma,
            AllowUnsorted = AllowUnsorted,
        });
    }

    /// <summary>The number of target columns (at the end of <see cref="LoadFrame"/>'s frame).</summary>
    public int TargetCount(SeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TargetColumns?.Count ?? 1;
    }

    /// <summary>Every setting with its value (lists written out), e.g. for a hash of what determines a result.</summary>
    public override string ToString() =>
        $"DataSource {{ Data = {Data}, Column = {Column}, DateColumn = {DateColumn}, NoHeader = {NoHeader}, Columns = {string.Join(',', Columns ?? [])}, " +
        $"Target = {string.Join(',', Target ?? [])}, Delimiter = {Delimiter}, DecimalComma = {DecimalComma}, AllowUnsorted = {AllowUnsorted} }}";

    private List<string> Ordered(string? defaultTarget)
    {
        IReadOnlyList<string> targets = TargetColumns ?? (defaultTarget is null ? [] : [defaultTarget]);
        var all = new List<string>();
        foreach (string c in Columns ?? [])
        {
            if (!targets.Contains(c, StringComparer.OrdinalIgnoreCase) && !all.Contains(c, StringComparer.OrdinalIgnoreCase))
                all.Add(c);
        }
        if (targets.Count == 0 && all.Count > 0)
            throw new ArgumentException("Columns lists input columns, but no Target is given: name the column(s) to forecast.");
        all.AddRange(targets);
        return all;
    }
}
