namespace LstmLab.Experiments.Forecasting;

/// <summary>The forecasts of the test steps and their errors.</summary>
/// <param name="Labels">The label (e.g. month) of each forecast step.</param>
/// <param name="Predicted">The forecasts, in the series' units.</param>
/// <param name="Expected">The observed values.</param>
/// <param name="Seconds">Wall-clock time of training and forecasting.</param>
/// <param name="FinalLoss">The training loss of the last epoch (scaled units), or null without training.</param>
public sealed record ForecastResult(IReadOnlyList<string> Labels, double[] Predicted, double[] Expected, double Seconds, double? FinalLoss)
{
    /// <summary>Root mean squared error.</summary>
    public double Rmse => ForecastErrors.Rmse(Predicted, Expected);

    /// <summary>Mean absolute error.</summary>
    public double Mae => ForecastErrors.Mae(Predicted, Expected);

    /// <summary>Mean absolute percentage error in percent, or null when an expected value is 0.</summary>
    public double? Mape => ForecastErrors.Mape(Predicted, Expected);
}

/// <summary>
/// Error measures of forecasts against observations, with the definitions of Darts
/// (<c>darts/metrics/metrics.py</c>: <c>rmse</c>, <c>mae</c>, <c>mape</c>, <c>smape</c>, <c>mase</c>, and
/// <c>_get_error_scale</c> in <c>darts/metrics/utils.py</c>).
/// </summary>
public static class ForecastErrors
{
    /// <summary>
    /// sMAPE in percent: <c>200 · mean(|e − p| / (|e| + |p|))</c>; a step where both are 0 counts 0
    /// (Darts' <c>zero_division</c> default).
    /// </summary>
    public static double Smape(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected)
    {
        Check(predicted, expected);
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double d = Math.Abs(expected[i]) + Math.Abs(predicted[i]);
            sum += d == 0 ? 0 : Math.Abs(expected[i] - predicted[i]) / d;
        }
        return 200 * sum / predicted.Length;
    }

    /// <summary>
    /// MASE's scale E_m: the mean absolute error of the m-seasonal naive forecast on the in-sample values
    /// (every observation before the forecast's first step), <c>mean(|y[t] − y[t − m]|)</c> for t = m..T−1.
    /// </summary>
    /// <exception cref="SettingException">Fewer than m + 1 in-sample values.</exception>
    public static double MaseScale(ReadOnlySpan<double> insample, int m)
    {
        if (m < 1 || insample.Length <= m)
            throw new SettingException($"MASE with {{0}} {m} needs more than {m} observations before the first forecast; there are {insample.Length}.", "Season");
        double sum = 0;
        for (int t = m; t < insample.Length; t++)
            sum += Math.Abs(insample[t] - insample[t - m]);
        return sum / (insample.Length - m);
    }

    /// <summary>MASE: <c>mean(|e − p|) / E_m</c> (<see cref="MaseScale"/>); NaN when E_m is 0 and the errors are not (Darts' default), 1 when both are.</summary>
    public static double Mase(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected, double scale)
    {
        double mae = Mae(predicted, expected);
        return scale != 0 ? mae / scale : mae == 0 ? 1 : double.NaN;
    }

    /// <summary>√(mean((p − e)²)), as sklearn's <c>sqrt(mean_squared_error(e, p))</c>.</summary>
    public static double Rmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected)
    {
        Check(predicted, expected);
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
            sum += (predicted[i] - expected[i]) * (predicted[i] - expected[i]);
        return Math.Sqrt(sum / predicted.Length);
    }

    /// <summary>mean(|p − e|).</summary>
    public static double Mae(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected)
    {
        Check(predicted, expected);
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
            sum += Math.Abs(predicted[i] - expected[i]);
        return sum / predicted.Length;
    }

    /// <summary>100 · mean(|(e − p) / e|), or null when any e is 0 (undefined).</summary>
    public static double? Mape(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected)
    {
        Check(predicted, expected);
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (expected[i] == 0)
                return null;
            sum += Math.Abs((expected[i] - predicted[i]) / expected[i]);
        }
        return 100 * sum / predicted.Length;
    }

    private static void Check(ReadOnlySpan<double> predicted, ReadOnlySpan<double> expected)
    {
        if (predicted.Length != expected.Length || predicted.Length == 0)
            throw new ArgumentException($"Forecast errors need equally long, non-empty series (got {predicted.Length} forecasts and {expected.Length} observations).");
    }
}
