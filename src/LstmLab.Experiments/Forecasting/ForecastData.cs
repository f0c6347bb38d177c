using System.Globalization;
using LstmLab.Data;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// A frame prepared for an LSTM forecaster: each column differenced at its own interval (<c>z[c][t] =
/// y[c][t] − y[c][t − d_c]</c>, or <c>y</c> itself for d = 0), and framed as supervised rows. Row
/// <c>t</c> (its first forecast step) holds the inputs <c>z[c][t − lag .. t − 1]</c> for every column
/// c (column-major, oldest first: for one column exactly the seed's <c>[t-lag … t-1]</c>) followed by the
/// outputs: <c>z[c][t]</c> for every column (recursive), or <c>z[k][t + h]</c> for h = 0..H−1 and every
/// target k (direct).
/// </summary>
public sealed class ForecastData
{
    /// <summary>Prepares <paramref name="frame"/>, whose last <paramref name="targets"/> columns are the targets.</summary>
    /// <exception cref="SettingException">A per-column setting names a column the frame does not have.</exception>
    public ForecastData(SeriesFrame frame, int targets, ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        if (targets < 1 || targets > frame.Width)
            throw new ArgumentOutOfRangeException(nameof(targets), targets, $"Expected 1..{frame.Width} target columns.");
        CheckColumns(frame, options.Difference, nameof(ForecastOptions.Difference));
        CheckColumns(frame, options.Scale, nameof(ForecastOptions.Scale));
        Frame = frame;
        Options = options;
        Targets = [.. Enumerable.Range(frame.Width - targets, targets)];
        Intervals = [.. frame.Names.Select(options.Difference.IntFor)];
        Scaled = [.. frame.Names.Select(n => options.Scale.For(n) == "minmax")];
        Z = [.. Enumerable.Range(0, frame.Width).Select(c => Differenced(frame.Columns[c], Intervals[c]))];
        FirstRow = Intervals.Max() + options.Lag;
        OutputSteps = options.Strategy == ForecastStrategy.Direct ? options.Horizon : 1;
        Inputs = frame.Width * options.Lag;
        Outputs = options.Strategy == ForecastStrategy.Direct ? options.Horizon * targets : frame.Width;
        CheckMemory();
    }

    /// <summary>The frame (levels, labels).</summary>
    public SeriesFrame Frame { get; }

    /// <summary>The settings it was prepared with.</summary>
    public ForecastOptions Options { get; }

    /// <summary>The target columns' indices in <see cref="Frame"/> (its last columns).</summary>
    public int[] Targets { get; }

    /// <summary>Each column's differencing interval.</summary>
    public int[] Intervals { get; }

    /// <summary>Whether each column is MinMax-scaled.</summary>
    public bool[] Scaled { get; }

    /// <summary>The differenced columns; <c>Z[c][t]</c> is NaN for t &lt; d_c.</summary>
    public double[][] Z { get; }

    /// <summary>The first row (time step) with a full input window.</summary>
    public int FirstRow { get; }

    /// <summary>Steps each row's outputs span: 1 (recursive) or the horizon (direct).</summary>
    public int OutputSteps { get; }

    /// <summary>Input features per row: columns × lag.</summary>
    public int Inputs { get; }

    /// <summary>Outputs per row.</summary>
    public int Outputs { get; }

    /// <summary>The frame column behind framed column <paramref name="j"/> (inputs, then outputs).</summary>
    public int ColumnOf(int j) => j < Inputs
        ? j / Options.Lag
        : Options.Strategy == ForecastStrategy.Direct ? Targets[(j - Inputs) % Targets.Length] : j - Inputs;

    /// <summary>Rows t whose inputs start at or after <paramref name="start"/> and whose outputs end before <paramref name="origin"/>.</summary>
    public (int First, int Last) TrainingRows(int start, int origin) =>
        (Math.Max(FirstRow, start + Options.Lag + Intervals.Max()), origin - OutputSteps);

    /// <summary>The framed row t from the differenced values <paramref name="z"/> (outputs NaN where unknown).</summary>
    public double[] Row(int t, double[][] z)
    {
        ArgumentNullException.ThrowIfNull(z);
        int lag = Options.Lag;
        var row = new double[Inputs + Outputs];
        for (int c = 0; c < z.Length; c++)
        {
            for (int j = 0; j < lag; j++)
                row[c * lag + j] = z[c][t - lag + j];
        }
        for (int j = 0; j < Outputs; j++)
        {
            int c = ColumnOf(Inputs + j);
            int step = Options.Strategy == ForecastStrategy.Direct ? t + j / Targets.Length : t;
            row[Inputs + j] = step < z[c].Length ? z[c][step] : double.NaN;
        }
        return row;
    }

    /// <summary>The level at step t from a forecast difference: <c>zhat + level[t − d]</c>, or <c>zhat</c> for d = 0.</summary>
    public double Level(int column, double zhat, ReadOnlySpan<double> levels, int t) =>
        Intervals[column] == 0 ? zhat : Differencing.InvertDifference(levels[..t], zhat, Intervals[column]);

    private static double[] Differenced(double[] values, int interval)
    {
        var z = new double[values.Length];
        for (int t = 0; t < z.Length; t++)
            z[t] = interval == 0 ? values[t] : t < interval ? double.NaN : values[t] - values[t - interval];
        return z;
    }

    private static void CheckColumns(SeriesFrame frame, PerColumn setting, string name)
    {
        foreach (string column in setting.Columns.Select(kv => kv.Key))
        {
            if (frame.IndexOf(column) < 0)
                throw new SettingException($"{{0}} names column \"{column}\", which is not among the columns used ({string.Join(", ", frame.Names)}).", name);
        }
    }

    private void CheckMemory()
    {
        // The framed rows (doubles), their scaled copy and the float tensor, per training fit.
        double bytes = (double)Frame.Length * (Inputs + Outputs) * (8 + 8 + 4);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available / 2)
        {
            throw new DataFormatException(Frame.Source, null, string.Join(", ", Frame.Names), null, string.Create(CultureInfo.InvariantCulture,
                $"{Frame.Length} rows × {Inputs + Outputs} framed values (lag {Options.Lag} × {Frame.Width} columns, {Outputs} outputs) need about {bytes / (1 << 30):F1} GiB, more than half the {available / (double)(1 << 30):F1} GiB available; use fewer rows, columns or lags."));
        }
    }
}
