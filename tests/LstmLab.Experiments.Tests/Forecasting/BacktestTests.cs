using System.Text.Json;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

public sealed class BacktestTests
{
    private static readonly TimeSeries Shampoo = Datasets.ShampooSales();

    /// <summary>Fixture: tools/forecasting/make_metric_fixtures.py (numpy, Darts' definitions).</summary>
    private static JsonElement Fixture()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "forecast_metrics.json")));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Baselines_and_metrics_match_the_numpy_fixture()
    {
        JsonElement root = Fixture();
        double[] series = [.. root.GetProperty("series").EnumerateArray().Select(v => v.GetDouble())];
        foreach (JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            int origin = c.GetProperty("origin").GetInt32(), h = c.GetProperty("horizon").GetInt32(), start = c.GetProperty("train_start").GetInt32();
            int? season = c.GetProperty("season").ValueKind == JsonValueKind.Null ? null : c.GetProperty("season").GetInt32();
            double[] actual = series[origin..(origin + h)];
            double scale = ForecastErrors.MaseScale(series.AsSpan(0, origin), season ?? 1);
            Assert.Equal(c.GetProperty("mase_scale").GetDouble(), scale, 10);
            foreach (string b in Baselines.Names)
            {
                double[] expected = [.. c.GetProperty("baselines").GetProperty(b).EnumerateArray().Select(v => v.GetDouble())];
                double[] got = Baselines.Forecast(b, series.AsSpan(start, origin - start), h, season);
                Assert.Equal(expected.Length, got.Length);
                for (int i = 0; i < got.Length; i++)
                    Assert.Equal(expected[i], got[i], 9);
                AssertMetrics(c.GetProperty("baseline_metrics").GetProperty(b), MetricSet.Of(got, actual, [.. Enumerable.Repeat(scale, h)]));
            }
            double[] forecast = [.. c.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble())];
            AssertMetrics(c.GetProperty("metrics"), MetricSet.Of(forecast, actual, [.. Enumerable.Repeat(scale, h)]));
        }
    }

    private static void AssertMetrics(JsonElement expected, MetricSet got)
    {
        foreach (string m in MetricSet.Names)
            Assert.Equal(expected.GetProperty(m).GetDouble(), got[m], 9);
    }

    // Provenance (hand): origins and train starts follow from the test's 20-point series, horizon 3, stride 2, 3
    // windows: the last ends at 20, so 17, 15, 13 (sliding 10 at stride 3: origins 11, 14, 17, starts origin − 10);
    // the seed is the one passed.
    [Fact]
    public void Windows_end_at_the_series_end_stride_apart_with_expanding_or_sliding_training_and_refit_groups()
    {
        var o = new ForecastOptions { Horizon = 3, Windows = 3, Stride = 2, Refit = 2, Seed = 5 };
        IReadOnlyList<BacktestWindow> w = Backtest.Plan(20, o, minimumOrigin: 4);
        Assert.Equal([13, 15, 17], w.Select(x => x.Origin));
        Assert.Equal(20, w[^1].Origin + o.Horizon);
        Assert.All(w, x => Assert.Equal(0, x.TrainStart));
        Assert.Equal([0, 0, 1], w.Select(x => x.Fit));
        Assert.Equal(5, w[0].Seed);
        Assert.Equal(w[0].Seed, w[1].Seed);
        Assert.NotEqual(w[0].Seed, w[2].Seed);

        IReadOnlyList<BacktestWindow> sliding = Backtest.Plan(20, o with { Sliding = 10, Refit = 0, Stride = null }, 4);
        Assert.Equal([11, 14, 17], sliding.Select(x => x.Origin));
        Assert.Equal([1, 4, 7], sliding.Select(x => x.TrainStart));
        Assert.All(sliding, x => Assert.Equal(0, x.Fit));

        var e = Assert.Throws<SettingException>(() => Backtest.Plan(10, o with { Windows = 5 }, 4));
        Assert.Equal(["Windows", "Horizon", "Stride"], e.Settings);
        Assert.Contains("--windows", e.Render(ForecastSettings.FlagOf));
    }

    // Provenance: 136.761 cited (the tutorial's persistence RMSE, ../shared/seeds/001; numpy:
    // tools/provenance/independent_values.txt [persistence]); 103.152 is a regression pin produced by LstmLab at
    // commit 83295de (the seed-001 stateful run, seed 1), guarding against change, not correctness.
    [Fact]
    public void The_one_step_case_reproduces_the_seed_exactly_rmse_103_152_for_seed_1()
    {
        // Seed 001's base configuration, 1000 epochs, seed 1: the README's 103.152.
        var o = new ForecastOptions { Horizon = 1, Windows = 12, Stride = 1, Refit = 0, Seed = 1 };
        BacktestResult r = Backtest.Run(SeriesFrame.From(Shampoo), 1, o, parallel: 1);
        Assert.Equal(103.152, Math.Round(r.Overall("lstm").Rmse, 3));
        Assert.Equal(136.761, Math.Round(r.Overall("naive").Rmse, 3));
        Assert.Equal(WalkForward.Run(Shampoo, new ForecastOptions()).Predicted, r.Forecasts["lstm"].Select(x => x[0][0]));
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var o = new ForecastOptions { Horizon = 3, Windows = 4, Stride = 3, Epochs = 15, Stateful = false, Lag = 2 };
        BacktestResult one = Backtest.Run(SeriesFrame.From(Shampoo), 1, o, parallel: 1);
        BacktestResult many = Backtest.Run(SeriesFrame.From(Shampoo), 1, o, parallel: 4);
        Assert.Equal(one.Forecasts["lstm"].SelectMany(w => w[0]), many.Forecasts["lstm"].SelectMany(w => w[0]));
    }

    [Theory]
    [InlineData(ForecastStrategy.Recursive, true)]
    [InlineData(ForecastStrategy.Direct, true)]
    [InlineData(ForecastStrategy.Recursive, false)]
    public void Multi_step_forecasts_of_a_seasonal_series_beat_the_mean_baseline(ForecastStrategy strategy, bool stateless)
    {
        TimeSeries air = Datasets.AirPassengers();
        var o = new ForecastOptions { Horizon = 12, Windows = 1, Strategy = strategy, Stateful = !stateless, Lag = 12, Neurons = 4, Epochs = 60, Season = 12 };
        BacktestResult r = Backtest.Run(SeriesFrame.From(air), 1, o);
        Assert.Equal(12, r.Forecasts["lstm"][0][0].Length);
        Assert.True(r.Overall("lstm").Mase < r.Overall("mean").Mase, $"{strategy}: LSTM MASE {r.Overall("lstm").Mase} vs mean {r.Overall("mean").Mase}");
    }
}
