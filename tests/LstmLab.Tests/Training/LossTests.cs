using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): MSE and its gradient written out on the test's 2 × 2 values.

/// <summary>
/// The losses: values against hand-computed Keras results, mean reduction over rows, Keras's ε clipping,
/// and the gradient with respect to the prediction against central finite differences.
/// </summary>
public sealed class LossTests
{
    [Fact]
    public void MeanSquaredError_IsTheMeanOverAllValues()
    {
        float[] p = [0.5f, 1f, -1f, 2f], y = [0f, 1f, 1f, 0f];
        var g = new float[4];
        // Rows (0.25 + 0)/2 and (4 + 4)/2: mean of 0.125 and 4.
        Assert.Equal(2.0625, Loss.MeanSquaredError.Compute(p, y, g, 2, 2), 12);
        Assert.Equal([0.25f, 0f, -1f, 1f], g);
    }

    [Fact]
    public void BinaryCrossentropy_MatchesKerasValues_AndClipsAtEpsilon()
    {
        float[] p = [0.9f, 0.2f], y = [1f, 0f];
        double expected = -(Math.Log(0.9f) + Math.Log(1 - 0.2f)) / 2;
        Assert.Equal(expected, Loss.BinaryCrossentropy.Compute(p, y, [], 2, 1), 6);

        // A prediction of exactly 0 for a positive target: −log(ε), finite, with the clip's zero gradient.
        float[] zero = [0f, 0.5f], target = [1f, 1f];
        var g = new float[2];
        double loss = Loss.BinaryCrossentropy.Compute(zero, target, g, 1, 2);
        Assert.Equal((-Math.Log(Loss.Epsilon) - Math.Log(0.5)) / 2, loss, 5);
        Assert.Equal(0f, g[0]);
        Assert.Equal(-1f, g[1], 6);
    }

    [Fact]
    public void CategoricalCrossentropy_NormalisesEachRow_AndTakesTheMeanOverRows()
    {
        // Row 0 sums to 2: q = (0.25, 0.5, 0.25); row 1 is already a distribution.
        float[] p = [0.5f, 1f, 0.5f, 0.7f, 0.2f, 0.1f], y = [0f, 1f, 0f, 0f, 0f, 1f];
        double expected = -(Math.Log(0.5) + Math.Log(0.1f)) / 2;
        Assert.Equal(expected, Loss.CategoricalCrossentropy.Compute(p, y, [], 2, 3), 6);
        // Clipping: a predicted 0 for the true class costs −log(ε), not ∞.
        float[] certain = [1f, 0f];
        Assert.Equal(-Math.Log(Loss.Epsilon), Loss.CategoricalCrossentropy.Compute(certain, [0f, 1f], [], 1, 2), 4);
    }

    [Fact]
    public void Parse_KnowsKerasNames()
    {
        Assert.Same(Loss.MeanSquaredError, Loss.Parse("mse"));
        Assert.Same(Loss.MeanSquaredError, Loss.Parse("mean_squared_error"));
        Assert.Same(Loss.BinaryCrossentropy, Loss.Parse("binary_crossentropy"));
        Assert.Same(Loss.CategoricalCrossentropy, Loss.Parse(" Categorical_Crossentropy "));
        var e = Assert.Throws<ArgumentException>(() => Loss.Parse("hinge"));
        Assert.Contains("hinge", e.Message, StringComparison.Ordinal);
        Assert.Equal("categorical_crossentropy", Loss.CategoricalCrossentropy.ToString());
    }

    [Theory]
    [InlineData("mean_squared_error", false)]
    [InlineData("binary_crossentropy", false)]
    [InlineData("binary_crossentropy", true)]
    [InlineData("categorical_crossentropy", false)]
    [InlineData("categorical_crossentropy", true)]
    public void Gradient_MatchesFiniteDifferences(string name, bool softTargets)
    {
        Loss loss = Loss.Parse(name);
        const int rows = 5, width = 3;
        var random = new RandomGenerator(81);
        float[] predicted, expected;
        switch (name)
        {
            case "mean_squared_error":
                predicted = TestData.Uniform(random, rows * width, -2, 2);
                expected = TestData.Uniform(random, rows * width, -2, 2);
                break;
            case "binary_crossentropy":
                predicted = TestData.Uniform(random, rows * width, 0.1, 0.9);
                expected = softTargets
                    ? TestData.Uniform(random, rows * width, 0, 1)
                    : Enumerable.Range(0, rows * width).Select(_ => (float)random.NextInt(2)).ToArray();
                break;
            default:
                // Unnormalised positive predictions: the normalisation p / Σp is part of the loss.
                predicted = TestData.Uniform(random, rows * width, 0.2, 1.5);
                expected = softTargets
                    ? SoftRows(random, rows, width)
                    : TestData.OneHot(random, rows, width).ToArray();
                break;
        }
        var gradient = new float[rows * width];
        double value = loss.Compute(predicted, expected, gradient, rows, width);
        Assert.Equal(value, loss.Compute(predicted, expected, [], rows, width));
        GradientChecker.Check(name, predicted, gradient, () => loss.Compute(predicted, expected, [], rows, width), absoluteTolerance: 1e-4);
    }

    private static float[] SoftRows(RandomGenerator random, int rows, int width)
    {
        float[] values = TestData.Uniform(random, rows * width, 0.1, 1);
        for (int r = 0; r < rows; r++)
        {
            float sum = values.AsSpan(r * width, width).ToArray().Sum();
            for (int j = 0; j < width; j++)
                values[r * width + j] /= sum;
        }
        return values;
    }
}
