using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Plots;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// One baseline's scores on an experiment's test steps (the steps its repeats forecast), or why it could not be
/// computed there.
/// </summary>
/// <param name="Name">The baseline's name in <see cref="Baselines.Names"/>: naive, seasonal_naive, drift, mean.</param>
/// <param name="Label">How reports name it: <c>persistence</c>, <c>seasonal naive (m = 12)</c>, <c>drift</c>, <c>mean</c>; with the
/// configurations it belongs to when configurations test on different steps.</param>
/// <param name="Rmse">Test RMSE (NaN when not computed).</param>
/// <param name="Mae">Test MAE (NaN when not computed).</param>
/// <param name="Mape">Test MAPE in % (null when an observation is 0 or when not computed).</param>
/// <param name="Unavailable">Why the baseline could not be computed (a season longer than the training window), or null.</param>
public sealed record BaselineScore(string Name, string Label, double Rmse, double Mae, double? Mape, string? Unavailable = null)
{
    /// <summary>Whether the baseline was computed.</summary>
    public bool Computed => Unavailable is null;

    /// <summary>What the baseline forecasts, in words, for tables and captions.</summary>
    public string Meaning => Name switch
    {
        "naive" => "each test step = the observation before it",
        "seasonal_naive" => "each test step = the observation one season earlier",
        "drift" => "the line through the first and last observations before the step",
        _ => "the mean of every observation before the step",
    };
}

/// <summary>
/// The four <see cref="Baselines"/> (persistence, seasonal naive, drift, mean) of an experiment, computed by
/// <see cref="Backtest.BaselinesOf"/> on exactly the windows its repeats are scored on (the seed's one-step
/// walk-forward over the last <c>test</c> steps, or the backtest the configuration describes), for the first
/// target, as <see cref="WalkForward.Run"/> scores the network.
/// </summary>
public static class ExperimentBaselines
{
    // Colours (matplotlib's C3, C4, C5, C6) and dash patterns, so each line can be told apart without colour too.
    private static readonly Dictionary<string, (string Color, string Dash)> Styles = new()
    {
        ["naive"] = ("#d62728", "6,4"),
        ["seasonal_naive"] = ("#9467bd", "2,3"),
        ["drift"] = ("#8c564b", "9,3,2,3"),
        ["mean"] = ("#e377c2", "3,6"),
    };

    /// <summary>
    /// The season m of the seasonal naive baseline: a configuration's own <c>season</c> setting, else the data's
    /// (<see cref="SeasonOf"/>: monthly dates 12, quarterly 4, daily 7), else none (then the seasonal naive is the persistence forecast).
    /// </summary>
    public static int? SeasonFor(ForecastOptions options, TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(series);
        return options.Season ?? SeasonOf(series);
    }

    /// <summary>
    /// The season its dates give a series: 12 for monthly dates (every step one month, same day of the month, as
    /// Shampoo's <c>1-01</c> … <c>3-12</c>), 4 for quarterly, 7 for daily; null without dates or for any other step.
    /// </summary>
    public static int? SeasonOf(TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        DateOnly[]? d = series.Dates;
        if (d is null || d.Length < 2)
            return null;
        int months = Months(d[0], d[1]);
        if (d.All(x => x.Day == d[0].Day) && Enumerable.Range(1, d.Length - 1).All(i => Months(d[i - 1], d[i]) == months))
            return months switch { 1 => 12, 3 => 4, _ => null };
        return Enumerable.Range(1, d.Length - 1).All(i => d[i].DayNumber - d[i - 1].DayNumber == 1) ? 7 : null;
    }

    /// <summary>
    /// The baselines of <paramref name="configurations"/> on <paramref name="series"/>: one set when every
    /// configuration is scored on the same steps with the same season (the usual case), else one set per group of
    /// configurations that are, labelled with the group. Persistence comes first. A baseline that cannot be
    /// computed is listed with the reason.
    /// </summary>
    public static IReadOnlyList<BaselineScore> Of(TimeSeries series, IReadOnlyList<ExperimentConfiguration> configurations)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(configurations);
        var groups = configurations
            .Select(c => (c.Name, c.Options.Test, Scores: ForConfiguration(series, c.Options)))
            .GroupBy(c => string.Join(";", c.Scores.Select(s => s.Label + "=" + R(s.Rmse) + "/" + R(s.Mae) + "/" + s.Unavailable)))
            .ToArray();
        if (groups.Length == 1)
            return groups[0].First().Scores;
        bool byTest = groups.All(g => g.Select(c => c.Test).Distinct().Count() == 1) && groups.Select(g => g.First().Test).Distinct().Count() == groups.Length;
        return [.. groups.SelectMany(g =>
        {
            string suffix = byTest ? F($" (test {g.First().Test})") : " (" + string.Join("; ", g.Select(c => c.Name)) + ")";
            return g.First().Scores.Select(s => s with { Label = s.Label + suffix });
        }).OrderBy(s => s.Name == "naive" ? 0 : 1)];
    }

    /// <summary>The four baselines on the steps one configuration's repeats are scored on.</summary>
    public static IReadOnlyList<BaselineScore> ForConfiguration(TimeSeries series, ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        // The windows WalkForward.Run scores the network on: the seed's protocol, or the configuration's backtest.
        ForecastOptions windows = options.Windows is null && options.Horizon == 1 ? options.SeedProtocol() : options;
        SeriesFrame frame = series.Frame ?? SeriesFrame.From(series);
        int targets = series.Frame is null ? 1 : series.FrameTargets;
        int? season = SeasonFor(options, series);
        var scores = new List<BaselineScore>();
        foreach (string name in Baselines.Names)
        {
            string label = name switch
            {
                "naive" => "persistence",
                "seasonal_naive" => season is int m ? F($"seasonal naive (m = {m})") : "seasonal naive (no season)",
                _ => name,
            };
            try
            {
                // MASE (not shown here) is scaled as the repeats' own runs scale it; only the seasonal naive takes the data's season.
                MetricSet m = Backtest.BaselinesOf(frame, targets, windows, [name], season).Overall(name, 0);
                scores.Add(new BaselineScore(name, label, m.Rmse, m.Mae, double.IsNaN(m.Mape) ? null : m.Mape));
            }
            catch (Exception e) when (e is SettingException or DataFormatException)
            {
                scores.Add(new BaselineScore(name, label, double.NaN, double.NaN, null, e.Message));
            }
        }
        return scores;
    }

    /// <summary>The computed baselines as box-plot reference lines, each in its own colour and dash pattern.</summary>
    public static IReadOnlyList<ReferenceLine> Lines(IEnumerable<BaselineScore> baselines)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        return [.. baselines.Where(b => b.Computed && double.IsFinite(b.Rmse)).Select(b =>
        {
            (string color, string dash) = Styles.TryGetValue(b.Name, out var s) ? s : Styles["naive"];
            return new ReferenceLine(b.Label, b.Rmse, color, dash);
        })];
    }

    private static int Months(DateOnly a, DateOnly b) => (b.Year - a.Year) * 12 + b.Month - a.Month;

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
