using System.Globalization;

namespace LstmLab.Data;

/// <summary>
/// Scales each column to a feature range, as scikit-learn's <c>MinMaxScaler</c>: fitted on the
/// training rows only, then applied unchanged to training and test rows, so the test set leaks
/// nothing into the scale. All arithmetic is in double precision.
/// </summary>
/// <remarks>
/// Per column <c>j</c>, with <c>[lo, hi]</c> the feature range and <c>min_j, max_j</c> the column's
/// training extremes:
/// <code>
/// X_std    = (X - min_j) / (max_j - min_j)
/// X_scaled = X_std * (hi - lo) + lo
/// </code>
/// computed as scikit-learn does, <c>X_scaled = X * scale_j + offset_j</c> with
/// <c>scale_j = (hi - lo) / (max_j - min_j)</c> and <c>offset_j = lo - min_j * scale_j</c>, and
/// inverted as <c>X = (X_scaled - offset_j) / scale_j</c>. A constant column (range below
/// 10 machine epsilons) uses a range of 1, as scikit-learn does, so it maps to <c>lo</c>.
/// Values outside the training extremes map outside <c>[lo, hi]</c>; they are not clipped.
/// </remarks>
public sealed class MinMaxScaler
{
    // 2^-52, NumPy's finfo(float64).eps (double.Epsilon in .NET is the smallest subnormal instead).
    private const double MachineEpsilon = 2.220446049250313e-16;

    private double[]? _dataMin, _dataMax, _scale, _offset;

