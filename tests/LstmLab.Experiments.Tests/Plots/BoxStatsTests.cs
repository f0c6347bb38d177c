using LstmLab.Experiments.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Plots;

public class BoxStatsTests
{
    [Fact]
    public void Matches_matplotlib_cbook_boxplot_stats()
    {
        foreach (var c in StatsFixture.Items("boxplot"))
        {
            string name = StatsFixture.Str(c, "name");
            BoxStats s = BoxStats.Of(StatsFixture.Sample(name));
            StatsFixture.Close(StatsFixture.Num(c, "mean"), s.Mean, 1e-14, 0, name + " mean");
            StatsFixture.Close(StatsFixture.Num(c, "med"), s.Median, 1e-15, 0, name + " med");
            StatsFixture.Close(StatsFixture.Num(c, "q1"), s.Q1, 1e-15, 0, name + " q1");
            StatsFixture.Close(StatsFixture.Num(c, "q3"), s.Q3, 1e-15, 0, name + " q3");
            StatsFixture.Close(StatsFixture.Num(c, "iqr"), s.Iqr, 1e-14, 1e-14, name + " iqr");
            StatsFixture.Close(StatsFixture.Num(c, "whislo"), s.WhiskerLow, 0, 0, name + " whislo");
            StatsFixture.Close(StatsFixture.Num(c, "whishi"), s.WhiskerHigh, 0, 0, name + " whishi");
            Assert.Equal(StatsFixture.Nums(c, "fliers"), s.Fliers);
        }
    }

    // Provenance (tools): numpy percentiles, tools/provenance/independent_values.txt [box]: Q1 2.75, Q3 8.25,
    // whiskers 1 and 10, fliers −20 and 30.
    [Fact]
    public void Known_outliers_by_hand()
    {
        // Q1 = 2.75, Q3 = 8.25, IQR = 5.5 → fences −5.5 and 16.5: −20 and 30 are fliers.
        BoxStats s = BoxStats.Of([-20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30]);
        Assert.Equal(2.75, s.Q1);
        Assert.Equal(8.25, s.Q3);
        Assert.Equal(1, s.WhiskerLow);
        Assert.Equal(10, s.WhiskerHigh);
        Assert.Equal([-20.0, 30.0], s.Fliers);
        Assert.Equal(12, s.Count);
    }

    // Provenance (hand): whis 0 puts the whiskers on Q1 = 2 and Q3 = 4, so 1 and 5 are fliers.
    [Fact]
    public void Whis_zero_puts_whiskers_on_the_box()
    {
        BoxStats s = BoxStats.Of([1, 2, 3, 4, 5], whis: 0);
        Assert.Equal(s.Q1, s.WhiskerLow);
        Assert.Equal(s.Q3, s.WhiskerHigh);
        Assert.Equal([1.0, 5.0], s.Fliers);
    }
}
