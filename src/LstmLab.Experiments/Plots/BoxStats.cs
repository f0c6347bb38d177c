using LstmLab.Experiments.Statistics;

namespace LstmLab.Experiments.Plots;

/// <summary>
/// The numbers behind one box of a box-and-whisker plot, computed with matplotlib's rules
/// (<c>matplotlib.cbook.boxplot_stats(x, whis=1.5)</c>, used by pandas' <c>DataFrame.boxplot()</c>).
/// </summary>
/// <remarks>
/// <para>Q1, median and Q3 are linear-interpolation percentiles (numpy's default). The whiskers reach the
/// most extreme data points within [Q1 − whis·IQR, Q3 + whis·IQR] (but never inside the box); every point
/// beyond a whisker is a flier (outlier), listed low ones first, each group in input order.</para>
/// <para>NaN values are ignored. With no values every statistic is NaN and there are no fliers.</para>
/// </remarks>
public sealed class BoxStats
{
    private readonly double[] _fliers;

    private BoxStats(int count, double mean, double q1, double median, double q3, double whiskerLow, double whiskerHigh, double[] fliers)
    {
        Count = count;
        Mean = mean;
        Q1 = q1;
        Median = median;
        Q3 = q3;
        WhiskerLow = whiskerLow;
        WhiskerHigh = whiskerHigh;
        _fliers = fliers;
    }

    /// <summary>Number of (non-NaN) values.</summary>
    public int Count { get; }

    /// <summary>Arithmetic mean.</summary>
    public double Mean { get; }

    /// <summary>First quartile, the bottom of the box.</summary>
    public double Q1 { get; }

    /// <summary>Median, the line across the box.</summary>
    public double Median { get; }

    /// <summary>Third quartile, the top of the box.</summary>
    public double Q3 { get; }

    /// <summary>Interquartile range Q3 − Q1, the height of the box.</summary>
    public double Iqr => Q3 - Q1;

    /// <summary>End of the lower whisker: the smallest value ≥ Q1 − whis·IQR (Q1 if that is above Q1).</summary>
    public double WhiskerLow { get; }

    /// <summary>End of the upper whisker: the largest value ≤ Q3 + whis·IQR (Q3 if that is below Q3).</summary>
    public double WhiskerHigh { get; }

    /// <summary>Values outside the whiskers: those below <see cref="WhiskerLow"/>, then those above <see cref="WhiskerHigh"/>.</summary>
    public IReadOnlyList<double> Fliers => _fliers;

    /// <summary>Lower end of the notch, median − 1.57·IQR/√n (matplotlib's <c>cilo</c>).</summary>
    public double NotchLow => Median - 1.57 * Iqr / Math.Sqrt(Count);

    /// <summary>Upper end of the notch, median + 1.57·IQR/√n (matplotlib's <c>cihi</c>).</summary>
    public double NotchHigh => Median + 1.57 * Iqr / Math.Sqrt(Count);

    /// <summary>Computes the box statistics of <paramref name="values"/>.</summary>
    /// <param name="values">The data (NaN ignored).</param>
    /// <param name="whis">Whisker reach in multiples of the IQR; matplotlib's default is 1.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="whis"/> is negative or NaN.</exception>
    public static BoxStats Of(IReadOnlyList<double> values, double whis = 1.5)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(whis >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(whis), whis, "Whisker reach must be non-negative.");
        }

        Summary s = Summary.Of(values);
        if (s.Count == 0)
        {
            return new BoxStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, []);
        }

        double[] x = values.Where(v => !double.IsNaN(v)).ToArray();
        double iqr = s.Q3 - s.Q1;
        double loVal = s.Q1 - whis * iqr;
        double hiVal = s.Q3 + whis * iqr;

        double[] inHigh = x.Where(v => v <= hiVal).ToArray();
        double whiskerHigh = inHigh.Length == 0 || inHigh.Max() < s.Q3 ? s.Q3 : inHigh.Max();
        double[] inLow = x.Where(v => v >= loVal).ToArray();
        double whiskerLow = inLow.Length == 0 || inLow.Min() > s.Q1 ? s.Q1 : inLow.Min();

        double[] fliers = [.. x.Where(v => v < whiskerLow), .. x.Where(v => v > whiskerHigh)];
        return new BoxStats(s.Count, s.Mean, s.Q1, s.Median, s.Q3, whiskerLow, whiskerHigh, fliers);
    }
}
