using System.Globalization;
using LstmLab.Data;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// The scaling of framed rows: a <see cref="MinMaxScaler"/> to [-1, 1] fitted on the training rows only,
/// one scale per framed column (for one column and lag 1 exactly the seed's scaler over <c>[X, y]</c>),
/// with the identity for the columns whose <see cref="ForecastOptions.Scale"/> is <c>none</c>.
/// <c>x' = x · scale_j + offset_j</c>, inverted as <c>(x' − offset_j) / scale_j</c>.
/// </summary>
public sealed class FramedScaler
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Creates a scaler from its fitted multipliers and offsets (e.g. read from a saved forecaster).</summary>
    public FramedScaler(double[] scale, double[] offset)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(offset);
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Each framed column's multiplier.</summary>
    public double[] Scale { get; }

    /// <summary>Each framed column's offset.</summary>
    public double[] Offset { get; }

    /// <summary>Fits on <paramref name="rows"/>; <paramref name="warnings"/> gets a line for each column whose range is too small to tell from a constant.</summary>
    public static FramedScaler Fit(ForecastData data, IReadOnlyList<double[]> rows, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(warnings);
        var mm = new MinMaxScaler(-1, 1).Fit(rows);
        int width = rows[0].Length;
        var scale = new double[width];
        var offset = new double[width];
        for (int j = 0; j < width; j++)
        {
            int c = data.ColumnOf(j);
            bool scaled = data.Scaled[c];
            scale[j] = scaled ? mm.Scale[j] : 1;
            offset[j] = scaled ? mm.Offset[j] : 0;
            double range = mm.DataMax[j] - mm.DataMin[j];
            if (scaled && range > 0 && range < 10 * MachineEpsilon * Math.Max(1, Math.Max(Math.Abs(mm.DataMin[j]), Math.Abs(mm.DataMax[j]))))
            {
                string w = string.Create(CultureInfo.InvariantCulture,
                    $"column \"{data.Frame.Names[c]}\": its training values (differenced at {data.Intervals[c]}) span only {range:G3}, from {mm.DataMin[j]:G17} to {mm.DataMax[j]:G17}, too little for the scaler to tell from a constant; it is scaled as a constant (use Scale none or Difference 0 for it).");
                if (!warnings.Contains(w))
                    warnings.Add(w);
            }
        }
        return new FramedScaler(scale, offset);
    }

    /// <summary>Scales a framed row; a value beyond float32's range is an error naming the column and its range.</summary>
    /// <exception cref="DataFormatException">A scaled value overflows float32.</exception>
    public double[] Transform(ForecastData data, ReadOnlySpan<double> row)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new double[row.Length];
        for (int j = 0; j < row.Length; j++)
        {
            result[j] = row[j] * Scale[j] + Offset[j];
            if (Math.Abs(result[j]) > float.MaxValue)
            {
                int c = data.ColumnOf(j);
                double lo = data.Frame.Columns[c].Min(), hi = data.Frame.Columns[c].Max();
                throw new DataFormatException(data.Frame.Source, null, data.Frame.Names[c], null, string.Create(CultureInfo.InvariantCulture,
                    $"the value {row[j]:G6} (the column runs from {lo:G6} to {hi:G6}) scales to {result[j]:G3}, beyond float32's range (±3.4e38) that the network computes in; rescale the column (e.g. to other units) or change its Scale."));
            }
        }
        return result;
    }

    /// <summary>Undoes the scaling of framed column <paramref name="j"/>.</summary>
    public double Invert(int j, double scaled) => (scaled - Offset[j]) / Scale[j];
}
