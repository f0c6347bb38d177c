using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

public class WelchTTestTests
{
    [Fact]
    public void Matches_scipy_ttest_ind_unequal_var_and_the_welch_interval()
    {
        foreach (var c in StatsFixture.Items("welch"))
        {
            string a = StatsFixture.Str(c, "a");
            string b = StatsFixture.Str(c, "b");
            WelchTestResult r = WelchTTest.Test(StatsFixture.Sample(a), StatsFixture.Sample(b));
            string what = $"{a} vs {b}";
            StatsFixture.Close(StatsFixture.Num(c, "t"), r.T, 1e-12, 0, what + " t");
            StatsFixture.Close(StatsFixture.Num(c, "df"), r.DegreesOfFreedom, 1e-12, 0, what + " df");
            StatsFixture.Close(StatsFixture.Num(c, "p"), r.PValue, 1e-9, 1e-300, what + " p");
            StatsFixture.Close(StatsFixture.Num(c, "diff"), r.MeanDifference, 1e-12, 1e-14, what + " diff");
            StatsFixture.Close(StatsFixture.Num(c, "se"), r.StandardError, 1e-12, 0, what + " se");
            // The interval ends inherit scipy's t.ppf error (~1e-11 relative) on the half-width.
            double halfWidth = Math.Abs(StatsFixture.Num(c, "ci_high") - StatsFixture.Num(c, "ci_low")) / 2;
            StatsFixture.Close(StatsFixture.Num(c, "ci_low"), r.CiLower, 0, 1e-9 * halfWidth + 1e-14, what + " ci_low");
            StatsFixture.Close(StatsFixture.Num(c, "ci_high"), r.CiUpper, 0, 1e-9 * halfWidth + 1e-14, what + " ci_high");
        }
    }

    [Fact]
    public void Degenerate_inputs_give_nan_like_scipy()
    {
        foreach (var c in StatsFixture.Items("welch_nan"))
        {
            WelchTestResult r = WelchTTest.Test(StatsFixture.Sample(StatsFixture.Str(c, "a")), StatsFixture.Sample(StatsFixture.Str(c, "b")));
            Assert.True(double.IsNaN(r.PValue));
            Assert.True(double.IsNaN(StatsFixture.Num(c, "p")));
        }
    }

    // Provenance (hand): 5.0 − 7.5 = −2.5.
    [Fact]
    public void One_value_per_sample_keeps_the_mean_difference()
    {
        WelchTestResult r = WelchTTest.Test([5.0], [7.5]);
        Assert.Equal(-2.5, r.MeanDifference);
        Assert.True(double.IsNaN(r.CiLower));
    }

    [Fact]
    public void Other_confidence_levels_use_the_matching_quantile()
    {
        double[] a = [1, 2, 3, 4];
        double[] b = [2, 4, 6, 8, 10];
        WelchTestResult r = WelchTTest.Test(a, b, 0.99);
        double half = Distributions.StudentTQuantile(0.995, r.DegreesOfFreedom) * r.StandardError;
        Assert.Equal(r.MeanDifference - half, r.CiLower, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => WelchTTest.Test(a, b, 1.0));
    }
}
