using LstmLab.Experiments.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Plots;

// Provenance (whole file) (hand): each case's range and step follow from the nice-numbers rule (steps 1, 2, 2.5, 5 ×
// 10^k, at most 8 intervals: Heckbert, Graphics Gems 1990), worked by hand as the comments show.

public class NiceScaleTests
{
    [Theory]
    [InlineData(87.3, 166.5, 80, 180, 20)] // step 10 would need 9 intervals
    [InlineData(94.1, 114.9, 90, 115, 5)]  // steps 2 and 2.5 would need 11 and 9 intervals
    [InlineData(0.0, 1.0, 0, 1, 0.2)]
    [InlineData(90.2, 99.0, 90, 100, 2)]
    [InlineData(-3.2, 4.9, -4, 6, 2)]
    [InlineData(0.0, 11.0, 0, 12, 2)]
    [InlineData(0.0, 1.9, 0, 2, 0.25)]
    [InlineData(1234.0, 56789.0, 0, 60000, 10000)]
    public void Chooses_round_steps_covering_the_data(double lo, double hi, double min, double max, double step)
    {
        NiceScale s = NiceScale.For(lo, hi);
        Assert.Equal(step, s.Step, 12);
        Assert.Equal(min, s.Min, 9);
        Assert.Equal(max, s.Max, 9);
        Assert.True(s.Ticks.Count - 1 <= 8);
    }

    [Fact]
    public void Labels_have_just_enough_decimals()
    {
        NiceScale s = NiceScale.For(0.1, 0.9);
        Assert.Equal(0.1, s.Step, 12);
        Assert.Equal(["0.1", "0.2", "0.3"], s.Ticks.Take(3).Select(s.Label));
        NiceScale quarter = NiceScale.For(0, 1.9, 8);
        Assert.Equal(0.25, quarter.Step, 12);
        Assert.Equal("0.25", quarter.Label(0.25));
    }

    [Fact]
    public void Degenerate_ranges_are_widened()
    {
        NiceScale s = NiceScale.For(5, 5);
        Assert.True(s.Min < 5 && s.Max > 5);
        NiceScale z = NiceScale.For(0, 0);
        Assert.True(z.Min < 0 && z.Max > 0);
        NiceScale nan = NiceScale.For(double.NaN, 1);
        Assert.Equal(0, nan.Min);
        Assert.Equal(1, nan.Max);
    }
}
