using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): MAE and Huber written out on the test's values (Keras's definitions:
// keras/src/losses/losses.py): |errors| mean 5.5; Huber 0.5e² for |e| ≤ δ, δ(|e| − δ/2) otherwise.

/// <summary>
/// The losses beside MSE and the two cross-entropies: values from their Keras definitions computed by hand,
/// parsing with arguments, and every gradient against central finite differences.
/// </summary>
public sealed class LossExtensionTests
{
    [Fact]
    public void MeanAbsoluteError_IsTheMeanAbsoluteDifference()
    {
        // The data Keras's loss tests use (y_true [[1, 9, 2], [-5, -2, 6]], y_pred [[4, 8, 12], [8, 1, 3]]);
        // by hand: (3 + 1 + 10 + 13 + 3 + 3) / 6 = 5.5.
        float[] y = [1, 9, 2, -5, -2, 6], p = [4, 8, 12, 8, 1, 3];
        Assert.Equal(5.5, Loss.MeanAbsoluteError.Compute(p, y, [], 2, 3), 6);
        Assert.Same(Loss.MeanAbsoluteError, Loss.Parse("mae"));
    }

    [Fact]
    public void Huber_IsQuadraticInsideDeltaAndLinearOutside()
    {
        // e = 0.5 → ½·0.25 = 0.125; e = −3 → 1·(3 − 0.5) = 2.5; with δ = 2: e = −3 → 2·(3 − 1) = 4.
        float[] p = [0.5f, -3f], y = [0f, 0f];
        Assert.Equal((0.125 + 2.5) / 2, Loss.Huber.Compute(p, y, [], 1, 2), 6);
        Assert.Equal((0.125 + 4) / 2, Loss.HuberWithDelta(2).Compute(p, y, [], 1, 2), 6);
        Assert.Equal("huber(delta=2)", Loss.Parse("huber(delta=2)").Name);
        Assert.Same(Loss.Huber, Loss.Parse("huber_loss"));
    }

    [Fact]
    public void SparseCategorical_EqualsCategoricalWithOneHotTargets()
    {
        float[] p = [0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.1f], sparse = [1, 2], oneHot = [0, 1, 0, 0, 0, 1];
        var gs = new float[6];
        var gc = new float[6];
        double ls = Loss.SparseCategoricalCrossentropy.Compute(p, sparse, gs, 2, 3);
        double lc = Loss.CategoricalCrossentropy.Compute(p, oneHot, gc, 2, 3);
        Assert.Equal(lc, ls, 10);
        TestData.AssertClose(gc, gs, 1e-6, "sparse vs one-hot gradient");
        Assert.Equal(1, Loss.SparseCategoricalCrossentropy.TargetWidth(3));
        Assert.Throws<ArgumentException>(() => Loss.SparseCategoricalCrossentropy.Compute(p, [1.5f, 0f], [], 2, 3));
        Assert.Throws<ArgumentException>(() => Loss.SparseCategoricalCrossentropy.Compute(p, [3f, 0f], [], 2, 3));
    }

    [Fact]
    public void FromLogits_EqualsTheLossOnTheActivatedOutput_WhenNothingIsClipped()
    {
        float[] z = [0.3f, -1.2f, 2.0f, 0.1f, 0.5f, -0.4f], y = [0, 1, 0, 0, 0, 1];
        float[] softmax = (float[])z.Clone();
        Activations.Forward(Activation.Softmax, softmax, 2, 3);
        Assert.Equal(Loss.CategoricalCrossentropy.Compute(softmax, y, [], 2, 3), Loss.Parse("categorical_crossentropy(from_logits=true)").Compute(z, y, [], 2, 3), 5);
        Assert.Equal(Loss.CategoricalCrossentropy.Compute(softmax, y, [], 2, 3), Loss.WithLogits(Loss.SparseCategoricalCrossentropy).Compute(z, [1, 2], [], 2, 3), 5);
        float[] sigmoid = (float[])z.Clone();
        Activations.Forward(Activation.Sigmoid, sigmoid, 2, 3);
        Assert.Equal(Loss.BinaryCrossentropy.Compute(sigmoid, y, [], 2, 3), Loss.WithLogits(Loss.BinaryCrossentropy).Compute(z, y, [], 2, 3), 5);
        // Logits far outside the clip range stay exact: −log σ(−40) ≈ 40, not −log ε ≈ 16.1.
        Assert.Equal(40, Loss.WithLogits(Loss.BinaryCrossentropy).Compute([-40f], [1f], [], 1, 1), 4);
        Assert.Throws<ArgumentException>(() => Loss.WithLogits(Loss.MeanSquaredError));
        Assert.True(Loss.Parse("binary_crossentropy(from_logits=true)").FromLogits);
        Assert.Throws<ArgumentException>(() => Loss.Parse("mse(from_logits=true)"));
    }

    public static TheoryData<string, bool> GradientCases() => new()
    {
        { "mean_absolute_error", false },
        { "huber", false },
        { "huber(delta=0.3)", false },
        { "sparse_categorical_crossentropy", true },
        { "sparse_categorical_crossentropy(from_logits=true)", true },
        { "categorical_crossentropy(from_logits=true)", false },
        { "binary_crossentropy(from_logits=true)", false },
    };

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Gradient_MatchesFiniteDifferences(string name, bool sparse)
    {
        Loss loss = Loss.Parse(name);
        const int rows = 4, width = 3;
        var random = new RandomGenerator(91);
        bool probabilities = name == "sparse_categorical_crossentropy";
        float[] p = TestData.Uniform(random, rows * width, probabilities ? 0.1 : -2, probabilities ? 1 : 2);
        float[] y = sparse ? [0, 2, 1, 2] : TestData.Uniform(random, rows * width, name.StartsWith("huber", StringComparison.Ordinal) || name.StartsWith("mean", StringComparison.Ordinal) ? -2 : 0, 1);
        if (name.StartsWith("categorical", StringComparison.Ordinal))
            y = [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1];
        var g = new float[rows * width];
        loss.Compute(p, y, g, rows, width);
        GradientChecker.Check(name, p.AsSpan(), g, () => loss.Compute(p, y, [], rows, width), allowKinks: !sparse && !name.Contains("logits", StringComparison.Ordinal));
    }
}
