using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

// Provenance (whole file) (cited): hard sigmoid as Keras 2 (0.2x + 0.5, clip) and Keras 3 (x/6 + 0.5, clip) define it
// (keras/src/activations/activations.py; Keras 2.2.4 backend), written out; the vector paths are compared with the
// scalar reference.

/// <summary>
/// <see cref="Activations"/>: forward and backward of each output activation against a double
/// reference for many row widths, the recurrent activations at every length 0..70 (vector bodies and
/// tails), and the Keras names.
/// </summary>
public sealed class ActivationsTests
{
    public static TheoryData<Activation> OutputActivations =>
        [Activation.Linear, Activation.Sigmoid, Activation.Softmax, Activation.Tanh, Activation.Relu];

    [Theory]
    [MemberData(nameof(OutputActivations))]
    public void Forward_MatchesReference(Activation activation)
    {
        var random = new RandomGenerator(71);
        foreach (int width in new[] { 1, 2, 3, 7, 8, 9, 16, 17, 33 })
        {
            const int rows = 3;
            float[] x = TestData.Uniform(random, rows * width + 2, -6, 6);
            float[] y = (float[])x.Clone();
            Activations.Forward(activation, y, rows, width);
            float[] expected = Reference(activation, x, rows, width);
            TestData.AssertClose(expected, y.AsSpan(0, rows * width), 1e-6, $"{activation} width={width}");
            // Values past rows·width are not touched.
            Assert.Equal(x[^2..], y[^2..]);
        }
    }

    [Theory]
    [MemberData(nameof(OutputActivations))]
    public void Backward_MatchesReferenceJacobianProduct(Activation activation)
    {
        var random = new RandomGenerator(72);
        foreach (int width in new[] { 1, 2, 3, 8, 17 })
        {
            const int rows = 4;
            float[] x = TestData.Uniform(random, rows * width, -4, 4);
            float[] y = (float[])x.Clone();
            Activations.Forward(activation, y, rows, width);
            float[] dy = TestData.Uniform(random, rows * width, -1, 1);
            var dx = new float[rows * width];
            Activations.Backward(activation, y, dy, dx, rows, width);

            var expected = new float[rows * width];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    int i = r * width + j;
                    double yi = y[i];
                    expected[i] = (float)(activation switch
                    {
                        Activation.Linear => dy[i],
                        Activation.Sigmoid => dy[i] * yi * (1 - yi),
                        Activation.Tanh => dy[i] * (1 - yi * yi),
                        Activation.Relu => x[i] > 0 ? dy[i] : 0,
                        // Σ_k dy_k ∂y_k/∂x_j = Σ_k dy_k y_k (δ_kj − y_j)
                        _ => Enumerable.Range(0, width).Sum(k => (double)dy[r * width + k] * y[r * width + k] * ((k == j ? 1 : 0) - yi)),
                    });
                }
            }
            TestData.AssertClose(expected, dx, 1e-6, $"{activation} width={width}");

            // dx may alias dy.
            float[] inPlace = (float[])dy.Clone();
            Activations.Backward(activation, y, inPlace, inPlace, rows, width);
            TestData.AssertBitEqual(dx, inPlace, $"{activation} in place");
        }
    }

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3)]
    public void RecurrentForward_MatchesReferenceAtEveryLength(RecurrentActivation activation)
    {
        var random = new RandomGenerator(73);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = TestData.Uniform(random, length, -5, 5);
            float[] y = (float[])x.Clone();
            Activations.Forward(activation, y);
            float[] expected = x.Select(v => (float)(activation switch
            {
                RecurrentActivation.Sigmoid => 1 / (1 + Math.Exp(-(double)v)),
                RecurrentActivation.HardSigmoidKeras2 => Math.Clamp(0.2 * v + 0.5, 0, 1),
                _ => Math.Clamp(v / 6.0 + 0.5, 0, 1),
            })).ToArray();
            TestData.AssertClose(expected, y, 1e-6, $"{activation} length={length}");
        }
    }

    [Fact]
    public void HardSigmoids_HaveKerasBreakpoints()
    {
        float[] keras2 = [-2.5f, -2.4f, 0f, 2.4f, 2.5f, 10f, -10f];
        Activations.Forward(RecurrentActivation.HardSigmoidKeras2, keras2);
        Assert.Equal([0f, 0.02f, 0.5f, 0.98f, 1f, 1f, 0f], keras2.Select(v => MathF.Round(v, 6)));
        float[] keras3 = [-3f, -2.4f, 0f, 2.4f, 3f, 10f, -10f];
        Activations.Forward(RecurrentActivation.HardSigmoidKeras3, keras3);
        Assert.Equal([0f, 0.1f, 0.5f, 0.9f, 1f, 1f, 0f], keras3.Select(v => MathF.Round(v, 6)));
        Assert.Equal(0.2f, Activations.HardSlope(RecurrentActivation.HardSigmoidKeras2));
        Assert.Equal(1f / 6f, Activations.HardSlope(RecurrentActivation.HardSigmoidKeras3));
        Assert.Equal(0f, Activations.HardSlope(RecurrentActivation.Sigmoid));
    }

    [Fact]
    public void Softmax_IsStableForLargeInputs()
    {
        float[] x = [1000f, 1001f, 999f];
        Activations.Forward(Activation.Softmax, x, 1, 3);
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, x.Sum(v => (double)v), 6);
        Assert.True(x[1] > x[0] && x[0] > x[2]);
    }

    [Fact]
    public void Names_RoundTrip_AndAmbiguousHardSigmoidIsRefused()
    {
        foreach (Activation a in Enum.GetValues<Activation>())
            Assert.Equal(a, Activations.Parse(Activations.Name(a)));
        foreach (RecurrentActivation a in Enum.GetValues<RecurrentActivation>())
            Assert.Equal(a, Activations.ParseRecurrent(Activations.Name(a)));
        Assert.Equal(Activation.Linear, Activations.Parse(""));
        Assert.Equal(Activation.Tanh, Activations.Parse(" TANH "));
        var ambiguous = Assert.Throws<ArgumentException>(() => Activations.ParseRecurrent("hard_sigmoid"));
        Assert.Contains("hard_sigmoid_keras2", ambiguous.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => Activations.Parse("gelu"));
        Assert.Contains("gelu", unknown.Message, StringComparison.Ordinal);
    }

    private static float[] Reference(Activation activation, float[] x, int rows, int width)
    {
        var y = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, total = 0;
            for (int j = 0; j < width; j++)
                max = Math.Max(max, x[r * width + j]);
            for (int j = 0; j < width; j++)
                total += Math.Exp(x[r * width + j] - max);
            for (int j = 0; j < width; j++)
            {
                double v = x[r * width + j];
                y[r * width + j] = (float)(activation switch
                {
                    Activation.Linear => v,
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
                    Activation.Softmax => Math.Exp(v - max) / total,
                    Activation.Tanh => Math.Tanh(v),
                    _ => Math.Max(v, 0),
                });
            }
        }
        return y;
    }
}
