namespace LstmLab.Experiments.Statistics;

/// <summary>
/// The normal and Student t distributions needed by the significance tests: CDFs, upper tails and the
/// t quantile. Implemented here (no external package) on top of the incomplete beta and gamma functions.
/// </summary>
public static class Distributions
{
    /// <summary>
    /// Standard normal CDF Φ(z) = ½ erfc(−z/√2), computed as ½ Q(½, z²/2) with the regularized upper
    /// incomplete gamma function, so that far tails keep their relative precision (Φ(−20) ≈ 2.8e−89).
    /// </summary>
    public static double NormalCdf(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        double half = 0.5 * SpecialFunctions.UpperIncompleteGamma(0.5, 0.5 * z * z);
        return z < 0 ? half : 1 - half;
    }

    /// <summary>Standard normal survival function 1 − Φ(z), precise in the upper tail.</summary>
    public static double NormalSf(double z) => NormalCdf(-z);

    /// <summary>
    /// Student t CDF with <paramref name="degreesOfFreedom"/> ν &gt; 0 (need not be an integer):
    /// P(T ≤ t) where P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½).
    /// </summary>
    public static double StudentTCdf(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        double tail = StudentTUpperTail(Math.Abs(t), degreesOfFreedom);
        return t < 0 ? tail : 1 - tail;
    }

    /// <summary>
    /// Two-sided p-value of a t statistic: P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½). NaN when t or ν is NaN
    /// or ν ≤ 0; 0 for infinite t.
    /// </summary>
    public static double StudentTTwoSidedP(double t, double degreesOfFreedom) =>
        double.IsNaN(t) ? double.NaN : Math.Min(1.0, 2 * StudentTUpperTail(Math.Abs(t), degreesOfFreedom));

    /// <summary>
    /// Student t quantile (inverse CDF): the t with P(T ≤ t) = <paramref name="p"/>, for 0 &lt; p &lt; 1.
    /// Safeguarded Newton iteration inside a bisection bracket, solving on the smaller tail so that
    /// p = 1e−6 and p = 1 − 1e−6 are equally precise. Returns ±∞ for p = 0 or 1, NaN outside [0, 1].
    /// </summary>
    public static double StudentTQuantile(double p, double degreesOfFreedom)
    {
        if (double.IsNaN(p) || p < 0 || p > 1 || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0)
        {
            return double.NaN;
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        if (p == 0.5)
        {
            return 0;
        }

        double q = p < 0.5 ? p : 1 - p;
        double t = SolveUpperTail(q, degreesOfFreedom);
        return p < 0.5 ? -t : t;
    }

    /// <summary>Student t density at <paramref name="t"/>.</summary>
    public static double StudentTPdf(double t, double degreesOfFreedom)
    {
        double nu = degreesOfFreedom;
        double logPdf = SpecialFunctions.LogGamma((nu + 1) / 2) - SpecialFunctions.LogGamma(nu / 2)
            - 0.5 * Math.Log(nu * Math.PI) - (nu + 1) / 2 * Math.Log(1 + t * t / nu);
        return Math.Exp(logPdf);
    }

    // P(T ≥ t) for t ≥ 0.
    private static double StudentTUpperTail(double t, double nu)
    {
        if (double.IsNaN(nu) || nu <= 0)
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }

        if (double.IsPositiveInfinity(nu))
        {
            return NormalSf(t);
        }

        double t2 = t * t;
        // x = ν/(ν+t²) and 1 − x = t²/(ν+t²), each computed directly to keep its precision.
        double x = nu / (nu + t2);
        double oneMinusX = t2 / (nu + t2);
        return 0.5 * SpecialFunctions.IncompleteBeta(nu / 2, 0.5, x, oneMinusX);
    }

    // The t > 0 with P(T ≥ t) = q, 0 < q < ½.
    private static double SolveUpperTail(double q, double nu)
    {
        double lo = 0;
        double hi = 1;
        while (StudentTUpperTail(hi, nu) > q)
        {
            lo = hi;
            hi *= 2;
            if (double.IsInfinity(hi))
            {
                return double.PositiveInfinity;
            }
        }

        double t = 0.5 * (lo + hi);
        for (int i = 0; i < 300; i++)
        {
            double f = StudentTUpperTail(t, nu) - q; // decreasing in t
            if (f > 0)
            {
                lo = t;
            }
            else if (f < 0)
            {
                hi = t;
            }
            else
            {
                return t;
            }

            // Newton step on the tail (its derivative is −pdf); fall back to bisection outside the bracket.
            double next = t + f / StudentTPdf(t, nu);
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - t) <= 4 * double.Epsilon + 1e-15 * Math.Abs(t))
            {
                return next;
            }

            t = next;
        }

        return t;
    }
}
