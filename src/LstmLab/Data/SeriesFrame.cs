using System.Globalization;

namespace LstmLab.Data;

/// <summary>
/// Several series over the same time steps: one or more named value columns, in file order, with an
/// optional label per step (the date/label column) and, where every label is a date, the parsed dates.
/// <see cref="TimeSeries"/> is the one-column case. Values are finite doubles.
/// </summary>
public sealed class SeriesFrame
{
    /// <summary>Creates a frame. The arrays are copied.</summary>
    /// <param name="names">The value columns' names (distinct).</param>
    /// <param name="columns">One array of values per name, all equally long; <c>columns[c][t]</c> is column c at step t.</param>
    /// <param name="labels">One label per step, or null.</param>
    /// <param name="dates">One date per step, or null.</param>
    /// <param name="source">Where the data came from, for messages.</param>
    /// <param name="labelName">The label column's name, or null.</param>
    /// <exception cref="ArgumentException">No columns, lengths differ, names repeat, or a value is not finite.</exception>
    public SeriesFrame(IReadOnlyList<string> names, IReadOnlyList<double[]> columns, IReadOnlyList<string>? labels = null,
        IReadOnlyList<DateOnly>? dates = null, string source = "memory", string? labelName = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(source);
        if (names.Count == 0 || names.Count != columns.Count)
            throw new ArgumentException($"Expected one name per column and at least one column; got {names.Count} names and {columns.Count} columns.", nameof(columns));
        int length = columns[0].Length;
        for (int c = 0; c < columns.Count; c++)
        {
            if (columns[c].Length != length)
                throw new ArgumentException($"Column \"{names[c]}\" has {columns[c].Length} values; column \"{names[0]}\" has {length}.", nameof(columns));
            for (int t = 0; t < length; t++)
            {
                if (!double.IsFinite(columns[c][t]))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value {t} of column \"{names[c]}\" is {columns[c][t]}; values must be finite."), nameof(columns));
            }
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"Column names must be distinct; got {string.Join(", ", names)}.", nameof(names));
        if (labels is not null && labels.Count != length)
            throw new ArgumentException($"Expected {length} labels (one per step), got {labels.Count}.", nameof(labels));
        if (dates is not null && dates.Count != length)
            throw new ArgumentException($"Expected {length} dates (one per step), got {dates.Count}.", nameof(dates));
        Names = [.. names];
        Columns = [.. columns.Select(c => c.ToArray())];
        Labels = labels?.ToArray();
        Dates = dates?.ToArray();
        Source = source;
        LabelName = labelName;
    }

    /// <summary>The value columns' names.</summary>
    public string[] Names { get; }

    /// <summary>The values, <c>Columns[c][t]</c>.</summary>
    public double[][] Columns { get; }

    /// <summary>The label text of each step, or null.</summary>
    public string[]? Labels { get; }

    /// <summary>The date of each step, or null.</summary>
    public DateOnly[]? Dates { get; }

    /// <summary>Where the data came from.</summary>
    public string Source { get; }

    /// <summary>The label column's name, or null.</summary>
    public string? LabelName { get; }

    /// <summary>The number of time steps.</summary>
    public int Length => Columns[0].Length;

    /// <summary>The number of value columns.</summary>
    public int Width => Columns.Length;

    /// <summary>The index of the column named <paramref name="name"/> (exact, else a unique case-insensitive match), or -1.</summary>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int exact = Array.IndexOf(Names, name);
        if (exact >= 0)
            return exact;
        int[] loose = [.. Names.Select((n, i) => (n, i)).Where(x => string.Equals(x.n, name, StringComparison.OrdinalIgnoreCase)).Select(x => x.i)];
        return loose.Length == 1 ? loose[0] : -1;
    }

    /// <summary>The label of step <paramref name="index"/>, or its 0-based index as text without labels.</summary>
    public string LabelAt(int index) => Labels?[index] ?? index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Column <paramref name="column"/> as a univariate series with the frame's labels.</summary>
    public TimeSeries Series(int column) => new(Columns[column], Names[column], Labels, Dates, Source, LabelName);

    /// <summary>The one-column frame of <paramref name="series"/>.</summary>
    public static SeriesFrame From(TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new SeriesFrame([series.Name], [series.Values], series.Labels, series.Dates, series.Source, series.LabelName);
    }

    /// <summary>The frame's name, source and size.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SeriesFrame [{string.Join(", ", Names)}] from {Source}: {Length} steps");
}
