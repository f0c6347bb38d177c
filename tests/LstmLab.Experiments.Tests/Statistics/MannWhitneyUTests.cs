using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

// Provenance (whole file): the inline data are sample sizes (inputs); expected statistics come from scipy
// (tools/stats/make_stats_fixtures.py → Fixtures/stats_expected.json) or by hand: complete separation of 3 and 4
// values, U1 = 0, U2 = 3·4 − 0 = 12, exact two-sided p = 2/C(7,3) = 2/35.

public class MannWhitneyUTests
{
    [Fact]
    public void Matches_scipy_mannwhitneyu_two_sided()
    {
        foreach (var c in StatsFixture.Items("mannwhitney"))
        {
            string x = StatsFixture.Str(c, "x");
            string y = StatsFixture.Str(c, "y");
            MannWhitneyResult r = MannWhitneyU.Test(StatsFixture.Sample(x), StatsFixture.Sample(y));
            string what = $"{x} vs {y}";
            Assert.Equal(StatsFixture.Str(c, "method"), r.Method == MannWhitneyMethod.Exact ? "exact" : "asymptotic");
            StatsFixture.Close(StatsFixture.Num(c, "u1"), r.U1, 0, 1e-9, what + " U1");
            StatsFixture.Close(StatsFixture.Num(c, "p"), r.PValue, 1e-11, 1e-300, what + " p");
        }
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 5)]
    [InlineData(8, 30)]
    [InlineData(2, 200)]
    public void Exact_counts_sum_to_the_number_of_rankings_and_are_symmetric(int n1, int n2)
    {
        double[] counts = MannWhitneyU.ExactCounts(n1, n2);
        Assert.Equal(n1 * n2 + 1, counts.Length);
        double total = counts.Sum();
        double binomial = 1;
        for (int i = 1; i <= n1; i++)
        {
            binomial = binomial * (n2 + i) / i;
        }

        Assert.Equal(binomial, total, binomial * 1e-12);
        for (int k = 0; k < counts.Length; k++)
        {
            Assert.Equal(counts[k], counts[^(k + 1)], 1e-6 * binomial);
        }
    }

    [Fact]
    public void Complete_separation_of_three_and_four_gives_two_over_thirty_five()
    {
        MannWhitneyResult r = MannWhitneyU.Test([1, 2, 3], [4, 5, 6, 7]);
        Assert.Equal(MannWhitneyMethod.Exact, r.Method);
        Assert.Equal(0, r.U1);
        Assert.Equal(12, r.U2);
        Assert.Equal(2.0 / 35, r.PValue, 15);
    }

    [Fact]
    public void All_values_equal_gives_p_one_and_empty_gives_nan()
    {
        Assert.Equal(1.0, MannWhitneyU.Test([4, 4, 4], [4, 4, 4, 4]).PValue);
        Assert.True(double.IsNaN(MannWhitneyU.Test([], [1.0]).PValue));
    }
}
