using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

/// <summary>
/// A training step allocates nothing once its buffers exist: after a warm-up call, 50 calls of
/// <see cref="Sequential.TrainOnBatch"/> on a compiled LSTM + Dense model add 0 bytes to the
/// current thread's allocation count — for the Keras stateful tutorial shape (batch 1, one time step)
/// and for a stateless sequence-to-sequence model (batch 8, five steps, a Dense on every step).
/// </summary>
public sealed class AllocationTests
{
    [Fact]
    public void TrainOnBatch_StatefulBatchOneTimestepOne_AllocatesNothing()
    {
        var model = new Sequential(SampleShape.Sequence(1, 1), batchSize: 1, seed: 201);
        model.Add(new Lstm(4, stateful: true)).Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Adam());
        var random = new RandomGenerator(202);
        AssertNoAllocation(model, TestData.Tensor(random, -1, 1, 1, 1, 1), TestData.Tensor(random, -1, 1, 1, 1));
    }

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid, "adam")]
    [InlineData(RecurrentActivation.HardSigmoidKeras2, "sgd")]
    public void TrainOnBatch_StatelessSequenceToSequence_AllocatesNothing(RecurrentActivation activation, string optimizer)
    {
        var model = new Sequential(SampleShape.Sequence(5, 3), seed: 203);
        model.Add(new Lstm(6, returnSequences: true, recurrentActivation: activation)).Add(new Dense(4, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, optimizer == "adam" ? new Adam() : new Sgd(0.1, momentum: 0.9), "accuracy");
        var random = new RandomGenerator(204);
        Tensor x = TestData.Tensor(random, -1, 1, 8, 5, 3);
        var y = new Tensor(8, 5, 4);
        for (int r = 0; r < 40; r++)
            y.Span[r * 4 + random.NextInt(4)] = 1;
        AssertNoAllocation(model, x, y);
    }

    private static void AssertNoAllocation(Sequential model, Tensor x, Tensor y)
    {
        long allocated = TestData.SteadyAllocation(() => model.TrainOnBatch(x, y), 50);
        Assert.True(allocated == 0, $"50 training steps allocated {allocated} bytes (the fewest of three windows).");
    }
}
