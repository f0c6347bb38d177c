using System.Globalization;

namespace LstmLab.Experiments.Plots;

/// <summary>
/// An axis range with "nice" round ticks: steps of 1, 2, 2.5 or 5 × 10^k (as matplotlib's MaxNLocator
/// chooses), the axis ends on the first ticks outside the data.
/// </summary>
internal sealed class NiceScale
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5, 10];

    private NiceScale(double min, double max, double step, int decimals)
    {
        Min = min;
        Max = max;
        Step = step;
        Decimals = decimals;
    }

    /// <summary>Lower end of the axis (a tick).</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis (a tick).</summary>
    public double Max { get; }

    /// <summary>Distance between ticks.</summary>
    public double Step { get; }

    /// <summary>Decimals needed to print every tick exactly.</summary>
    public int Decimals { get; }

    /// <summary>Tick positions from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            int count = (int)Math.Round((Max - Min) / Step);
            var ticks = new double[count + 1];
            for (int i = 0; i <= count; i++)
            {
                // Multiply rather than accumulate, then round away binary noise (0.30000000000000004).
                ticks[i] = Math.Round(Min + i * Step, Math.Min(15, Decimals + 2));
            }

            return ticks;
        }
    }

    /// <summary>A tick label with <see cref="Decimals"/> decimals, invariant culture, no "-0".</summary>
    public string Label(double tick)
    {
        string s = tick.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') && s.Trim('-', '0', '.').Length == 0 ? s[1..] : s;
    }

    /// <summary>
    /// The smallest nice step that covers [<paramref name="dataMin"/>, <paramref name="dataMax"/>] with at most
    /// <paramref name="maxIntervals"/> intervals. A zero-width range is widened around its value; non-finite
    /// input gives [0, 1].
    /// </summary>
    public static NiceScale For(double dataMin, double dataMax, int maxIntervals = 8)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax))
        {
            dataMin = 0;
            dataMax = 1;
        }

        if (dataMin > dataMax)
        {
            (dataMin, dataMax) = (dataMax, dataMin);
        }

        if (dataMax - dataMin <= Math.Abs(dataMax) * 1e-12)
        {
            double pad = dataMin == 0 ? 0.5 : Math.Abs(dataMin) * 0.05;
            dataMin -= pad;
            dataMax += pad;
        }

        double raw = (dataMax - dataMin) / maxIntervals;
        int exponent = (int)Math.Floor(Math.Log10(raw));
        for (int e = exponent; ; e++)
        {
            double power = Math.Pow(10, e);
            foreach (double m in Mantissas)
            {
                double step = m * power;
                double lo = Math.Floor(dataMin / step + 1e-9) * step;
                double hi = Math.Ceiling(dataMax / step - 1e-9) * step;
                if (Math.Round((hi - lo) / step) <= maxIntervals)
                {
                    int decimals = Math.Max(0, -e + (m == 2.5 ? 1 : 0));
                    if (m == 10)
                    {
                        decimals = Math.Max(0, -(e + 1));
                    }

                    return new NiceScale(lo, hi, step, Math.Min(decimals, 15));
                }
            }
        }
    }
}
