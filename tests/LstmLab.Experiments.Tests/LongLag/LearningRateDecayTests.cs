using LstmLab.Experiments.LongLag;
using LstmLab.Experiments.Recipes;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Experiments.Tests.LongLag;

// Provenance (whole file) (cited + hand): the formula is Keras's ExponentialDecay
// (keras/src/optimizers/schedules/learning_rate_schedule.py, Keras 3.6: initial_learning_rate *
// decay_rate ^ (step / decay_steps), step / decay_steps an integer division when staircase); every expected
// rate below is that formula worked by hand at the test's numbers.

/// <summary><c>--lr-decay-steps/--lr-decay-rate/--lr-staircase</c>: the rate the runs train with, step by step.</summary>
public sealed class LearningRateDecayTests
{
    [Theory]
    // 0.01 · 0.5^(0/2) = 0.01; 0.5^(3/2) = 0.353553390593; 0.5^(5/2) = 0.176776695297
    [InlineData(false, 0, 0.01)]
    [InlineData(false, 3, 0.00353553390593)]
    [InlineData(false, 5, 0.00176776695297)]
    // staircase: 0.5^⌊3/2⌋ = 0.5, 0.5^⌊5/2⌋ = 0.25
    [InlineData(true, 1, 0.01)]
    [InlineData(true, 3, 0.005)]
    [InlineData(true, 5, 0.0025)]
    public void Schedule_GivesKerasRate_AtStep(bool staircase, long step, double expected) =>
        Assert.Equal(expected, new LearningRateDecay(2, 0.5, staircase).Schedule(0.01).At(step), 12);

    // Batch learning: 2 updates per epoch (one per sequence), 3 epochs = 6 updates; the rate is set before each
    // sequence from the updates so far, so the last update (the 6th) runs at step 5: staircase 0.01 · 0.5^⌊5/2⌋ =
    // 0.0025, smooth 0.01 · 0.5^2.5 = 0.00176776695297.
    [Theory]
    [InlineData(true, 0.0025)]
    [InlineData(false, 0.00176776695297)]
    public void MemoryRun_TrainsItsLastUpdateAtTheDecayedRate(bool staircase, double expected)
    {
        var options = new MemoryOptions(Epochs: 3, Seed: 1)
        {
            BatchLearning = true,
            Optimizer = new OptimizerSettings("adam", 0.01),
            LearningRateDecay = new LearningRateDecay(2, 0.5, staircase),
        };
        Optimizer optimizer = MemoryDemonstration.Run(options).Model!.Optimizer!;
        Assert.Equal(6, optimizer.Iterations);
        Assert.Equal(expected, optimizer.LearningRate, 12);
    }

    [Fact]
    public void MemoryRun_WithoutDecay_KeepsTheRate()
    {
        var options = new MemoryOptions(Epochs: 3, Seed: 1) { BatchLearning = true, Optimizer = new OptimizerSettings("adam", 0.01) };
        Assert.Equal(0.01, MemoryDemonstration.Run(options).Model!.Optimizer!.LearningRate, 12);
    }

    [Theory]
    [InlineData(0, 0.5, "--lr-decay-steps must be a whole number from 1")]
    [InlineData(10, 0, "--lr-decay-rate must be a number between 0 and 1")]
    [InlineData(10, 1, "--lr-decay-rate must be a number between 0 and 1")]
    [InlineData(10, double.NaN, "--lr-decay-rate must be a number between 0 and 1")]
    public void BadDecay_IsRejected_NamingTheOption(long steps, double rate, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new LongLagOptions { LearningRateDecay = new LearningRateDecay(steps, rate) }.Validate());
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
