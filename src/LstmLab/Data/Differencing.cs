namespace LstmLab.Data;

/// <summary>
/// Differencing removes a trend (interval 1) or a season (interval = season length) so the series
/// is closer to stationary; its inverses put forecasts back on the original scale.
/// </summary>
public static class Differencing
{
    /// <summary>
    /// The differenced series <c>d[i] = v[i + n] - v[i]</c> for <c>i = 0 .. L - n - 1</c>, where
    /// <c>n</c> = <paramref name="interval"/> and <c>L</c> = the length: <c>n</c> values shorter than
    /// the input (the seed's <c>difference(dataset, interval)</c>). For Shampoo Sales with
    /// <c>n = 1</c>: -120.1, 37.2, -63.8, …
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The series has no more than <paramref name="interval"/> values, so nothing would remain.</exception>
    public static double[] Difference(ReadOnlySpan<double> values, int interval = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        if (values.Length <= interval)
        {
            throw new ArgumentException(
                $"Differencing with interval {interval} needs at least {interval + 1} values; the series has {values.Length}.", nameof(values));
        }
        var diff = new double[values.Length - interval];
        for (int i = 0; i < diff.Length; i++)
            diff[i] = values[i + interval] - values[i];
        return diff;
    }

    /// <summary>
    /// Undoes differencing for one forecast: <c>yhat + history[^interval]</c>, the value
    /// <paramref name="interval"/> steps back from the end of <paramref name="history"/> (the seed's
    /// <c>inverse_difference(history, yhat, interval)</c>). With lag-1 differencing and history the
    /// raw values up to the step before the forecast, interval is 1. The seed passes the whole raw
    /// series and <c>interval = testCount + 1 - i</c> for test step <c>i</c>, which reaches the same
    /// previous value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not in <c>1 .. history.Length</c>.</exception>
    public static double InvertDifference(ReadOnlySpan<double> history, double yhat, int interval = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        if (interval > history.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval,
                $"Inverting a difference {interval} steps back needs at least {interval} history values; got {history.Length}.");
        }
        return yhat + history[^interval];
    }

    /// <summary>
    /// Rebuilds a whole series from its differences: with <c>n</c> = <c>firstValues.Length</c> (the
    /// interval), <c>v[i] = firstValues[i]</c> for <c>i &lt; n</c> and <c>v[i + n] = d[i] + v[i]</c>.
    /// <c>Integrate(v[..n], Difference(v, n))</c> returns <c>v</c> (up to rounding).
    /// </summary>
    /// <param name="firstValues">The first <c>n</c> original values; its length is the interval.</param>
    /// <param name="diffs">The differenced series.</param>
    /// <exception cref="ArgumentException"><paramref name="firstValues"/> is empty.</exception>
    public static double[] Integrate(ReadOnlySpan<double> firstValues, ReadOnlySpan<double> diffs)
    {
        if (firstValues.IsEmpty)
            throw new ArgumentException("Integrating needs the first n original values (n = the interval, at least 1); got none.", nameof(firstValues));
        int n = firstValues.Length;
        var values = new double[n + diffs.Length];
        firstValues.CopyTo(values);
        for (int i = 0; i < diffs.Length; i++)
            values[i + n] = diffs[i] + values[i];
        return values;
    }
}
