using LstmLab.Numerics;

namespace LstmLab.Data;

/// <summary>
/// Frames a series as a supervised learning problem: each row holds the <c>lags</c> previous
/// values as inputs and the current (and, for multi-step output, following) values as targets.
/// </summary>
public static class Supervised
{
    /// <summary>
    /// Row <c>r</c> is <c>[v[t-lags], …, v[t-1], v[t], …, v[t+outputs-1]]</c> with
    /// <c>t = r + lags</c>: <paramref name="lags"/> input columns (oldest first) followed by
    /// <paramref name="outputs"/> target columns. There are <c>L - lags - outputs + 1</c> rows.
    /// </summary>
    /// <remarks>
    /// This is the seed's <c>timeseries_to_supervised(data, lag)</c> (columns
    /// <c>[shift(lag) … shift(1), data]</c>) followed by its slice <c>[1:]</c>: pandas keeps the
    /// first rows with NaN where history is missing and the seed slices them off afterwards; here
    /// rows lacking full history (or, with multi-step output, full future) are never made. For
    /// lag 1 on the 35 differenced Shampoo values this gives the seed's 34 rows.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lags"/> or <paramref name="outputs"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The series is too short for a single row.</exception>
    public static double[][] Frame(ReadOnlySpan<double> values, int lags, int outputs = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        int width = lags + outputs;
        if (values.Length < width)
        {
            throw new ArgumentException(
                $"Framing with {lags} lag(s) and {outputs} output(s) needs at least {width} values; the series has {values.Length}.", nameof(values));
        }
        var rows = new double[values.Length - width + 1][];
        for (int r = 0; r < rows.Length; r++)
            rows[r] = values.Slice(r, width).ToArray();
        return rows;
    }

    /// <summary>
    /// Splits framed rows into inputs (the first <paramref name="inputColumns"/> columns) and targets
    /// (the rest): the seed's <c>X, y = train[:, 0:-1], train[:, -1]</c> when inputColumns is the lag count.
    /// </summary>
    /// <exception cref="ArgumentException">A row is not wider than <paramref name="inputColumns"/>.</exception>
    public static (double[][] Inputs, double[][] Targets) SplitColumns(IReadOnlyList<double[]> rows, int inputColumns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputColumns, 1);
        var inputs = new double[rows.Count][];
        var targets = new double[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            double[] row = rows[r];
            if (row.Length <= inputColumns)
                throw new ArgumentException($"Row {r} has {row.Length} columns; expected more than {inputColumns} (inputs plus at least one target).", nameof(rows));
            inputs[r] = row[..inputColumns];
            targets[r] = row[inputColumns..];
        }
        return (inputs, targets);
    }

    /// <summary>
    /// Packs rows into a tensor <c>[samples, timesteps, features]</c>: row element
    /// <c>t * features + f</c> goes to <c>[sample, t, f]</c>. For lag columns (oldest first) use
    /// <c>timesteps = 1, features = lags</c> as the seed does (<c>X.reshape(n, 1, lags)</c>), or
    /// <c>timesteps = lags, features = 1</c> to feed the lags as time steps.
    /// </summary>
    /// <exception cref="ArgumentException">A row's length is not <c>timesteps * features</c>.</exception>
    public static Tensor ToSequenceTensor(IReadOnlyList<double[]> rows, int timesteps, int features)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        int width = timesteps * features;
        var data = new float[rows.Count * width];
        for (int r = 0; r < rows.Count; r++)
        {
            double[] row = rows[r];
            if (row.Length != width)
                throw new ArgumentException($"Row {r} has {row.Length} values; expected timesteps {timesteps} x features {features} = {width}.", nameof(rows));
            for (int j = 0; j < width; j++)
                data[r * width + j] = (float)row[j];
        }
        return new Tensor(data, rows.Count, timesteps, features);
    }

    /// <summary>Packs equal-length rows into a tensor <c>[samples, columns]</c> (e.g. targets for a Dense output).</summary>
    /// <exception cref="ArgumentException">The rows are empty or differ in length.</exception>
    public static Tensor ToMatrixTensor(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("Expected at least one row.", nameof(rows));
        int width = rows[0].Length;
        var data = new float[rows.Count * width];
        for (int r = 0; r < rows.Count; r++)
        {
            double[] row = rows[r];
            if (row.Length != width)
                throw new ArgumentException($"Row {r} has {row.Length} values; expected {width} like row 0.", nameof(rows));
            for (int j = 0; j < width; j++)
                data[r * width + j] = (float)row[j];
        }
        return new Tensor(data, rows.Count, width);
    }
}
