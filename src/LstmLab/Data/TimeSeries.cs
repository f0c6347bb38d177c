using System.Globalization;

namespace LstmLab.Data;

/// <summary>
/// A univariate series: one value per time step, in file order, with an optional label per step
/// (the text of the date/label column) and, where every label is a date, the parsed dates.
/// Values are finite doubles; the loaders reject anything else.
/// </summary>
public sealed class TimeSeries
{
    /// <summary>Creates a series. The arrays are copied.</summary>
    /// <param name="values">The observations, oldest first; each must be finite.</param>
    /// <param name="name">The value column's name (e.g. <c>Sales</c>).</param>
    /// <param name="labels">One label per value, or null.</param>
    /// <param name="dates">One date per value, or null.</param>
    /// <param name="source">Where the series came from (file path or <c>embedded:NAME</c>), used in error messages.</param>
    /// <param name="labelName">The label column's name, or null.</param>
    /// <exception cref="ArgumentException">Lengths differ, or a value is NaN or infinite.</exception>
    public TimeSeries(ReadOnlySpan<double> values, string name = "value", IReadOnlyList<string>? labels = null,
        IReadOnlyList<DateOnly>? dates = null, string source = "memory", string? labelName = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(source);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Value {i} of series \"{name}\" is {values[i].ToString(CultureInfo.InvariantCulture)}; values must be finite.", nameof(values));
        }
        if (labels is not null && labels.Count != values.Length)
            throw new ArgumentException($"Expected {values.Length} labels (one per value), got {labels.Count}.", nameof(labels));
        if (dates is not null && dates.Count != values.Length)
            throw new ArgumentException($"Expected {values.Length} dates (one per value), got {dates.Count}.", nameof(dates));
        Values = values.ToArray();
        Labels = labels?.ToArray();
        Dates = dates?.ToArray();
        Name = name;
        LabelName = labelName;
        Source = source;
    }

    /// <summary>The observations, oldest first.</summary>
    public double[] Values { get; }

    /// <summary>The label text of each step (e.g. <c>"1-01"</c>), or null when the series has no label column.</summary>
    public string[]? Labels { get; }

    /// <summary>The date of each step, or null when there are no labels or not every label is a date.</summary>
    public DateOnly[]? Dates { get; }

    /// <summary>The value column's name.</summary>
    public string Name { get; }

    /// <summary>The label column's name, or null.</summary>
    public string? LabelName { get; }

    /// <summary>Where the series came from: a file path, or <c>embedded:NAME</c> for a shipped dataset.</summary>
    public string Source { get; }

    /// <summary>
    /// The frame this series is the first target of, with its covariates and other targets, when it was
    /// loaded from several columns (<see cref="DataSource.Load"/>); null for a single column.
    /// </summary>
    public SeriesFrame? Frame { get; init; }

    /// <summary>How many of <see cref="Frame"/>'s last columns are targets (this series is the first of them).</summary>
    public int FrameTargets { get; init; } = 1;

    /// <summary>The number of observations.</summary>
    public int Length => Values.Length;

    /// <summary>The label of step <paramref name="index"/>, or its 0-based index as text when there are no labels.</summary>
    public string LabelAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return Labels?[index] ?? index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming the source and both counts when the series
    /// has fewer than <paramref name="needed"/> values. Call it before framing, so users read
    /// "needs 15, has 10" instead of an index error deep inside a transform.
    /// </summary>
    /// <param name="needed">The number of values the caller needs.</param>
    /// <param name="why">What needs them, e.g. <c>"lag-1 differencing, lag-1 framing and a 12-step test set"</c>.</param>
    /// <remarks>
    /// For differencing at interval <c>d</c>, framing with <c>L</c> lags and <c>O</c> outputs, and
    /// <c>N</c> test rows plus at least one training row, the series needs <c>N + d + L + O</c>
    /// values: 15 for the forecasting tutorial (d = L = O = 1, N = 12).
    /// </remarks>
    /// <exception cref="DataFormatException">The series is too short.</exception>
    public void RequireLength(int needed, string why)
    {
        ArgumentNullException.ThrowIfNull(why);
        if (Length < needed)
        {
            throw new DataFormatException(Source, null, Name, null,
                $"{why} needs at least {needed} rows, but the series has {Length}.");
        }
    }

    /// <summary>The series' name, source and length.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"TimeSeries \"{Name}\" from {Source}: {Length} values");
}
