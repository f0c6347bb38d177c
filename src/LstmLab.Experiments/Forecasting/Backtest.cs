using System.Collections.Concurrent;
using System.Diagnostics;
using LstmLab.Data;
using LstmLab.Numerics;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// Backtests (historical forecasts): <c>Windows</c> origins <c>Stride</c> steps apart, the last one
/// forecasting the last <c>Horizon</c> observations; each origin forecasts the next H values from the data
/// before it. Training windows are expanding (every observation before the origin) or sliding (the last
/// <c>Sliding</c>); the LSTM is retrained every <c>Refit</c> origins (0: once, at the first). The four
/// <see cref="Baselines"/> are fitted on the same training window of every origin.
/// </summary>
/// <remarks>
/// Fits run in parallel; fit g's seed is <c>Seed</c> for g = 0 and <c>DeriveSeed(Seed, "backtest-fit", g)</c>
/// after, so the result does not depend on the thread count. Within one fit, horizon-1 forecasts walk
/// forward as the seed does (a stateful network's state runs through every step, from the fit on); longer
/// horizons start each origin from the state training ended with, walked over the observed rows between the fit
/// and the origin (<see cref="LstmForecaster.TrainedState"/>). H = 1, N = test rows, S = 1,
/// Refit = 0 is the seed's one-step walk-forward and gives its numbers exactly.
/// </remarks>
public static class Backtest
{
    /// <summary>The windows of a backtest of a series of <paramref name="length"/> steps.</summary>
    /// <exception cref="SettingException">The windows do not fit in the series.</exception>
    public static IReadOnlyList<BacktestWindow> Plan(int length, ForecastOptions options, int minimumOrigin)
    {
        ArgumentNullException.ThrowIfNull(options);
        int h = options.Horizon, n = options.Windows ?? 1, s = options.Stride ?? h;
        int first = length - h - (n - 1) * s;
        if (first < minimumOrigin)
        {
            throw new SettingException($"{{0}} {n} of {{1}} {h}, {{2}} {s} apart, start at step {first}, but the first origin needs at least {minimumOrigin} earlier observations " +
                $"(lag, differencing and one training row) and the series has {length}; use fewer windows, a shorter horizon or stride.", "Windows", "Horizon", "Stride");
        }
        var windows = new BacktestWindow[n];
        for (int i = 0; i < n; i++)
        {
            int origin = first + i * s;
            int fit = options.Refit == 0 ? 0 : i / options.Refit;
            int start = options.Sliding is int w ? Math.Max(0, origin - w) : 0;
            long seed = fit == 0 ? options.Seed : RandomGenerator.DeriveSeed(options.Seed, "backtest-fit", fit);
            windows[i] = new BacktestWindow(i, origin, start, fit, seed);
        }
        return windows;
    }

