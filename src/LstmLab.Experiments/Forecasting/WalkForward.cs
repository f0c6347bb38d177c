using System.Diagnostics;
using LstmLab.Data;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// Walk-forward (rolling) one-step forecasting of a univariate series, as seed tutorial 001 does it:
/// difference (lag 1) to remove the trend, frame as supervised learning with <c>Lag</c> lagged
/// differences as inputs, hold out the last <c>Test</c> rows, fit a MinMax scaler to [-1, 1] on the
/// training rows only, train an LSTM, then for each test step: predict, invert the scaling, invert the
/// differencing, and compare with the observation, which becomes history for the next step.
/// </summary>
public static class WalkForward
{
    /// <summary>The observations a forecast of <paramref name="test"/> steps with <paramref name="lag"/> lags needs at least.</summary>
    public static int MinimumLength(int test, int lag) => test + lag + 2;

    /// <summary>The persistence (naive) forecast: each test step is predicted by the previous observation.</summary>
    public static ForecastResult Persistence(TimeSeries series, int test)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (test < 1)
            throw new SettingException($"{{0}} must be at least 1 (got {test}).", nameof(ForecastOptions.Test));
        series.RequireLength(test + 1, $"A persistence forecast of {test} steps");
        var clock = Stopwatch.StartNew();
        double[] raw = series.Values;
        int first = raw.Length - test;
        double[] predicted = raw[(first - 1)..^1];
        double[] expected = raw[first..];
        return new ForecastResult([.. Enumerable.Range(first, test).Select(series.LabelAt)], predicted, expected, clock.Elapsed.TotalSeconds, null);
    }

    /// <summary>
    /// Trains an LSTM as <paramref name="options"/> say and forecasts: without <c>Windows</c> and with horizon 1,
    /// the seed's one-step walk-forward over the last <c>Test</c> steps (one fit); otherwise the backtest the
    /// options describe. The result holds the LSTM's forecasts of every window, pooled, of the first target;
    /// a series loaded with covariates (<see cref="TimeSeries.Frame"/>) is forecast from all its columns.
    /// </summary>
    /// <param name="onEpoch">Called after each training epoch.</param>
    /// <exception cref="SettingException">A setting is invalid or does not fit the series; the message names it.</exception>
    /// <exception cref="DataFormatException">The series is too short for the framing.</exception>
    public static ForecastResult Run(TimeSeries series, ForecastOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        bool seed = options.Windows is null && options.Horizon == 1;
        if (seed)
        {
            series.RequireLength(MinimumLength(options.Test, options.Lag),
                $"Lag-1 differencing, lag-{options.Lag} framing and a {options.Test}-step test set (plus at least one training row)");
        }
        SeriesFrame frame = series.Frame ?? SeriesFrame.From(series);
        BacktestResult r = Backtest.Run(frame, series.Frame is null ? 1 : series.FrameTargets, seed ? options.SeedProtocol() : options, 1, null, onEpoch, cancel);
        double[] predicted = [.. r.Forecasts[r.Model].SelectMany(w => w[0])];
        double[] expected = [.. r.Actual.SelectMany(w => w[0])];
        return new ForecastResult([.. r.Labels.SelectMany(l => l)], predicted, expected, r.Seconds, r.FinalLoss);
    }
}
