using System.Globalization;
using System.Text;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// Compares an analytic gradient with central finite differences, the usual check for float32
/// engines: the forward pass runs in float32, the scalar loss is accumulated in double, each value
/// is moved by ±<see cref="Step"/> (the actual float step is used as the denominator), and the two
/// must agree within <see cref="RelativeTolerance"/> of the larger magnitude plus an absolute floor
/// (float32 rounding in the loss differences, divided by 2·step, is a few 1e-4).
/// <para>
/// Piecewise-linear functions (relu, hard sigmoid) have kinks. With <c>allowKinks</c>, an element
/// whose central difference disagrees is accepted only when the two one-sided differences disagree
/// with each other (a kink lies within ±step) and the analytic value matches one of them (the side
/// the unperturbed point lies on). Such cases are counted and must stay rare.
/// </para>
/// </summary>
internal static class GradientChecker
{
    public const float Step = 1e-3f;
    public const double RelativeTolerance = 1e-2;
    public const double AbsoluteTolerance = 1e-3;

    /// <summary>
    /// What a check saw: elements checked, kinks accepted, the largest |analytic|, the number of analytic
    /// values above the absolute floor, and the worst |analytic − numeric| as a fraction of its tolerance.
    /// </summary>
    public readonly record struct Report(int Checked, int Kinks, double MaxAbsAnalytic, int Significant, double WorstRatio);

    /// <summary>
    /// Checks <paramref name="analytic"/> (a copy of dLoss/dvalues) against finite differences of
    /// <paramref name="loss"/> in every element of <paramref name="values"/>, restoring each value
    /// afterwards. Fails with a list of the mismatches. Also fails when the analytic gradient is
    /// negligible (all below ten times the absolute floor), which would make the check vacuous.
    /// </summary>
    // Provenance (hand): bounds of the finite-difference check, not values.
    public static Report Check(string label, Span<float> values, ReadOnlySpan<float> analytic, Func<double> loss, bool allowKinks = false, bool requireSignificant = true, double absoluteTolerance = AbsoluteTolerance)
    {
        Assert.True(values.Length == analytic.Length, $"{label}: {values.Length} values but {analytic.Length} analytic gradients.");
        var failures = new StringBuilder();
        int failed = 0, kinks = 0, significant = 0;
        double maxAbs = 0, worst = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            float plus = x + Step, minus = x - Step;
            values[i] = plus;
            double lossPlus = loss();
            values[i] = minus;
            double lossMinus = loss();
            values[i] = x;
            double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            double a = analytic[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(a));
            if (Math.Abs(a) > absoluteTolerance)
                significant++;
            double ratio = Math.Abs(a - numeric) / (absoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(numeric)));
            if (Close(a, numeric, RelativeTolerance, absoluteTolerance))
            {
                worst = Math.Max(worst, ratio);
                continue;
            }
            if (allowKinks)
            {
                double lossHere = loss();
                double forward = (lossPlus - lossHere) / ((double)plus - x);
                double backward = (lossHere - lossMinus) / ((double)x - minus);
                // One-sided differences have an O(step) truncation error and twice the rounding noise.
                bool kink = !Close(forward, backward, 5e-2, 4e-3);
                if (kink && (Close(a, forward, 5e-2, 4e-3) || Close(a, backward, 5e-2, 4e-3)))
                {
                    kinks++;
                    continue;
                }
            }
            failed++;
            if (failed <= 20)
                failures.AppendLine(CultureInfo.InvariantCulture, $"  {label}[{i}]: analytic {a:G6}, numeric {numeric:G6}");
        }
        Assert.True(failed == 0, $"{label}: {failed} of {values.Length} gradients differ from finite differences:\n{failures}");
        Assert.True(kinks <= Math.Max(2, values.Length / 10), $"{label}: {kinks} of {values.Length} values sit at a kink; the check would be weak.");
        if (requireSignificant)
            Assert.True(maxAbs > 10 * absoluteTolerance, $"{label}: the analytic gradient is negligible (max |g| = {maxAbs:G3}), so the check proves nothing.");
        return new Report(values.Length, kinks, maxAbs, significant, worst);
    }

    /// <summary>|a − b| ≤ absolute + relative·max(|a|, |b|).</summary>
    public static bool Close(double a, double b, double relative, double absolute) =>
        Math.Abs(a - b) <= absolute + relative * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>Checks the gradient of every element of a tensor.</summary>
    public static Report Check(string label, Tensor values, ReadOnlySpan<float> analytic, Func<double> loss, bool allowKinks = false, bool requireSignificant = true, double absoluteTolerance = AbsoluteTolerance) =>
        Check(label, values.Span, analytic, loss, allowKinks, requireSignificant, absoluteTolerance);
}
