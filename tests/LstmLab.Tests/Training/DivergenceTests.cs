using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): the epoch range and the learning rate are inputs/bounds.

/// <summary>Training that cannot fail quietly: a NaN or infinite loss stops it, settings that guarantee one are refused.</summary>
public sealed class DivergenceTests
{
    // y = 1000·x fitted by plain SGD at learning rate 1: each step multiplies the error by about
    // 1 − 2·lr·x² ≈ −2·10⁶, so the loss overflows float32 within a few epochs.
    private static (Sequential Model, Tensor X, Tensor Y) Exploding()
    {
        var model = new Sequential(SampleShape.Vector(1), seed: 5);
        model.Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Sgd(learningRate: 1));
        var x = new Tensor(new float[] { 1000, 999, 998, 997 }, 4, 1);
        var y = new Tensor(new float[] { 1000, 1000, 1000, 1000 }, 4, 1);
        return (model, x, y);
    }

    [Fact]
    public void Fit_stops_at_the_first_non_finite_loss_and_says_where_and_what_to_change()
    {
        (Sequential model, Tensor x, Tensor y) = Exploding();
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(x, y, epochs: 50, batchSize: 2, shuffle: false, verbose: 0));
        Assert.False(double.IsFinite(e.Loss));
        Assert.NotNull(e.Epoch);
        Assert.InRange(e.Epoch!.Value, 1, 50);
        Assert.InRange(e.Batch, 1, 2);
        Assert.Equal(2, e.Batches);
        // The failing batch's update was not applied: the optimizer stopped one short of the update named.
        Assert.Equal(e.Update - 1, model.Optimizer!.Iterations);
        Assert.Equal((e.Epoch.Value - 1) * 2 + e.Batch, e.Update);
        Assert.Contains($"epoch {e.Epoch}, batch {e.Batch} of 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("LearningRate is 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("scale", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainOnBatch_refuses_a_nan_loss_without_updating()
    {
        var model = new Sequential(SampleShape.Vector(2), seed: 6);
        model.Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Adam());
        var x = new Tensor(new float[] { 1, float.NaN }, 1, 2);
        var y = new Tensor(new float[] { 0 }, 1, 1);
        float[] before = model.Parameters[0].Value.ToArray();
        var e = Assert.Throws<TrainingDivergedException>(() => model.TrainOnBatch(x, y));
        Assert.True(double.IsNaN(e.Loss));
        Assert.Null(e.Epoch);
        Assert.Equal(0, model.Optimizer!.Iterations);
        Assert.Equal(before, model.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void Adam_refuses_an_epsilon_of_zero_or_one_that_rounds_to_zero_in_float32()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0));
        Assert.Contains("0 / 0", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 1e-50));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: double.NaN));
        Assert.Equal(1e-8, new Adam(epsilon: 1e-8).Epsilon);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    public void Optimizers_refuse_a_learning_rate_of_zero_or_below(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate: rate));
    }
}
