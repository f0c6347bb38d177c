using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

/// <summary>
/// The same seed gives bit-identical training (initial weights and every epoch's shuffle), and another
/// seed gives other weights.
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public void SameSeed_TrainsToBitIdenticalWeights()
    {
        (Tensor x, Tensor y) = Data();
        Sequential a = Train(seed: 301, x, y, out History ha);
        Sequential b = Train(seed: 301, x, y, out History hb);
        for (int p = 0; p < a.Parameters.Count; p++)
            TestData.AssertBitEqual(a.Parameters[p].Value.Span, b.Parameters[p].Value.Span, $"weight {p}");
        Assert.Equal(ha.Loss, hb.Loss);
        Assert.Equal(ha.Metrics["accuracy"], hb.Metrics["accuracy"]);
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentWeights_AndDifferentShuffles()
    {
        (Tensor x, Tensor y) = Data();
        Sequential a = Train(seed: 301, x, y, out _);
        Sequential b = Train(seed: 302, x, y, out _);
        for (int p = 0; p < a.Parameters.Count; p++)
            TestData.AssertDiffer(a.Parameters[p].Value.Span, b.Parameters[p].Value.Span, 1e-4, $"weight {p}");

        // Same initial weights, different shuffle order: training still diverges.
        Sequential c = Build(seed: 303);
        Sequential d = Build(seed: 304);
        TestData.CopyWeights(c, d);
        c.Fit(x, y, epochs: 2, batchSize: 4, shuffle: true, verbose: 0);
        d.Fit(x, y, epochs: 2, batchSize: 4, shuffle: true, verbose: 0);
        TestData.AssertDiffer(c.Parameters[0].Value.Span, d.Parameters[0].Value.Span, 1e-6, "kernel after differently shuffled epochs");
    }

    private static Sequential Train(long seed, Tensor x, Tensor y, out History history)
    {
        Sequential model = Build(seed);
        history = model.Fit(x, y, epochs: 3, batchSize: 4, shuffle: true, verbose: 0);
        return model;
    }

    private static Sequential Build(long seed)
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: seed);
        model.Add(new Lstm(5)).Add(new Dense(3, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01), "accuracy");
        return model;
    }

    private static (Tensor X, Tensor Y) Data()
    {
        var random = new RandomGenerator(305);
        return (TestData.Tensor(random, -1, 1, 18, 4, 2), TestData.OneHot(random, 18, 3));
    }
}
