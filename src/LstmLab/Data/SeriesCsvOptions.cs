namespace LstmLab.Data;

/// <summary>Whether the first non-blank line of a CSV file holds column names.</summary>
public enum CsvHeader
{
    /// <summary>
    /// Decide from the first row: it is a header when it contains the value column's name, or when
    /// its field in the value column (by index, default the last column) is not a number.
    /// </summary>
    Auto,

    /// <summary>The first row holds column names.</summary>
    Present,

    /// <summary>Every row is data; columns can only be chosen by index.</summary>
    Absent,
}

/// <summary>How the label column's text is turned into dates.</summary>
public enum DateHandling
{
    /// <summary>Parse the labels as dates when every one is a date; otherwise keep them as text only.</summary>
    Auto,

    /// <summary>Every label must be a date; the first that is not is an error naming its line.</summary>
    Require,

    /// <summary>Keep labels as text; never parse dates.</summary>
    Ignore,
}

/// <summary>
/// How <see cref="SeriesCsv"/> reads a file. The defaults read the last column as values, no labels,
/// with the header detected: enough for a one-column file or Shampoo-style <c>"Month","Sales"</c>
/// (add <c>LabelColumn = ColumnRef.ByIndex(0)</c> to keep the months).
/// </summary>
public sealed record SeriesCsvOptions
{
    /// <summary>The column holding the observations; null means the last column.</summary>
    public ColumnRef? ValueColumn { get; init; }

    /// <summary>The column holding dates or labels; null means none.</summary>
    public ColumnRef? LabelColumn { get; init; }

    /// <summary>Whether the file has a header row (default: detect).</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>Whether the labels are parsed as dates (default: when all of them are dates).</summary>
    public DateHandling Dates { get; init; } = DateHandling.Auto;

    /// <summary>The field separator (default <c>,</c>; <c>;</c> for the files European spreadsheets write).</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// Several value columns, read into a <see cref="SeriesFrame"/> by <see cref="SeriesCsv.ParseFrame"/>;
    /// null means <see cref="ValueColumn"/> alone.
    /// </summary>
    public IReadOnlyList<ColumnRef>? ValueColumns { get; init; }

    /// <summary>Numbers use a comma as the decimal separator (<c>1,5</c> is 1.5); needs a delimiter other than <c>,</c>.</summary>
    public bool DecimalComma { get; init; }

    /// <summary>
    /// Keep the file's order even when the dates are duplicated or not increasing (default: such dates
    /// are an error naming the lines).
    /// </summary>
    public bool AllowUnsorted { get; init; }
}
