using System.Globalization;
using System.Text;
using Xunit.Sdk;

namespace LstmLab.Tests.Parity;

/// <summary>
/// The one tolerance rule of the PyTorch parity tests. An engine value <c>a</c> matches PyTorch's <c>e</c> when
/// <code>|a − e| ≤ max(RelativeTolerance · |e|, AbsoluteTolerance)</code>
/// i.e. relative 1e-5, with an absolute floor of 1e-6 for values near zero (float32 round-off in sums whose
/// terms cancel is absolute, not relative). <c>make_fixtures.py</c> checks that its float32 numbers sit within a
/// quarter of this tolerance of a float64 run, so a failure here is the engine's, not the fixture's round-off.
/// <para>A check collects every mismatch of a test and <see cref="Verify"/> reports them all at once, so one run
/// shows whether only a gradient or everything downstream of the forward pass is off.</para>
/// </summary>
internal sealed class ParityCheck(string fixture, string reference = "PyTorch")
{
    private readonly List<string> _failures = [];

    public const double RelativeTolerance = 1e-5;
    public const double AbsoluteTolerance = 1e-6;

    public static bool IsClose(double expected, double actual) =>
        Math.Abs(actual - expected) <= Math.Max(RelativeTolerance * Math.Abs(expected), AbsoluteTolerance);

    /// <summary>Checks a scalar (e.g. the loss).</summary>
    public void Close(double expected, double actual, string what)
    {
        if (!IsClose(expected, actual) || double.IsNaN(actual))
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {reference} {expected:R}, engine {actual:R} (difference {actual - expected:E3})."));
    }

    /// <summary>Checks every element; the message names the worst element and the first mismatches.</summary>
    public void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            _failures.Add($"{what}: {reference} has {expected.Length} values, the engine {actual.Length}.");
            return;
        }
        int bad = 0, worst = -1;
        double worstRatio = 0;
        var first = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            double ratio = Math.Abs(a - e) / Math.Max(RelativeTolerance * Math.Abs(e), AbsoluteTolerance);
            if (ratio <= 1 && !double.IsNaN(a))
                continue;
            if (bad < 5)
                first.Append(CultureInfo.InvariantCulture, $"\n  [{i}] {reference} {e:R}, engine {a:R}");
            bad++;
            if (!(ratio <= worstRatio))
            {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (bad > 0)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {bad} of {expected.Length} values differ from {reference} beyond max({RelativeTolerance}·|e|, {AbsoluteTolerance}); worst [{worst}] {reference} {expected[worst]:R}, engine {actual[worst]:R} ({worstRatio:F1}× the tolerance).{first}"));
        }
    }

    /// <summary>Fails the test with every mismatch found, if any.</summary>
    public void Verify()
    {
        if (_failures.Count > 0)
            throw new XunitException($"Fixture '{fixture}' ({_failures.Count} mismatches):\n" + string.Join("\n", _failures));
    }
}
