namespace LstmLab.Experiments.Statistics;

/// <summary>How a Mann–Whitney p-value was computed.</summary>
public enum MannWhitneyMethod
{
    /// <summary>From the exact null distribution of U (no ties, at least one sample of size ≤ 8).</summary>
    Exact,

    /// <summary>Normal approximation with tie correction and continuity correction.</summary>
    Asymptotic,
}

/// <summary>Result of a two-sided Mann–Whitney U test of <c>x</c> against <c>y</c>.</summary>
/// <param name="U1">U of <c>x</c>: R₁ − n₁(n₁+1)/2 with R₁ the sum of x's ranks in the pooled sample (scipy's statistic).</param>
/// <param name="U2">U of <c>y</c>: n₁n₂ − U₁.</param>
/// <param name="PValue">Two-sided p-value, capped at 1; NaN when a sample is empty.</param>
/// <param name="Method">Exact or asymptotic, chosen as scipy's method='auto' does.</param>
/// <param name="Z">The standardized statistic of the asymptotic method; NaN for the exact method.</param>
public sealed record MannWhitneyResult(double U1, double U2, double PValue, MannWhitneyMethod Method, double Z);

/// <summary>
/// Mann–Whitney U (Wilcoxon rank-sum) test, two-sided, matching
/// <c>scipy.stats.mannwhitneyu(x, y, alternative='two-sided')</c> with its defaults (scipy 1.7–1.10
/// <c>method='auto'</c>, <c>use_continuity=True</c>).
/// </summary>
/// <remarks>
/// <para>Method choice (scipy's <c>_mwu_choose_method</c>): exact when there are no ties in the pooled
/// sample and not both samples are larger than 8; otherwise asymptotic.</para>
/// <para>Exact: with U = max(U₁, U₂), p = 2·P(U' ≥ U) under the null distribution of U', whose counts are
/// the coefficients of the Gaussian binomial coefficient [n₁+n₂ choose n₁]_q.</para>
/// <para>Asymptotic: z = (U − n₁n₂/2 − ½) / σ with σ² = n₁n₂/12 · ((n+1) − Σ(t³ − t)/(n(n−1))), t the sizes of
/// tied groups, and p = 2·(1 − Φ(z)). When all values are equal σ = 0 and p = 1.</para>
/// <para>NaN values are ignored (scipy would propagate them); an empty sample gives NaN p rather than
/// scipy's exception, so comparison tables can still be printed.</para>
/// </remarks>
public static class MannWhitneyU
{
    /// <summary>Tests whether <paramref name="x"/> and <paramref name="y"/> come from the same distribution.</summary>
    public static MannWhitneyResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        double[] a = x.Where(v => !double.IsNaN(v)).ToArray();
        double[] b = y.Where(v => !double.IsNaN(v)).ToArray();
        int n1 = a.Length;
        int n2 = b.Length;
        if (n1 == 0 || n2 == 0)
        {
            return new MannWhitneyResult(double.NaN, double.NaN, double.NaN, MannWhitneyMethod.Asymptotic, double.NaN);
        }

        // Average ranks (1-based) of the pooled sample, and the tie term Σ(t³ − t).
        int n = n1 + n2;
        double[] pooled = [.. a, .. b];
        int[] order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) => pooled[i].CompareTo(pooled[j]));
        var ranks = new double[n];
        double tieTerm = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && pooled[order[end]] == pooled[order[start]])
            {
                end++;
            }

            double averageRank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++)
            {
                ranks[order[k]] = averageRank;
            }

            double t = end - start;
            tieTerm += t * t * t - t;
            start = end;
        }

        double r1 = 0;
        for (int i = 0; i < n1; i++)
        {
            r1 += ranks[i];
        }

        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double)n1 * n2 - u1;
        double u = Math.Max(u1, u2);

        bool exact = (n1 <= 8 || n2 <= 8) && tieTerm == 0;
        if (exact)
        {
            double p = 2 * ExactUpperTail((int)u, n1, n2);
            return new MannWhitneyResult(u1, u2, Math.Min(1.0, p), MannWhitneyMethod.Exact, double.NaN);
        }

        double mu = n1 * (double)n2 / 2;
        double sigma = Math.Sqrt(n1 * (double)n2 / 12 * ((n + 1) - tieTerm / ((double)n * (n - 1))));
        double z = (u - mu - 0.5) / sigma;
        double pAsymptotic = 2 * Distributions.NormalSf(z);
        return new MannWhitneyResult(u1, u2, Math.Clamp(pAsymptotic, 0, 1), MannWhitneyMethod.Asymptotic, z);
    }

    /// <summary>
    /// P(U' ≥ <paramref name="u"/>) for the null distribution of the U statistic with sample sizes
    /// <paramref name="n1"/> and <paramref name="n2"/> (no ties).
    /// </summary>
    internal static double ExactUpperTail(int u, int n1, int n2)
    {
        double[] counts = ExactCounts(n1, n2);
        int max = n1 * n2;
        if (u <= 0)
        {
            return 1;
        }

        if (u > max)
        {
            return 0;
        }

        // The distribution is symmetric about n1·n2/2: P(U' ≥ u) = P(U' ≤ n1·n2 − u). Sum the shorter side.
        double total = 0;
        foreach (double c in counts)
        {
            total += c;
        }

        double tail = 0;
        if (u > max / 2)
        {
            for (int k = 0; k <= max - u; k++)
            {
                tail += counts[k];
            }

            return tail / total;
        }

        for (int k = 0; k < u; k++)
        {
            tail += counts[k];
        }

        return 1 - tail / total;
    }

    /// <summary>
    /// counts[k] = number of ways U = k among the C(n1+n2, n1) equally likely rankings: the coefficients of
    /// the Gaussian binomial [n1+n2 choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), m = min, n = max.
    /// </summary>
    internal static double[] ExactCounts(int n1, int n2)
    {
        int m = Math.Min(n1, n2);
        int n = Math.Max(n1, n2);
        var poly = new double[m * n + m + 1];
        poly[0] = 1;
        int degree = 0;
        for (int i = 1; i <= m; i++)
        {
            // Multiply by (1 − q^{n+i}).
            int shift = n + i;
            for (int k = degree + shift; k >= shift; k--)
            {
                poly[k] -= poly[k - shift];
            }

            degree += shift;
            // Divide by (1 − q^i): b[k] = a[k] + b[k − i]. Exact, so the quotient has degree − i terms.
            for (int k = i; k <= degree; k++)
            {
                poly[k] += poly[k - i];
            }

            degree -= i;
            Array.Clear(poly, degree + 1, poly.Length - degree - 1);
        }

        return poly[..(m * n + 1)];
    }
}
