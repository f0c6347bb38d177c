namespace LstmLab.Experiments.Statistics;

/// <summary>
/// Descriptive statistics of one set of repeated results, identical to pandas <c>Series.describe()</c>:
/// count, mean, std (ddof = 1), min, 25%, 50%, 75%, max. Immutable; everything is computed once in
/// <see cref="Of"/>.
/// </summary>
/// <remarks>
/// <para>NaN values are dropped first, as pandas does (<c>skipna</c>), so <see cref="Count"/> counts the
/// remaining values.</para>
/// <para>Quantiles use numpy's default <c>'linear'</c> method (the one pandas' <c>describe</c> uses): for
/// the sorted values x₀ ≤ … ≤ x_{n−1}, h = (n − 1)·q, j = ⌊h⌋, g = h − j and
/// Q(q) = x_j + g·(x_{j+1} − x_j), evaluated in the same floating-point form as numpy.</para>
/// <para>Sums use numpy's pairwise summation, so mean and std agree with pandas to the last bit or two.</para>
/// <para>N = 0: count 0, everything else NaN. N = 1: std (and the standard error) NaN, as in pandas;
/// every quantile is the value.</para>
/// </remarks>
public sealed class Summary
{
    private readonly double[] _sorted;

    // inOrder: the non-NaN values in their original order (sums run in that order, as in pandas).
    private Summary(double[] inOrder, double[] sorted)
    {
        _sorted = sorted;
        int n = sorted.Length;
        Count = n;
        if (n == 0)
        {
            Mean = Variance = StandardDeviation = StandardError = double.NaN;
            Min = Q1 = Median = Q3 = Max = double.NaN;
            return;
        }

        Mean = PairwiseSum.Of(inOrder, 0, n) / n;
        if (n > 1)
        {
            // Two-pass variance, as pandas' nanvar: Σ(x − mean)² / (n − 1).
            var squares = new double[n];
            for (int i = 0; i < n; i++)
            {
                double d = Mean - inOrder[i];
                squares[i] = d * d;
            }

            Variance = PairwiseSum.Of(squares, 0, n) / (n - 1);
            StandardDeviation = Math.Sqrt(Variance);
            StandardError = StandardDeviation / Math.Sqrt(n);
        }
        else
        {
            Variance = StandardDeviation = StandardError = double.NaN;
        }

        Min = sorted[0];
        Max = sorted[n - 1];
        Q1 = SortedQuantile(sorted, 0.25);
        Median = SortedQuantile(sorted, 0.5);
        Q3 = SortedQuantile(sorted, 0.75);
    }

    /// <summary>Number of (non-NaN) values.</summary>
    public int Count { get; }

    /// <summary>Arithmetic mean; NaN when <see cref="Count"/> is 0.</summary>
    public double Mean { get; }

    /// <summary>Sample variance Σ(x − mean)² / (n − 1); NaN when <see cref="Count"/> &lt; 2.</summary>
    public double Variance { get; }

    /// <summary>Sample standard deviation (ddof = 1, pandas' <c>std</c>); NaN when <see cref="Count"/> &lt; 2.</summary>
    public double StandardDeviation { get; }

    /// <summary>Standard error of the mean, std / √n (scipy's <c>sem</c>); NaN when <see cref="Count"/> &lt; 2.</summary>
    public double StandardError { get; }

    /// <summary>Smallest value; NaN when empty.</summary>
    public double Min { get; }

    /// <summary>25th percentile (linear interpolation); NaN when empty.</summary>
    public double Q1 { get; }

    /// <summary>50th percentile, the median (linear interpolation); NaN when empty.</summary>
    public double Median { get; }

    /// <summary>75th percentile (linear interpolation); NaN when empty.</summary>
    public double Q3 { get; }

    /// <summary>Largest value; NaN when empty.</summary>
    public double Max { get; }

    /// <summary>Interquartile range Q3 − Q1.</summary>
    public double InterquartileRange => Q3 - Q1;

    /// <summary>The non-NaN values in ascending order.</summary>
    public IReadOnlyList<double> SortedValues => _sorted;

    /// <summary>
    /// The eight describe() values in pandas' row order: count, mean, std, min, 25%, 50%, 75%, max.
    /// </summary>
    public IReadOnlyList<double> DescribeValues => [Count, Mean, StandardDeviation, Min, Q1, Median, Q3, Max];

    /// <summary>Computes the statistics of <paramref name="values"/> (NaN values are ignored).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Summary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var kept = new List<double>(values.Count);
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                kept.Add(v);
            }
        }

        double[] inOrder = [.. kept];
        double[] sorted = [.. kept];
        Array.Sort(sorted);
        return new Summary(inOrder, sorted);
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile (0 ≤ q ≤ 1) of <paramref name="values"/> with numpy's default
    /// 'linear' method, ignoring NaN; NaN for no values.
    /// </summary>
    public static double Quantile(IReadOnlyList<double> values, double q) => SortedQuantile(Of(values)._sorted, q);

    /// <summary>The <paramref name="q"/>-quantile of this sample (numpy 'linear').</summary>
    public double Quantile(double q) => SortedQuantile(_sorted, q);

    // numpy.quantile(method='linear') on ascending values: virtual index (n − 1)·q and numpy's _lerp,
    // which interpolates from the nearer end (b − (b − a)(1 − g) when g ≥ ½) for symmetry.
    internal static double SortedQuantile(double[] sorted, double q)
    {
        if (q < 0 || q > 1 || double.IsNaN(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "Quantile must be in [0, 1].");
        }

        int n = sorted.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        double h = (n - 1) * q;
        int j = (int)Math.Floor(h);
        if (j >= n - 1)
        {
            return sorted[n - 1];
        }

        double g = h - j;
        double a = sorted[j];
        double b = sorted[j + 1];
        double diff = b - a;
        return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
    }
}

/// <summary>numpy's pairwise summation (<c>pairwise_sum</c> in numpy/core/src/umath/loops_utils.h).</summary>
internal static class PairwiseSum
{
    private const int BlockSize = 128;

    /// <summary>Σ values[offset .. offset + count) in numpy's order of operations.</summary>
    public static double Of(double[] values, int offset, int count)
    {
        if (count < 8)
        {
            double s = 0;
            for (int i = 0; i < count; i++)
            {
                s += values[offset + i];
            }

            return s;
        }

        if (count <= BlockSize)
        {
            // Eight interleaved accumulators, combined as a balanced tree.
            double r0 = values[offset], r1 = values[offset + 1], r2 = values[offset + 2], r3 = values[offset + 3];
            double r4 = values[offset + 4], r5 = values[offset + 5], r6 = values[offset + 6], r7 = values[offset + 7];
            int i;
            for (i = 8; i < count - (count % 8); i += 8)
            {
                r0 += values[offset + i];
                r1 += values[offset + i + 1];
                r2 += values[offset + i + 2];
                r3 += values[offset + i + 3];
                r4 += values[offset + i + 4];
                r5 += values[offset + i + 5];
                r6 += values[offset + i + 6];
                r7 += values[offset + i + 7];
            }

            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < count; i++)
            {
                res += values[offset + i];
            }

            return res;
        }

        int half = count / 2;
        half -= half % 8;
        return Of(values, offset, half) + Of(values, offset + half, count - half);
    }
}
