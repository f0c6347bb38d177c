using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

// Provenance (whole file) (hand): rows, levels and shapes are read off the small frame the test builds (Frame()), by
// hand.

public sealed class ForecastDataTests
{
    private static SeriesFrame Frame() => new(
        ["price", "sales"],
        [[10, 11, 13, 16, 20, 25, 31, 38], [5, 7, 6, 9, 8, 12, 11, 15]]);

    [Fact]
    public void Rows_hold_each_columns_lags_then_the_outputs_and_invert_back_to_the_levels()
    {
        var o = new ForecastOptions { Lag = 2, Difference = PerColumn.Parse("1,price=0", v => v, "1") };
        var data = new ForecastData(Frame(), 1, o);
        Assert.Equal([0, 1], data.Intervals);
        Assert.Equal(3, data.FirstRow);
        double[] row = data.Row(4, data.Z);
        // price undifferenced (lags t-2, t-1), sales differenced; outputs: next price and next sales difference.
        Assert.Equal([13, 16, -1, 3, 20, -1], row);
        // Inversion: sales level at 4 = z + level[3].
        Assert.Equal(8, data.Level(1, row[5], Frame().Columns[1], 4));
        Assert.Equal(20, data.Level(0, row[4], Frame().Columns[0], 4));
    }

    [Fact]
    public void Scaling_round_trips_and_leaves_unscaled_columns_alone()
    {
        var o = new ForecastOptions { Lag = 1, Scale = PerColumn.Parse("minmax,price=none", v => v, "minmax") };
        var data = new ForecastData(Frame(), 1, o);
        double[][] rows = [.. Enumerable.Range(data.FirstRow, 5).Select(t => data.Row(t, data.Z))];
        FramedScaler scaler = FramedScaler.Fit(data, rows, new List<string>());
        foreach (double[] r in rows)
        {
            double[] s = scaler.Transform(data, r);
            Assert.Equal(r[0], s[0]);
            Assert.InRange(s[1], -1, 1);
            for (int j = 0; j < r.Length; j++)
                Assert.Equal(r[j], scaler.Invert(j, s[j]), 12);
        }
    }

    [Fact]
    public void Direct_rows_hold_every_step_of_every_target()
    {
        var o = new ForecastOptions { Lag = 1, Horizon = 2, Strategy = ForecastStrategy.Direct, Difference = new PerColumn("0") };
        var data = new ForecastData(Frame(), 2, o);
        Assert.Equal(4, data.Outputs);
        Assert.Equal([13.0, 6, 16, 9, 20, 8], data.Row(3, data.Z));
        Assert.Equal((1, 5), data.TrainingRows(0, 7));
    }

    [Fact]
    public void A_per_column_setting_naming_an_unknown_column_is_refused_by_name()
    {
        var o = new ForecastOptions { Difference = PerColumn.Parse("1,volume=0", v => v, "1") };
        var e = Assert.Throws<SettingException>(() => new ForecastData(Frame(), 1, o));
        Assert.Contains("volume", e.Message);
        Assert.Equal("--difference", ForecastSettings.FlagOf(e.Settings[0]));
    }
}
