using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

public sealed class WalkForwardTests
{
    private static readonly TimeSeries Shampoo = Datasets.ShampooSales();

    // Provenance (cited + tools): the tutorial's persistence RMSE 136.761 and the last forecast/actual (581.3, 646.9:
    // the series' last two values); numpy: tools/provenance/independent_values.txt [persistence].
    [Fact]
    public void Persistence_on_shampoo_last_12_months_is_the_tutorials_136_761()
    {
        ForecastResult result = WalkForward.Persistence(Shampoo, 12);
        Assert.Equal(136.761, Math.Round(result.Rmse, 3));
        Assert.Equal(12, result.Predicted.Length);
        Assert.Equal(581.3, result.Predicted[^1], 6);
        Assert.Equal(646.9, result.Expected[^1], 6);
        Assert.Equal("3-01", result.Labels[0]);
    }

    // Provenance (cited): the bound is the persistence RMSE above.
    [Fact]
    public void Base_stateful_configuration_beats_persistence_on_average()
    {
        // Shorter training than the tutorial's 1000 epochs keeps the test quick; the outcome still holds.
        double[] rmse = [.. Enumerable.Range(1, 3).Select(seed => WalkForward.Run(Shampoo, new ForecastOptions { Epochs = 300, Seed = seed }).Rmse)];
        Assert.True(rmse.Average() < 136.761, $"mean RMSE {rmse.Average()} is not below persistence");
    }

    [Fact]
    public void Same_seed_gives_identical_forecasts_and_different_seeds_differ()
    {
        var options = new ForecastOptions { Epochs = 20, Seed = 4 };
        double[] a = WalkForward.Run(Shampoo, options).Predicted;
        double[] b = WalkForward.Run(Shampoo, options).Predicted;
        double[] c = WalkForward.Run(Shampoo, options with { Seed = 5 }).Predicted;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batch_12_trains_on_the_last_12_rows_and_forecasts_12_steps(bool stateful)
    {
        var options = new ForecastOptions { Epochs = 30, BatchSize = 12, TrainRows = 12, Stateful = stateful };
        ForecastResult result = WalkForward.Run(Shampoo, options);
        Assert.Equal(12, result.Predicted.Length);
        Assert.All(result.Predicted, p => Assert.True(double.IsFinite(p)));
    }

    [Fact]
    public void Every_reset_regime_runs_and_the_regimes_change_the_forecasts()
    {
        var baseline = new ForecastOptions { Epochs = 40, Seed = 2 };
        ForecastOptions[] regimes =
        [
            baseline,
            baseline with { ResetEachPrediction = true },
            baseline with { ResetEachEpoch = false },
            baseline with { SeedState = true },
            baseline with { SeedState = true, ResetEachPrediction = true },
            baseline with { SeedState = true, ResetEachEpoch = false },
        ];
        var forecasts = regimes.Select(o => WalkForward.Run(Shampoo, o).Predicted).ToArray();
        Assert.All(forecasts, f => Assert.Equal(12, f.Length));
        // Seeding the state or resetting after each prediction changes what the model sees at test time.
        Assert.NotEqual(forecasts[0], forecasts[1]);
        Assert.NotEqual(forecasts[0], forecasts[3]);
        // Training never resets -> different training trajectory.
        Assert.NotEqual(forecasts[0], forecasts[2]);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_with_the_option_named()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => WalkForward.Run(Shampoo, new ForecastOptions { BatchSize = 5 }));
        Assert.Contains("batch", e.Message);
        e = Assert.Throws<SettingException>(() => WalkForward.Run(Shampoo, new ForecastOptions { Stateful = false, SeedState = true }));
        Assert.Contains("SeedState", e.Message);
        e = Assert.Throws<SettingException>(() => WalkForward.Run(Shampoo, new ForecastOptions { Lag = 0 }));
        Assert.Contains("Lag", e.Message);
        var tooShort = new TimeSeries([1.0, 2, 3, 4, 5], "short");
        Assert.Throws<DataFormatException>(() => WalkForward.Run(tooShort, new ForecastOptions { Test = 4 }));
    }

    [Fact]
    public void Lag_3_and_more_neurons_work_on_a_users_series()
    {
        // A trending seasonal series of 60 steps: the LSTM should beat persistence on it.
        double[] values = [.. Enumerable.Range(0, 60).Select(t => 100 + 2.0 * t + 20 * Math.Sin(2 * Math.PI * t / 12))];
        var series = new TimeSeries(values, "synthetic");
        ForecastResult result = WalkForward.Run(series, new ForecastOptions { Lag = 3, Neurons = 4, Epochs = 150, Seed = 1 });
        ForecastResult persistence = WalkForward.Persistence(series, 12);
        Assert.True(result.Rmse < persistence.Rmse, $"LSTM {result.Rmse} vs persistence {persistence.Rmse}");
    }

    // Provenance (hand): the formulas written out on the test's three values.
    [Fact]
    public void Error_measures_match_their_definitions()
    {
        double[] p = [1, 2, 4], e = [1, 3, 2];
        Assert.Equal(Math.Sqrt(5.0 / 3), ForecastErrors.Rmse(p, e), 12);
        Assert.Equal(1.0, ForecastErrors.Mae(p, e), 12);
        Assert.Equal(100 * (0 + 1.0 / 3 + 1.0) / 3, ForecastErrors.Mape(p, e)!.Value, 12);
        Assert.Null(ForecastErrors.Mape(p, [0, 1, 2]));
    }
}
