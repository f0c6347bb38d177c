namespace LstmLab.Experiments.Statistics;

/// <summary>
/// Result of Welch's two-sample t-test of <c>a</c> against <c>b</c>, with the mean difference and its
/// Welch confidence interval.
/// </summary>
/// <param name="T">t = (mean(a) − mean(b)) / √(s²_a/n_a + s²_b/n_b).</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite ν = (v_a + v_b)² / (v_a²/(n_a−1) + v_b²/(n_b−1)), v = s²/n.</param>
/// <param name="PValue">Two-sided p-value P(|T_ν| ≥ |t|).</param>
/// <param name="MeanDifference">mean(a) − mean(b).</param>
/// <param name="StandardError">√(s²_a/n_a + s²_b/n_b).</param>
/// <param name="CiLower">Lower end of the confidence interval of the mean difference.</param>
/// <param name="CiUpper">Upper end of the confidence interval of the mean difference.</param>
/// <param name="ConfidenceLevel">The interval's confidence level, e.g. 0.95.</param>
public sealed record WelchTestResult(
    double T,
    double DegreesOfFreedom,
    double PValue,
    double MeanDifference,
    double StandardError,
    double CiLower,
    double CiUpper,
    double ConfidenceLevel);

/// <summary>
/// Welch's unequal-variance two-sample t-test, matching <c>scipy.stats.ttest_ind(a, b, equal_var=False)</c>
/// (two-sided), plus the Welch confidence interval of the mean difference,
/// (mean(a) − mean(b)) ± t_{(1+level)/2, ν} · SE.
/// </summary>
public static class WelchTTest
{
    /// <summary>Tests whether <paramref name="a"/> and <paramref name="b"/> have the same mean.</summary>
    /// <remarks>
    /// Edge cases follow scipy: with fewer than two values in either sample every field but the mean
    /// difference is NaN; when both samples are constant, ν is set to 1 (scipy's convention), so equal
    /// constants give t = NaN, p = NaN and different constants give t = ±∞, p = 0 with a zero-width interval.
    /// NaN values are ignored.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidenceLevel"/> is not in (0, 1).</exception>
    public static WelchTestResult Test(IReadOnlyList<double> a, IReadOnlyList<double> b, double confidenceLevel = 0.95) =>
        Test(Summary.Of(a), Summary.Of(b), confidenceLevel);

    /// <summary>Welch's test from two precomputed summaries.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidenceLevel"/> is not in (0, 1).</exception>
    public static WelchTestResult Test(Summary a, Summary b, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "Confidence level must be in (0, 1).");
        }

        double diff = a.Mean - b.Mean;
        if (a.Count < 2 || b.Count < 2)
        {
            return new WelchTestResult(double.NaN, double.NaN, double.NaN, diff, double.NaN, double.NaN, double.NaN, confidenceLevel);
        }

        double va = a.Variance / a.Count;
        double vb = b.Variance / b.Count;
        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        if (double.IsNaN(df))
        {
            df = 1; // both variances zero: scipy's choice; any finite ν gives the same p
        }

        double se = Math.Sqrt(va + vb);
        double t = diff / se;
        double p = Distributions.StudentTTwoSidedP(t, df);
        double half = Distributions.StudentTQuantile(0.5 + confidenceLevel / 2, df) * se;
        return new WelchTestResult(t, df, p, diff, se, diff - half, diff + half, confidenceLevel);
    }
}
