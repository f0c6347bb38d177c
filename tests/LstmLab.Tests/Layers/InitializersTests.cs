using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

// Provenance (whole file) (cited): Glorot uniform's limit √(6/(fan_in + fan_out)) and orthogonal's shapes as Keras
// defines them (keras/src/initializers); the inline data are fan sizes (inputs).

/// <summary>
/// Keras's initializers: glorot_uniform stays within √(6 / (fan_in + fan_out)) and fills the range;
/// orthogonal gives orthonormal rows for [u, 4u] (W·Wᵀ = I), columns for tall matrices; an LSTM starts
/// with its forget-gate bias at 1 under unit_forget_bias; a Dense starts with zero bias.
/// </summary>
public sealed class InitializersTests
{
    [Theory]
    [InlineData(3, 20)]
    [InlineData(50, 200)]
    [InlineData(1, 1)]
    public void GlorotUniform_RespectsTheLimit_AndUsesTheRange(int fanIn, int fanOut)
    {
        var values = new float[Math.Max(2000, fanIn * fanOut * 20)];
        Initializers.GlorotUniform(values, fanIn, fanOut, new RandomGenerator(91));
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.True(values.Max(Math.Abs) > 0.95 * limit);
        double mean = values.Average(v => (double)v), variance = values.Average(v => (double)v * v);
        Assert.InRange(mean, -0.1 * limit, 0.1 * limit);
        Assert.InRange(variance, 0.85 * limit * limit / 3, 1.15 * limit * limit / 3);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 12)]
    [InlineData(8, 32)]
    [InlineData(25, 100)]
    [InlineData(5, 5)]
    [InlineData(12, 3)]
    public void Orthogonal_IsOrthonormalAlongTheShorterSide(int rows, int cols)
    {
        var w = new float[rows * cols];
        Initializers.Orthogonal(w, rows, cols, new RandomGenerator(92));
        bool wide = rows <= cols;
        int n = Math.Min(rows, cols), length = Math.Max(rows, cols);
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                // W·Wᵀ for wide matrices (rows), Wᵀ·W for tall ones (columns).
                double dot = 0;
                for (int i = 0; i < length; i++)
                    dot += wide ? (double)w[a * cols + i] * w[b * cols + i] : (double)w[i * cols + a] * w[i * cols + b];
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) < 1e-5, $"[{rows}, {cols}] entry ({a}, {b}) of the Gram matrix is {dot}.");
            }
        }
        var again = new float[rows * cols];
        Initializers.Orthogonal(again, rows, cols, new RandomGenerator(92));
        Assert.Equal(w, again);
        Assert.Throws<ArgumentException>(() => Initializers.Orthogonal(new float[rows * cols + 1], rows, cols, new RandomGenerator(1)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lstm_StartsLikeKeras(bool unitForgetBias)
    {
        const int units = 6, features = 3;
        var model = new Sequential(SampleShape.Sequence(4, features), seed: 93);
        var lstm = new Lstm(units, unitForgetBias: unitForgetBias);
        model.Add(lstm);
        float[] bias = lstm.Cell.Bias.Value.ToArray();
        for (int q = 0; q < 4 * units; q++)
            Assert.Equal(unitForgetBias && q >= units && q < 2 * units ? 1f : 0f, bias[q]);

        double limit = Math.Sqrt(6.0 / (features + 4 * units));
        Assert.All(lstm.Cell.Kernel.Value.ToArray(), v => Assert.InRange(Math.Abs(v), 0, limit));
        float[] r = lstm.Cell.RecurrentKernel.Value.ToArray();
        Assert.Equal(new Shape(units, 4 * units), lstm.Cell.RecurrentKernel.Shape);
        for (int a = 0; a < units; a++)
        {
            for (int b = 0; b < units; b++)
            {
                double dot = 0;
                for (int i = 0; i < 4 * units; i++)
                    dot += (double)r[a * 4 * units + i] * r[b * 4 * units + i];
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) < 1e-5, $"recurrent kernel Gram ({a}, {b}) = {dot}");
            }
        }
    }

    [Fact]
    public void Dense_StartsWithGlorotKernelAndZeroBias()
    {
        var model = new Sequential(SampleShape.Vector(7), seed: 94);
        var dense = new Dense(5);
        model.Add(dense);
        double limit = Math.Sqrt(6.0 / 12);
        Assert.All(dense.Kernel.Value.ToArray(), v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.Contains(dense.Kernel.Value.ToArray(), v => v != 0);
        Assert.All(dense.Bias.Value.ToArray(), v => Assert.Equal(0f, v));
    }
}
