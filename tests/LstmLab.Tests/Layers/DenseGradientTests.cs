using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// Gradient checks of <see cref="Dense"/> for each activation, on vectors (B, F) and per time step
/// on sequences (B, T, F): dkernel, dbias and dx from <c>Backward</c> against central finite
/// differences of L = Σ w ⊙ output. Also the forward pass against a double-precision reference.
/// </summary>
public sealed class DenseGradientTests
{
    private const int Batch = 3, Steps = 4, Features = 4, Units = 5;

    [Theory]
    [InlineData(Activation.Linear, false)]
    [InlineData(Activation.Linear, true)]
    [InlineData(Activation.Sigmoid, false)]
    [InlineData(Activation.Sigmoid, true)]
    [InlineData(Activation.Softmax, false)]
    [InlineData(Activation.Softmax, true)]
    [InlineData(Activation.Tanh, false)]
    [InlineData(Activation.Tanh, true)]
    [InlineData(Activation.Relu, false)]
    [InlineData(Activation.Relu, true)]
    public void WeightAndInputGradients_MatchFiniteDifferences(Activation activation, bool sequence)
    {
        (Dense dense, Tensor x) = Build(activation, sequence, seed: 21);
        var random = new RandomGenerator(31);
        Tensor w = sequence ? TestData.Tensor(random, -1, 1, Batch, Steps, Units) : TestData.Tensor(random, -1, 1, Batch, Units);
        double Loss() => TestData.Dot(dense.Forward(x, training: true).Span, w.Span);

        TestData.ClearGradients(dense.Parameters);
        Tensor y = dense.Forward(x, training: true);
        Assert.Equal(sequence ? new Shape(Batch, Steps, Units) : new Shape(Batch, Units), y.Shape);
        Tensor dxTensor = dense.Backward(w, needInputGradient: true)!;
        Assert.Equal(x.Shape, dxTensor.Shape);
        float[] dx = dxTensor.ToArray();
        float[] dKernel = dense.Kernel.Gradient.ToArray(), dBias = dense.Bias.Gradient.ToArray();

        bool relu = activation == Activation.Relu;
        GradientChecker.Check("kernel", dense.Kernel.Value, dKernel, Loss, allowKinks: relu);
        GradientChecker.Check("bias", dense.Bias.Value, dBias, Loss, allowKinks: relu);
        GradientChecker.Check("x", x, dx, Loss, allowKinks: relu);
        if (relu)
        {
            // Both pieces of relu must be exercised: some outputs clipped to 0, some passing through.
            float[] outputs = dense.Forward(x, training: true).ToArray();
            Assert.Contains(outputs, v => v == 0f);
            Assert.Contains(outputs, v => v > 0.1f);
        }
    }

    [Theory]
    [InlineData(Activation.Linear)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Softmax)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void Forward_MatchesDoublePrecisionReference(Activation activation)
    {
        (Dense dense, Tensor x) = Build(activation, sequence: true, seed: 22);
        float[] y = dense.Forward(x, training: false).ToArray();
        ReadOnlySpan<float> kernel = dense.Kernel.Value.Span, bias = dense.Bias.Value.Span;
        var expected = new float[y.Length];
        var z = new double[Units];
        for (int r = 0; r < Batch * Steps; r++)
        {
            for (int j = 0; j < Units; j++)
            {
                z[j] = bias[j];
                for (int k = 0; k < Features; k++)
                    z[j] += (double)x.Span[r * Features + k] * kernel[k * Units + j];
            }
            double max = z.Max(), total = z.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < Units; j++)
            {
                expected[r * Units + j] = (float)(activation switch
                {
                    Activation.Linear => z[j],
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z[j])),
                    Activation.Softmax => Math.Exp(z[j] - max) / total,
                    Activation.Tanh => Math.Tanh(z[j]),
                    _ => Math.Max(z[j], 0),
                });
            }
        }
        TestData.AssertClose(expected, y, 2e-6, $"dense {activation}");
    }

    [Fact]
    public void Forward_RejectsAWrongFeatureCount_NamingBothShapes()
    {
        (Dense dense, _) = Build(Activation.Linear, sequence: false, seed: 23);
        var e = Assert.Throws<ArgumentException>(() => dense.Forward(new Tensor(2, Features + 1), training: false));
        Assert.Contains($"(batch, {Features})", e.Message, StringComparison.Ordinal);
        Assert.Contains($"(2, {Features + 1})", e.Message, StringComparison.Ordinal);
    }

    private static (Dense Dense, Tensor X) Build(Activation activation, bool sequence, long seed)
    {
        var model = new Sequential(sequence ? SampleShape.Sequence(Steps, Features) : SampleShape.Vector(Features), seed: seed);
        var dense = new Dense(Units, activation);
        model.Add(dense);
        var random = new RandomGenerator(seed + 500);
        TestData.Uniform(random, Units, -0.5, 0.5).CopyTo(dense.Bias.Value.Span);
        Tensor x = sequence ? TestData.Tensor(random, -2, 2, Batch, Steps, Features) : TestData.Tensor(random, -2, 2, Batch, Features);
        return (dense, x);
    }
}
