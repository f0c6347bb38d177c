using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

/// <summary>
/// The engine paths the benchmarks time (moved here from the benchmark tests): training steps that
/// allocate nothing on the small one-hot stateful shape (sparse, dot-product and in-place products) and
/// the large batched one (packed products, prepared kernels, inputs projected step by step), Fit calls that
/// allocate only their history, and batched predictions equal to one sample at a time, on every path this
/// machine can run.
/// </summary>
public sealed class BatchedTrainingTests
{
    public static TheoryData<string> Paths => IsaPaths.Runnable();

    [Fact]
    public void A_training_step_allocates_nothing_small_stateful_or_large_batched()
    {
        // Small: the echo model (sparse one-hot inputs, dot-product and in-place paths).
        (Sequential echo, Tensor ex, Tensor ey) = Model(batch: 5, steps: 5, features: 100, units: 50, classes: 100, stateful: true, oneHot: true);
        // Large: packed products, prepared kernels, inputs projected step by step.
        (Sequential big, Tensor bx, Tensor by) = Model(batch: 32, steps: 40, features: 24, units: 64, classes: 10, stateful: false, oneHot: false);
        foreach ((Sequential model, Tensor x, Tensor y) in new[] { (echo, ex, ey), (big, bx, by) })
        {
            Assert.Equal(0, TestData.SteadyAllocation(() => model.TrainOnBatch(x, y), 5));
        }
    }

    // Provenance (hand): a bound: the training step allocates nothing per update (1 KB slack for the call).
    [Fact]
    public void A_fit_call_allocates_only_its_history()
    {
        (Sequential model, Tensor x, Tensor y) = Model(batch: 1, steps: 1, features: 5, units: 20, classes: 5, stateful: true, oneHot: true, samples: 4);
        model.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
        model.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes < 1024, $"one Fit call of 4 updates allocated {bytes} bytes");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Batched_forward_gives_the_bits_of_one_sample_at_a_time(string isa) => IsaPaths.On(isa, () =>
    {
        // At batch 32 the inputs are projected step by step with packed kernels; at batch 1 all at once
        // and in place. Each output element is the same chain of fused multiply-adds either way.
        (Sequential model, Tensor x, _) = Model(batch: 32, steps: 40, features: 24, units: 64, classes: 10, stateful: false, oneHot: false);
        Tensor together = model.Predict(x, batchSize: 32);
        Tensor alone = model.Predict(x, batchSize: 1);
        Assert.Equal(alone.ToArray(), together.ToArray());
    });

    private static (Sequential Model, Tensor X, Tensor Y) Model(int batch, int steps, int features, int units, int classes, bool stateful, bool oneHot, int? samples = null)
    {
        int n = samples ?? batch;
        var random = new RandomGenerator(99);
        var x = new Tensor(n, steps, features);
        var y = new Tensor(n, classes);
        for (int s = 0; s < n; s++)
        {
            for (int t = 0; t < steps; t++)
            {
                if (oneHot)
                    x[s, t, random.NextInt(features)] = 1f;
                else
                {
                    for (int f = 0; f < features; f++)
                        x[s, t, f] = (float)random.NextNormal();
                }
            }
            y[s, random.NextInt(classes)] = 1f;
        }
        var model = new Sequential(SampleShape.Sequence(steps, features), stateful ? batch : null, seed: 5);
        model.Add(new Lstm(units, stateful: stateful));
        model.Add(new Dense(classes, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), "accuracy");
        return (model, x, y);
    }
}
