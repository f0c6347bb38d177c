using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

// Provenance (whole file): the inline data are inputs (probabilities, degrees of freedom); every expected value comes
// from scipy through tools/stats/make_stats_fixtures.py → Fixtures/stats_expected.json, or is an identity of the
// distributions (t with ∞ df is the normal).

public class DistributionsTests
{
    [Fact]
    public void Student_t_cdf_matches_scipy()
    {
        foreach (var c in StatsFixture.Items("t_cdf"))
        {
            double t = StatsFixture.Num(c, "t");
            double df = StatsFixture.Num(c, "df");
            // The smaller tail is compared relatively (it carries the information); the other is near 1.
            double expected = StatsFixture.Num(c, "cdf");
            double actual = Distributions.StudentTCdf(t, df);
            StatsFixture.Close(expected, actual, 1e-11, 1e-300, $"t.cdf({t}, {df})");
        }
    }

    [Fact]
    public void Student_t_quantile_matches_scipy()
    {
        foreach (var c in StatsFixture.Items("t_ppf"))
        {
            double p = StatsFixture.Num(c, "p");
            double df = StatsFixture.Num(c, "df");
            double actual = Distributions.StudentTQuantile(p, df);
            // Against 40-digit mpmath roots.
            StatsFixture.Close(StatsFixture.Num(c, "q_exact"), actual, 1e-12, 1e-15, $"exact t quantile({p}, {df})");
            // scipy's stdtrit (cephes) is only good to about 1e-9 relative: t.ppf(0.9995, 1) = 636.6192494318557
            // where the exact −cot(πp) is 636.61924876873.
            StatsFixture.Close(StatsFixture.Num(c, "q"), actual, 5e-9, 1e-12, $"t.ppf({p}, {df})");
        }
    }

    [Theory]
    [InlineData(0.9995)]
    [InlineData(0.975)]
    [InlineData(0.6)]
    [InlineData(0.01)]
    [InlineData(1e-6)]
    public void Student_t_quantile_matches_closed_forms_for_one_and_two_degrees_of_freedom(double p)
    {
        // ν = 1 (Cauchy): t = tan(π(p − ½)) = −cot(πp), evaluated on the smaller tail for precision.
        // ν = 2: t = (2p − 1) / √(2p(1 − p)).
        double cauchy = p < 0.5 ? -1 / Math.Tan(Math.PI * p) : 1 / Math.Tan(Math.PI * (1 - p));
        StatsFixture.Close(cauchy, Distributions.StudentTQuantile(p, 1), 1e-12, 0, "nu = 1");
        StatsFixture.Close((2 * p - 1) / Math.Sqrt(2 * p * (1 - p)), Distributions.StudentTQuantile(p, 2), 1e-12, 0, "nu = 2");
    }

    [Fact]
    public void Student_t_quantile_inverts_cdf()
    {
        foreach (double df in new[] { 1.0, 3.3, 12.0, 250.0 })
        {
            foreach (double p in new[] { 0.001, 0.2, 0.7, 0.99 })
            {
                Assert.Equal(p, Distributions.StudentTCdf(Distributions.StudentTQuantile(p, df), df), 12);
            }
        }
    }

    [Fact]
    public void Student_t_edges()
    {
        Assert.Equal(0.5, Distributions.StudentTCdf(0, 5));
        Assert.Equal(1.0, Distributions.StudentTCdf(double.PositiveInfinity, 5));
        Assert.Equal(0.0, Distributions.StudentTCdf(double.NegativeInfinity, 5));
        Assert.True(double.IsNaN(Distributions.StudentTCdf(1, 0)));
        Assert.Equal(0.0, Distributions.StudentTQuantile(0.5, 3));
        Assert.Equal(double.PositiveInfinity, Distributions.StudentTQuantile(1, 3));
        Assert.True(double.IsNaN(Distributions.StudentTQuantile(1.5, 3)));
        // With ν → ∞ the t distribution is the normal one.
        Assert.Equal(Distributions.NormalCdf(1.3), Distributions.StudentTCdf(1.3, double.PositiveInfinity), 15);
        // Two-sided p of t = 0 is 1.
        Assert.Equal(1.0, Distributions.StudentTTwoSidedP(0, 4), 15);
    }

    [Fact]
    public void Normal_cdf_matches_scipy_including_far_tails()
    {
        foreach (var c in StatsFixture.Items("norm_cdf"))
        {
            double z = StatsFixture.Num(c, "z");
            StatsFixture.Close(StatsFixture.Num(c, "cdf"), Distributions.NormalCdf(z), 1e-12, 1e-300, $"norm.cdf({z})");
        }
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(1, 20)]
    [InlineData(10, 12)]
    [InlineData(3.5, 0.5)]
    [InlineData(50000, 0.5)]
    [InlineData(40, 60.5)]
    public void Log_beta_is_precise_for_small_and_large_arguments(double a, double b)
    {
        // Reference: ln Γ sums in decimal (exact for the integer and half-integer cases below, via
        // Γ(n) = (n − 1)! and Γ(n + ½) = (2n)! √π / (4ⁿ n!)), or the large-argument expansion.
        double expected = (a, b) switch
        {
            (0.5, 0.5) => Math.Log(Math.PI),
            (1, 20) => -Math.Log(20),
            (10, 12) => LogFactorial(9) + LogFactorial(11) - LogFactorial(21),
            (3.5, 0.5) => Math.Log(Math.PI * 5 * 3 / (6 * 4 * 2)), // B(7/2, 1/2) = π·(5·3·1)/(6·4·2)
            _ => double.NaN,
        };
        double actual = SpecialFunctions.LogBeta(a, b);
        if (!double.IsNaN(expected))
        {
            StatsFixture.Close(expected, actual, 1e-14, 1e-15);
            return;
        }

        // Large arguments: compare with the direct log-gamma form, whose cancellation error is bounded by
        // a few ulps of ln Γ(a + b).
        double direct = SpecialFunctions.LogGamma(a) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b);
        StatsFixture.Close(direct, actual, 0, 1e-15 * Math.Abs(SpecialFunctions.LogGamma(a + b)) * 8);
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(37.25)]
    [InlineData(1000.0)]
    public void Stirling_remainder_agrees_with_log_gamma(double x)
    {
        double stirling = (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + SpecialFunctions.StirlingRemainder(x);
        StatsFixture.Close(SpecialFunctions.LogGamma(x), stirling, 1e-14);
    }

    private static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++)
        {
            s += Math.Log(i);
        }

        return s;
    }
}
