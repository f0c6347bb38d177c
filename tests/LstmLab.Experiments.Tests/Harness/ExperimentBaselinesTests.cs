using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Tests.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

/// <summary>
/// The four baselines in experiment reports: the same values as a backtest's on the same test steps, computed here
/// by hand from the series too; drawn on the box plot, off-scale ones as labelled arrows; one that cannot be
/// computed is said to be missing, with the reason.
/// </summary>
public sealed class ExperimentBaselinesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-baselines-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ExperimentReport Run(ExperimentDefinition experiment, string name)
    {
        string output = Path.Combine(_dir, name);
        ExperimentReport report = ExperimentReport.For(experiment, RepeatRunner.Run(experiment, new RunSettings(output)));
        report.WriteAll(output);
        return report;
    }

    // Provenance (hand): the formulas are Darts' NaiveSeasonal/NaiveDrift/NaiveMean restated, applied here to the
    // shipped Shampoo values at the 12 one-step origins 24..35 (each fitted on every observation before it); m = 12
    // because Shampoo is monthly. 136.761 is the tutorial's persistence RMSE (cited, ../shared/seeds/001).
    [Fact]
    public void The_report_has_all_four_baselines_equal_to_the_backtests_and_to_a_hand_computation()
    {
        ExperimentReport report = Run(BuiltinExperiments.Load("stateful-vs-stateless").With(2, epochs: 5), "four");
        double[] y = Datasets.ShampooSales().Values;
        int[] origins = [.. Enumerable.Range(24, 12)];
        double[] expected = [.. origins.Select(o => y[o])];
        var hand = new Dictionary<string, double[]>
        {
            ["naive"] = [.. origins.Select(o => y[o - 1])],
            ["seasonal_naive"] = [.. origins.Select(o => y[o - 12])],
            ["drift"] = [.. origins.Select(o => y[o - 1] + (y[o - 1] - y[0]) / (o - 1))],
            ["mean"] = [.. origins.Select(o => y[..o].Average())],
        };
        // The backtest `lstmlab backtest --horizon 1 --windows 12 --stride 1 --refit 0 --season 12` scores.
        BacktestResult backtest = Backtest.Run(SeriesFrame.From(Datasets.ShampooSales()), 1,
            new ForecastOptions { Epochs = 1, Horizon = 1, Windows = 12, Stride = 1, Refit = 0, Season = 12 }, parallel: 1);

        Assert.Equal(["naive", "seasonal_naive", "drift", "mean"], report.Baselines.Select(b => b.Name));
        Assert.Equal(["persistence", "seasonal naive (m = 12)", "drift", "mean"], report.Baselines.Select(b => b.Label));
        foreach (BaselineScore b in report.Baselines)
        {
            double[] p = hand[b.Name];
            double rmse = Math.Sqrt(p.Zip(expected, (a, e) => (a - e) * (a - e)).Average());
            double mae = p.Zip(expected, (a, e) => Math.Abs(a - e)).Average();
            double mape = 100 * p.Zip(expected, (a, e) => Math.Abs((a - e) / e)).Average();
            Assert.Equal(rmse, b.Rmse, 9);
            Assert.Equal(mae, b.Mae, 9);
            Assert.Equal(mape, b.Mape!.Value, 9);
            MetricSet m = backtest.Overall(b.Name);
            Assert.Equal((m.Rmse, m.Mae, m.Mape), (b.Rmse, b.Mae, b.Mape!.Value));
        }
        Assert.Equal(136.761, report.Baselines[0].Rmse, 3);

        // In the tables, the CSV and on the plot: a line within the range, an arrow at the edge beyond it.
        string md = report.Markdown();
        Assert.Contains("## Baselines", md, StringComparison.Ordinal);
        foreach (BaselineScore b in report.Baselines)
        {
            string rmse = b.Rmse.ToString("F3", CultureInfo.InvariantCulture);
            Assert.Contains($"| {b.Label} | {b.Meaning} | {rmse} | {b.Mae.ToString("F3", CultureInfo.InvariantCulture)} |", md, StringComparison.Ordinal);
            Assert.Contains(rmse, report.Html(), StringComparison.Ordinal);
            Assert.Contains($"{b.Label} RMSE {rmse}", report.ConsoleText(), StringComparison.Ordinal);
        }
        string[] csv = File.ReadAllLines(Path.Combine(_dir, "four", "baselines.csv"));
        Assert.Equal("baseline,rmse,mae,mape,unavailable", csv[0]);
        Assert.Equal(report.Baselines.Select(b => b.Label + "," + b.Rmse.ToString("R", CultureInfo.InvariantCulture) + ","), csv[1..].Select(l => string.Join(",", l.Split(',')[..2]) + ","));

        var svg = SvgAssert.Parse(report.BoxPlot());
        var lines = svg.WithClass("reference").Select(g => (string)g.Attribute("data-name")!).ToList();
        var arrows = svg.WithClass("reference-offscale").Select(g => (string)g.Attribute("data-name")!).ToList();
        Assert.Equal(report.Baselines.Select(b => b.Label).Order(), lines.Concat(arrows).Order());
        Assert.Contains("persistence", lines);
        double top = svg.WithClass("tick-label").Max(t => double.Parse(t.Value, CultureInfo.InvariantCulture));
        double bottom = svg.WithClass("tick-label").Min(t => double.Parse(t.Value, CultureInfo.InvariantCulture));
        foreach (BaselineScore b in report.Baselines)
            Assert.Equal(arrows.Contains(b.Label), b.Rmse > top || b.Rmse < bottom);
        foreach (string label in arrows)
        {
            BaselineScore b = report.Baselines.Single(x => x.Label == label);
            Assert.Contains(svg.WithClass("reference-label"), t => t.Value == $"{label} {b.Rmse.ToString("G5", CultureInfo.InvariantCulture)} {(b.Rmse > top ? "↑" : "↓")}");
        }
        Assert.Contains("dashed lines: the baselines", report.BoxPlotCaption, StringComparison.Ordinal);
    }

    // Provenance (hand): 20 monthly observations (the first 20 of Shampoo, re-dated 2001-01 .. 2002-08), test 12: the first
    // origin has 8 earlier observations, fewer than the season of 12.
    [Fact]
    public void A_baseline_that_cannot_be_computed_is_reported_missing_with_its_reason()
    {
        double[] y = Datasets.ShampooSales().Values[..20];
        string csv = "month,sales\n" + string.Concat(y.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{2001 + i / 12}-{i % 12 + 1:00}-01,{v}\n")));
        File.WriteAllText(Path.Combine(_dir, "short.csv"), csv);
        ExperimentDefinition d = ExperimentFile.Parse("name: short\ndata: short.csv\ndate_column: month\nrepeats: 2\nbase:\n  epochs: 3\nconfigurations:\n  a: {}\n", "short.yaml", _dir);
        ExperimentReport report = Run(d, "short");
        BaselineScore seasonal = report.Baselines.Single(b => b.Name == "seasonal_naive");
        Assert.False(seasonal.Computed);
        Assert.Contains("needs at least 12 training values; the window has 8", seasonal.Unavailable, StringComparison.Ordinal);
        Assert.All(report.Baselines.Where(b => b.Name != "seasonal_naive"), b => Assert.True(b.Computed));
        Assert.Contains("seasonal naive (m = 12): not computed here", report.ConsoleText(), StringComparison.Ordinal);
        Assert.Contains("| seasonal naive (m = 12) | each test step = the observation one season earlier | not computed |", report.Markdown(), StringComparison.Ordinal);
        Assert.Contains(",\"The seasonal naive baseline", File.ReadAllText(Path.Combine(_dir, "short", "baselines.csv")), StringComparison.Ordinal);
        Assert.DoesNotContain("seasonal naive", string.Concat(SvgAssert.Parse(report.BoxPlot()).WithClass("reference-label").Select(t => t.Value)), StringComparison.Ordinal);
    }

    // Provenance (hand): the seasons the dates imply (monthly 12, quarterly 4, daily 7; none without dates).
    [Fact]
    public void The_season_comes_from_the_setting_else_from_the_dates()
    {
        TimeSeries shampoo = Datasets.ShampooSales();
        Assert.Equal(12, ExperimentBaselines.SeasonOf(shampoo));
        Assert.Equal(5, ExperimentBaselines.SeasonFor(new ForecastOptions { Season = 5 }, shampoo));
        DateOnly start = new(2020, 1, 1);
        TimeSeries Dated(Func<int, DateOnly> at) => new([1, 2, 3, 4, 5], dates: [.. Enumerable.Range(0, 5).Select(at)]);
        Assert.Equal(4, ExperimentBaselines.SeasonOf(Dated(i => start.AddMonths(3 * i))));
        Assert.Equal(7, ExperimentBaselines.SeasonOf(Dated(i => start.AddDays(i))));
        Assert.Null(ExperimentBaselines.SeasonOf(Dated(i => start.AddDays(7 * i))));
        Assert.Null(ExperimentBaselines.SeasonOf(new TimeSeries([1, 2, 3])));
    }
}
