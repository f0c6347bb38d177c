using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// The optimizers' update rules against their formulas computed in double over several steps (so
/// the moment buffers and bias correction are exercised), on every kernel path this machine can run and
/// with 70 elements (whole 16- and 8-float vectors and a ragged tail), plus argument validation.
/// </summary>
public sealed class OptimizerTests
{
    public static TheoryData<string> Paths => IsaPaths.Runnable();

    private const int Size = 70;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Adam_FollowsTheKerasUpdate(string isa) => IsaPaths.On(isa, () =>
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var parameter = new Parameter("w", new Shape(Size));
        var random = new RandomGenerator(101);
        float[] start = TestData.Uniform(random, Size, -1, 1);
        parameter.Assign(start);
        double[] theta = start.Select(v => (double)v).ToArray(), m = new double[Size], v = new double[Size];
        var adam = new Adam(lr, b1, b2, eps);
        for (int step = 1; step <= 5; step++)
        {
            float[] g = TestData.Uniform(random, Size, -1, 1);
            g[0] = 0; // a zero gradient still moves θ through the first moment after step 1
            g[Size - 1] = 0; // the same in the ragged tail
            g.CopyTo(parameter.Gradient.Span);
            adam.Apply([parameter]);
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(b1, step));
            for (int i = 0; i < Size; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                theta[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            TestData.AssertClose(theta.Select(t => (float)t).ToArray(), parameter.Value.Span, 1e-6, $"Adam step {step} on {isa}");
            Assert.Equal(step, adam.Iterations);
        }
    });

    // Provenance (hand): inputs (momentum, Nesterov).
    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void Sgd_FollowsTheKerasUpdate(double momentum, bool nesterov)
    {
        foreach (string isa in IsaPaths.Runnable())
            IsaPaths.On(isa, () => SgdFollowsTheKerasUpdate(momentum, nesterov, isa));
    }

    private static void SgdFollowsTheKerasUpdate(double momentum, bool nesterov, string isa)
    {
        const double lr = 0.05;
        var parameter = new Parameter("w", new Shape(7, 10));
        var random = new RandomGenerator(102);
        float[] start = TestData.Uniform(random, Size, -1, 1);
        parameter.Assign(start);
        double[] theta = start.Select(x => (double)x).ToArray(), velocity = new double[Size];
        var sgd = new Sgd(lr, momentum, nesterov);
        for (int step = 1; step <= 4; step++)
        {
            float[] g = TestData.Uniform(random, Size, -1, 1);
            g.CopyTo(parameter.Gradient.Span);
            sgd.Apply([parameter]);
            for (int i = 0; i < Size; i++)
            {
                velocity[i] = momentum * velocity[i] - lr * g[i];
                theta[i] += nesterov ? momentum * velocity[i] - lr * g[i] : velocity[i];
            }
            TestData.AssertClose(theta.Select(t => (float)t).ToArray(), parameter.Value.Span, 1e-6, $"SGD step {step} on {isa}");
        }
    }

    [Fact]
    public void Constructors_RejectInvalidSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(momentum: 1));
    }
}