    /// <summary>Runs the backtest of <paramref name="frame"/>, whose last <paramref name="targets"/> columns are forecast.</summary>
    /// <param name="parallel">Fits trained at once (default: all cores); the result does not depend on it.</param>
    /// <param name="onWindow">Called (from worker threads) as each window is done.</param>
    /// <param name="cancel">Stops training between epochs.</param>
    /// <param name="onEpoch">Called (from worker threads) after each training epoch of each fit.</param>
    /// <exception cref="SettingException">A setting does not fit the data.</exception>
    public static BacktestResult Run(SeriesFrame frame, int targets, ForecastOptions options, int? parallel = null,
        Action<BacktestWindow>? onWindow = null, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var data = new ForecastData(frame, targets, options);
        int minimum = data.FirstRow + data.OutputSteps;
        IReadOnlyList<BacktestWindow> windows = Plan(frame.Length, options, minimum);
        int h = options.Horizon;
        var lstm = new double[windows.Count][][];
        var warnings = new ConcurrentBag<string>();
        double?[] losses = new double?[windows.Count];
        var groups = windows.GroupBy(w => w.Fit).Select(g => g.ToArray()).ToArray();
        var po = new ParallelOptions { MaxDegreeOfParallelism = parallel ?? Environment.ProcessorCount, CancellationToken = cancel };
        try
        {
            Parallel.ForEach(groups, po, group =>
            {
                using LstmLab.Numerics.EngineThreads.Scope threads = LstmLab.Numerics.EngineThreads.UseDefault(po.MaxDegreeOfParallelism > 1 ? 1 : null);
                var local = new List<string>();
                BacktestWindow head = group[0];
                LstmForecaster model = LstmForecaster.Fit(data, head.TrainStart, head.Origin, head.Seed, local, onEpoch, cancel);
                if (h == 1)
                {
                    double[][] walk = model.Walk([.. group.Select(w => w.Origin)]);
                    for (int i = 0; i < group.Length; i++)
                        lstm[group[i].Index] = [.. walk[i].Select(v => new[] { v })];
                }
                else
                {
                    foreach (BacktestWindow w in group)
                        lstm[w.Index] = model.Forecast(w.Origin, h);
                }
                foreach (BacktestWindow w in group)
                {
                    losses[w.Index] = model.FinalLoss;
                    onWindow?.Invoke(w);
                }
                foreach (string s in local)
                    warnings.Add(s);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            throw e.InnerExceptions[0] is OperationCanceledException oce ? oce : e.InnerExceptions[0];
        }

        var forecasts = new Dictionary<string, double[][][]> { [options.Cell] = lstm };
        return Score(frame, data, windows, options, forecasts, Baselines.Names, options.Season, clock.Elapsed.TotalSeconds, [.. warnings.Distinct().Order(StringComparer.Ordinal)], losses[^1]);
    }

    /// <summary>
    /// The baselines <paramref name="names"/> (default: all four) over the windows of the backtest
    /// <paramref name="options"/> describe, without training anything: the same windows, observations and
    /// fits as <see cref="Run"/> scores them with. The result's <see cref="BacktestResult.Forecasts"/> holds only these baselines.
    /// </summary>
    /// <param name="season">The seasonal naive's season when it is not <c>Season</c> (which also scales MASE); null: <c>Season</c>.</param>
    /// <exception cref="SettingException">The windows do not fit in the series, or a baseline cannot be fitted (a season longer than a training window).</exception>
    public static BacktestResult BaselinesOf(SeriesFrame frame, int targets, ForecastOptions options, IReadOnlyList<string>? names = null, int? season = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var data = new ForecastData(frame, targets, options);
        IReadOnlyList<BacktestWindow> windows = Plan(frame.Length, options, data.FirstRow + data.OutputSteps);
        return Score(frame, data, windows, options, [], names ?? Baselines.Names, season ?? options.Season, clock.Elapsed.TotalSeconds, [], null);
    }

    // The observations, MASE scales and baseline forecasts of every window, beside the forecasts already made.
    private static BacktestResult Score(SeriesFrame frame, ForecastData data, IReadOnlyList<BacktestWindow> windows, ForecastOptions options,
        Dictionary<string, double[][][]> forecasts, IReadOnlyList<string> baselines, int? season, double seconds, IReadOnlyList<string> warnings, double? finalLoss)
    {
        int h = options.Horizon;
        foreach (string b in baselines)
            forecasts[b] = new double[windows.Count][][];
        var actual = new double[windows.Count][][];
        var scales = new double[windows.Count][];
        var labels = new string[windows.Count][];
        for (int i = 0; i < windows.Count; i++)
        {
            BacktestWindow w = windows[i];
            labels[i] = [.. Enumerable.Range(w.Origin, h).Select(frame.LabelAt)];
            actual[i] = [.. data.Targets.Select(c => frame.Columns[c][w.Origin..(w.Origin + h)])];
            scales[i] = [.. data.Targets.Select(c => ForecastErrors.MaseScale(frame.Columns[c].AsSpan(0, w.Origin), options.Season ?? 1))];
            foreach (string b in baselines)
                forecasts[b][i] = [.. data.Targets.Select(c => Baselines.Forecast(b, frame.Columns[c].AsSpan(w.TrainStart, w.Origin - w.TrainStart), h, season))];
        }
        return new BacktestResult(h, windows, [.. data.Targets.Select(c => frame.Names[c])], labels, actual, scales, forecasts,
            seconds, warnings, finalLoss, options.Cell);
    }

    /// <summary>
    /// Trains on every observation and forecasts the <c>Horizon</c> steps after the last one; returns the
    /// forecaster (to save) and the forecasts <c>[target][h]</c>.
    /// </summary>
    public static (LstmForecaster Model, double[][] Forecast, IReadOnlyList<string> Warnings) Future(SeriesFrame frame, int targets, ForecastOptions options,
        Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var data = new ForecastData(frame, targets, options);
        var warnings = new List<string>();
        LstmForecaster model = LstmForecaster.Fit(data, 0, frame.Length, options.Seed, warnings, onEpoch, cancel);
        return (model, model.Forecast(frame.Length, options.Horizon), warnings);
    }
}
