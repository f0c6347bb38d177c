using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

public class HolmTests
{
    [Fact]
    public void Matches_statsmodels_multipletests_holm()
    {
        foreach (var c in StatsFixture.Items("holm"))
        {
            double[] p = StatsFixture.Nums(c, "p");
            double[] expected = StatsFixture.Nums(c, "adjusted");
            double[] actual = Holm.Adjust(p);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                StatsFixture.Close(expected[i], actual[i], 1e-15, 0, $"[{string.Join(", ", p)}][{i}]");
            }
        }
    }

    // Provenance (hand): Holm on (0.01, NaN, 0.04), a family of 2: 0.01·2 = 0.02, then max(0.02, 0.04·1) = 0.04.
    [Fact]
    public void Nan_is_left_out_of_the_family()
    {
        double[] adjusted = Holm.Adjust([0.01, double.NaN, 0.04]);
        Assert.Equal(0.02, adjusted[0], 15);
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.04, adjusted[2], 15);
    }

    [Fact]
    public void Empty_family_and_invalid_p()
    {
        Assert.Empty(Holm.Adjust([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust([0.5, 1.5]));
    }
}
