namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// One backtest window: the forecast origin (the first forecast step's row), the first observation it
/// trains on (0 for an expanding window), the fit it uses and that fit's seed.
/// </summary>
public sealed record BacktestWindow(int Index, int Origin, int TrainStart, int Fit, long Seed);

/// <summary>RMSE, MAE, MAPE (%; NaN when an observation is 0), sMAPE (%) and MASE of a set of forecasts.</summary>
public sealed record MetricSet(double Rmse, double Mae, double Mape, double Smape, double Mase)
{
    /// <summary>The metrics' names, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rmse", "mae", "mape", "smape", "mase"];

    /// <summary>The metric called <paramref name="name"/>.</summary>
    public double this[string name] => name switch
    {
        "rmse" => Rmse,
        "mae" => Mae,
        "mape" => Mape,
        "smape" => Smape,
        _ => Mase,
    };

    /// <summary>The metrics of forecasts <paramref name="p"/> of observations <paramref name="e"/>, each step's error scaled by <paramref name="scales"/> for MASE.</summary>
    public static MetricSet Of(double[] p, double[] e, double[] scales)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(scales);
        double mase = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double ae = Math.Abs(p[i] - e[i]);
            mase += scales[i] != 0 ? ae / scales[i] : ae == 0 ? 1 : double.NaN;
        }
        return new MetricSet(ForecastErrors.Rmse(p, e), ForecastErrors.Mae(p, e), ForecastErrors.Mape(p, e) ?? double.NaN,
            ForecastErrors.Smape(p, e), mase / p.Length);
    }

    /// <summary>The mean of each metric over <paramref name="sets"/> (Darts' default reduction over components).</summary>
    public static MetricSet Mean(IReadOnlyList<MetricSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        return new MetricSet(sets.Average(s => s.Rmse), sets.Average(s => s.Mae), sets.Average(s => s.Mape), sets.Average(s => s.Smape), sets.Average(s => s.Mase));
    }
}

/// <summary>
/// The forecasts of a backtest: for each model (the network, <c>lstm</c> or <c>gru</c>, and the <see cref="Baselines"/>), window,
/// target and step, beside the observations, with per-window and overall metrics.
/// </summary>
public sealed class BacktestResult
{
    internal BacktestResult(int horizon, IReadOnlyList<BacktestWindow> windows, string[] targets, string[][] labels,
        double[][][] actual, double[][] scales, IReadOnlyDictionary<string, double[][][]> forecasts, double seconds,
        IReadOnlyList<string> warnings, double? finalLoss, string model = "lstm")
    {
        Model = model;
        Models = [.. new[] { model }.Concat(Baselines.Names).Where(forecasts.ContainsKey)];
        Horizon = horizon;
        Windows = windows;
        Targets = targets;
        Labels = labels;
        Actual = actual;
        Scales = scales;
        Forecasts = forecasts;
        Seconds = seconds;
        Warnings = warnings;
        FinalLoss = finalLoss;
    }

    /// <summary>Steps per window.</summary>
    public int Horizon { get; }

    /// <summary>The windows, oldest origin first.</summary>
    public IReadOnlyList<BacktestWindow> Windows { get; }

    /// <summary>The target columns.</summary>
    public string[] Targets { get; }

    /// <summary>The label of each forecast step, <c>[window][h]</c>.</summary>
    public string[][] Labels { get; }

    /// <summary>The observations, <c>[window][target][h]</c>.</summary>
    public double[][][] Actual { get; }

    /// <summary>MASE's scale per window and target (from every observation before the origin).</summary>
    public double[][] Scales { get; }

    /// <summary>Model name → forecasts <c>[window][target][h]</c>; the trained network (<see cref="Model"/>) first, then the baselines.</summary>
    public IReadOnlyDictionary<string, double[][][]> Forecasts { get; }

    /// <summary>The trained network's name, by what it is: <c>lstm</c> or <c>gru</c> (the <c>Cell</c> setting).</summary>
    public string Model { get; }

    /// <summary>The model names in table order: <see cref="Model"/>, then the baselines (those forecast: <see cref="Backtest.BaselinesOf"/> has no network).</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Wall-clock time of the backtest.</summary>
    public double Seconds { get; }

    /// <summary>Warnings about the data (e.g. a range too small to scale).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The last fit's final training loss, or null.</summary>
    public double? FinalLoss { get; }

    /// <summary>The metrics of <paramref name="model"/> on one window (mean over targets).</summary>
    public MetricSet WindowMetrics(string model, int window) =>
        MetricSet.Mean([.. Enumerable.Range(0, Targets.Length).Select(k =>
            MetricSet.Of(Forecasts[model][window][k], Actual[window][k], Filled(Scales[window][k])))]);

    /// <summary>
    /// The metrics of <paramref name="model"/> over every window's steps pooled (for horizon 1 the seed's
    /// RMSE over the test steps), for target <paramref name="target"/>, or averaged over the targets when null.
    /// </summary>
    public MetricSet Overall(string model, int? target = null)
    {
        if (target is null)
            return MetricSet.Mean([.. Enumerable.Range(0, Targets.Length).Select(k => Overall(model, k))]);
        int kk = target.Value;
        double[] p = [.. Enumerable.Range(0, Windows.Count).SelectMany(w => Forecasts[model][w][kk])];
        double[] e = [.. Enumerable.Range(0, Windows.Count).SelectMany(w => Actual[w][kk])];
        double[] s = [.. Enumerable.Range(0, Windows.Count).SelectMany(w => Filled(Scales[w][kk]))];
        return MetricSet.Of(p, e, s);
    }

    /// <summary>The best model on <paramref name="metric"/> overall (lowest; NaN never best).</summary>
    public string Best(string metric) =>
        Models.Where(m => !double.IsNaN(Overall(m)[metric])).OrderBy(m => Overall(m)[metric]).FirstOrDefault() ?? Model;

    private double[] Filled(double scale) => Enumerable.Repeat(scale, Horizon).ToArray();
}
