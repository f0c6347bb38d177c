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

/// <summary>Error measures of forecasts against observations.</summary>
public static class ForecastErrors
{
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
