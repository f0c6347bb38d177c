using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// The optimizers' update rules against their formulas computed in double over several steps (so
/// the moment buffers and bias correction are exercised), plus argument validation.
/// </summary>
public sealed class OptimizerTests
{
    [Fact]
    public void Adam_FollowsTheKerasUpdate()
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var parameter = new Parameter("w", new Shape(6));
        var random = new RandomGenerator(101);
        float[] start = TestData.Uniform(random, 6, -1, 1);
        parameter.Assign(start);
        double[] theta = start.Select(v => (double)v).ToArray(), m = new double[6], v = new double[6];
        var adam = new Adam(lr, b1, b2, eps);
        for (int step = 1; step <= 5; step++)
        {
            float[] g = TestData.Uniform(random, 6, -1, 1);
            g[0] = 0; // a zero gradient still moves θ through the first moment after step 1
            g.CopyTo(parameter.Gradient.Span);
            adam.Apply([parameter]);
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(b1, step));
            for (int i = 0; i < 6; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                theta[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            TestData.AssertClose(theta.Select(t => (float)t).ToArray(), parameter.Value.Span, 1e-6, $"Adam step {step}");
            Assert.Equal(step, adam.Iterations);
        }
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void Sgd_FollowsTheKerasUpdate(double momentum, bool nesterov)
    {
        const double lr = 0.05;
        var parameter = new Parameter("w", new Shape(2, 3));
        var random = new RandomGenerator(102);
        float[] start = TestData.Uniform(random, 6, -1, 1);
        parameter.Assign(start);
        double[] theta = start.Select(x => (double)x).ToArray(), velocity = new double[6];
        var sgd = new Sgd(lr, momentum, nesterov);
        for (int step = 1; step <= 4; step++)
        {
            float[] g = TestData.Uniform(random, 6, -1, 1);
            g.CopyTo(parameter.Gradient.Span);
            sgd.Apply([parameter]);
            for (int i = 0; i < 6; i++)
            {
                velocity[i] = momentum * velocity[i] - lr * g[i];
                theta[i] += nesterov ? momentum * velocity[i] - lr * g[i] : velocity[i];
            }
            TestData.AssertClose(theta.Select(t => (float)t).ToArray(), parameter.Value.Span, 1e-6, $"SGD step {step}");
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