    /// <summary>Creates an unfitted scaler for the feature range [<paramref name="min"/>, <paramref name="max"/>] (default [-1, 1], the seed's range, matching tanh).</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is not below <paramref name="max"/>, or either is not finite.</exception>
    public MinMaxScaler(double min = -1, double max = 1)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min >= max)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The feature range minimum must be below its maximum, both finite; got ({min}, {max})."), nameof(min));
        }
        RangeMin = min;
        RangeMax = max;
    }

    /// <summary>The lower end of the feature range.</summary>
    public double RangeMin { get; }

    /// <summary>The upper end of the feature range.</summary>
    public double RangeMax { get; }

    /// <summary>Whether <see cref="Fit(IReadOnlyList{double[]})"/> has been called.</summary>
    public bool IsFitted => _dataMin is not null;

    /// <summary>The number of columns seen by <see cref="Fit(IReadOnlyList{double[]})"/>.</summary>
    public int Columns => Fitted()._dataMin!.Length;

    /// <summary>Each column's minimum over the training rows (scikit-learn's <c>data_min_</c>).</summary>
    public IReadOnlyList<double> DataMin => Fitted()._dataMin!;

    /// <summary>Each column's maximum over the training rows (scikit-learn's <c>data_max_</c>).</summary>
    public IReadOnlyList<double> DataMax => Fitted()._dataMax!;

    /// <summary>Each column's multiplier <c>(hi - lo) / (max - min)</c> (scikit-learn's <c>scale_</c>).</summary>
    public IReadOnlyList<double> Scale => Fitted()._scale!;

    /// <summary>Each column's offset <c>lo - min * scale</c> (scikit-learn's <c>min_</c>).</summary>
    public IReadOnlyList<double> Offset => Fitted()._offset!;

    /// <summary>Learns each column's minimum and maximum from <paramref name="rows"/> (training rows only). Returns this scaler.</summary>
    /// <exception cref="ArgumentException">No rows, rows of different lengths or empty, or a non-finite value.</exception>
    public MinMaxScaler Fit(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("Fitting a scaler needs at least one row; got none.", nameof(rows));
        int cols = rows[0].Length;
        if (cols == 0)
            throw new ArgumentException("Fitting a scaler needs at least one column; row 0 is empty.", nameof(rows));
        var lo = new double[cols];
        var hi = new double[cols];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        for (int r = 0; r < rows.Count; r++)
        {
            double[] row = CheckRow(rows[r], cols, r, nameof(rows));
            for (int j = 0; j < cols; j++)
            {
                if (!double.IsFinite(row[j]))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {r}, column {j} is {row[j]}; a scaler can only be fitted on finite values."), nameof(rows));
                lo[j] = Math.Min(lo[j], row[j]);
                hi[j] = Math.Max(hi[j], row[j]);
            }
        }
        var scale = new double[cols];
        var offset = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            double range = hi[j] - lo[j];
            if (range < 10 * MachineEpsilon)
                range = 1;
            scale[j] = (RangeMax - RangeMin) / range;
            offset[j] = RangeMin - lo[j] * scale[j];
        }
        (_dataMin, _dataMax, _scale, _offset) = (lo, hi, scale, offset);
        return this;
    }

    /// <summary>Fits on a single column of values (e.g. a raw series) and returns this scaler.</summary>
    public MinMaxScaler Fit(ReadOnlySpan<double> column) => Fit(AsRows(column));

    /// <summary>Scales each row: <c>x * scale_j + offset_j</c>. Returns new rows.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ArgumentException">A row's length differs from the fitted column count.</exception>
    public double[][] Transform(IReadOnlyList<double[]> rows) => Map(rows, inverse: false);

    /// <summary>Scales one row. Returns a new array.</summary>
    public double[] Transform(ReadOnlySpan<double> row) => MapRow(row, inverse: false, 0);

    /// <summary>Undoes <see cref="Transform(IReadOnlyList{double[]})"/>: <c>(x - offset_j) / scale_j</c>. Returns new rows.</summary>
    public double[][] InverseTransform(IReadOnlyList<double[]> rows) => Map(rows, inverse: true);

    /// <summary>Undoes <see cref="Transform(ReadOnlySpan{double})"/> for one row. Returns a new array.</summary>
    public double[] InverseTransform(ReadOnlySpan<double> row) => MapRow(row, inverse: true, 0);

    /// <summary>
    /// Puts a forecast back on the original scale: inverse-transforms the row
    /// <c>[x[0], …, x[k-1], yhat]</c> and returns its last element — the seed's
    /// <c>invert_scale(scaler, X, yhat)</c>. Only the last column's scale matters, so this is
    /// <c>(yhat - offset_last) / scale_last</c>; <paramref name="inputs"/> is checked for length.
    /// </summary>
    /// <param name="inputs">The scaled input columns of the row the forecast was made from.</param>
    /// <param name="yhat">The model's scaled forecast.</param>
    /// <exception cref="ArgumentException"><c>inputs.Length + 1</c> is not the fitted column count.</exception>
    public double InvertForecast(ReadOnlySpan<double> inputs, double yhat)
    {
        Fitted();
        if (inputs.Length + 1 != _scale!.Length)
        {
            throw new ArgumentException(
                $"Expected {_scale.Length - 1} input values (the scaler was fitted on {_scale.Length} columns: inputs then the target); got {inputs.Length}.", nameof(inputs));
        }
        int last = _scale.Length - 1;
        return (yhat - _offset![last]) / _scale[last];
    }

    private double[][] Map(IReadOnlyList<double[]> rows, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Fitted();
        var result = new double[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
            result[r] = MapRow(rows[r], inverse, r);
        return result;
    }

    private double[] MapRow(ReadOnlySpan<double> row, bool inverse, int rowIndex)
    {
        Fitted();
        if (row.Length != _scale!.Length)
            throw new ArgumentException($"Row {rowIndex} has {row.Length} columns; the scaler was fitted on {_scale.Length}.", nameof(row));
        var result = new double[row.Length];
        for (int j = 0; j < row.Length; j++)
            result[j] = inverse ? (row[j] - _offset![j]) / _scale[j] : row[j] * _scale[j] + _offset![j];
        return result;
    }

    private static double[] CheckRow(double[]? row, int cols, int r, string paramName)
    {
        if (row is null || row.Length != cols)
            throw new ArgumentException($"Row {r} has {row?.Length ?? 0} columns; expected {cols} like row 0.", paramName);
        return row;
    }

    private static double[][] AsRows(ReadOnlySpan<double> column)
    {
        var rows = new double[column.Length][];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = [column[i]];
        return rows;
    }

    private MinMaxScaler Fitted() =>
        IsFitted ? this : throw new InvalidOperationException("The scaler is not fitted: call Fit on the training rows first.");
}
