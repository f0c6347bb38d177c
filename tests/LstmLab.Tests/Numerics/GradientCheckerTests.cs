using Xunit;
using Xunit.Sdk;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// The gradient checker must be able to fail: a gradient off by a few percent, a gradient of zeros,
/// and a wrong gradient at a non-kink point are all rejected, while the true one passes.
/// </summary>
public sealed class GradientCheckerTests
{
    private static readonly float[] Weights = [0.7f, -1.3f, 0.4f, 2.1f, -0.2f];

    [Fact]
    public void TrueGradient_Passes()
    {
        float[] x = [0.3f, -1.1f, 0.8f, 1.7f, -0.4f];
        GradientChecker.Check("x", x, TrueGradient(x), () => Loss(x));
    }

    [Fact]
    public void GradientOffByThreePercent_Fails()
    {
        float[] x = [0.3f, -1.1f, 0.8f, 1.7f, -0.4f];
        float[] wrong = TrueGradient(x);
        wrong[3] *= 1.03f;
        Assert.ThrowsAny<XunitException>(() => GradientChecker.Check("x", x, wrong, () => Loss(x)));
    }

    [Fact]
    public void ZeroGradient_FailsEvenWhereNumericDifferencesAreSmall()
    {
        float[] x = [0.3f, -1.1f, 0.8f, 1.7f, -0.4f];
        Assert.ThrowsAny<XunitException>(() => GradientChecker.Check("x", x, new float[5], () => Loss(x)));
        // A correct but negligible gradient proves nothing and is refused too.
        float[] tiny = [1e-4f];
        Assert.ThrowsAny<XunitException>(() => GradientChecker.Check("tiny", tiny, [1e-4f], () => 1e-4 * tiny[0]));
    }

    [Fact]
    public void KinkTolerance_AcceptsOnlyTheOneSidedDerivative()
    {
        // relu(x − 0.0004): the kink lies within one step of x = 0; the left derivative is 0, the right 1.
        float[] x = [0f];
        double Relu() => 3 * Math.Max(x[0] - 0.0004, 0);
        GradientChecker.Check("left side", x, [0f], Relu, allowKinks: true, requireSignificant: false);
        Assert.ThrowsAny<XunitException>(() => GradientChecker.Check("left side", x, [0f], Relu, allowKinks: false, requireSignificant: false));
        Assert.ThrowsAny<XunitException>(() => GradientChecker.Check("wrong", x, [1.5f], Relu, allowKinks: true, requireSignificant: false));
    }

    private static double Loss(float[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += Weights[i] * Math.Sin(x[i]) * x[i];
        return sum;
    }

    private static float[] TrueGradient(float[] x) =>
        x.Select((v, i) => (float)(Weights[i] * (Math.Cos(v) * v + Math.Sin(v)))).ToArray();
}
