using LstmLab.Experiments.Benchmarks;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Experiments.Tests.Benchmarks;

/// <summary>
/// The benchmark workloads do the work the anchor script does (update counts, names, skill), and the
/// engine paths they time are the ones the rest of the project relies on: training steps that allocate
/// nothing, cheap Fit calls, and batched results equal to one-sample-at-a-time results. No timings are asserted.
/// </summary>
public sealed class SeedWorkloadsTests
{
    [Fact]
    public void Workload_names_are_the_anchor_scripts()
    {
        Assert.Equal(["memory-demo", "shampoo-stateful", "echo-lag-context", "batched-b64-t100-in64-h256"], SeedWorkloads.Names);
        Assert.Throws<ArgumentException>(() => SeedWorkloads.Run("no-such-workload"));
        Assert.Throws<ArgumentException>(() => SeedWorkloads.Measure("memory-demo", new BenchSettings(Runs: 0)));
    }

    [Fact]
    public void Memory_demo_counts_four_updates_per_sequence_per_epoch()
    {
        WorkloadResult r = SeedWorkloads.RunMemoryDemo(epochs: 3);
        Assert.Equal(3 * 2 * 4, r.Updates);
        Assert.Equal("memory-demo", r.Workload);
        Assert.InRange(r.Accuracy!.Value, 0, 1);
        Assert.True(r.Seconds > 0 && r.UsPerUpdate > 0);
    }

    [Fact]
    public void Full_memory_demo_learns_most_of_the_two_sequences()
    {
        // 250 epochs as the anchor: PyTorch reaches 7/8 too (the first step of each sequence is a guess).
        WorkloadResult r = SeedWorkloads.RunMemoryDemo();
        Assert.Equal(2000, r.Updates);
        Assert.True(r.Accuracy >= 0.75, $"accuracy {r.Accuracy}");
    }

    [Fact]
    public void Echo_counts_four_batches_of_five_windows_per_epoch()
    {
        WorkloadResult r = SeedWorkloads.RunEchoLagContext(epochs: 3);
        Assert.Equal(12, r.Updates);
        Assert.InRange(r.Accuracy!.Value, 0, 1);
    }

    [Fact]
    public void Shampoo_trains_22_rows_for_1000_epochs_and_forecasts()
    {
        WorkloadResult r = SeedWorkloads.RunShampooStateful();
        Assert.Equal(22_000, r.Updates);
        Assert.InRange(r.Rmse!.Value, 50, 200);
    }

    [Fact]
    public void Batched_workload_names_its_shape_and_counts_gflops()
    {
        WorkloadResult r = SeedWorkloads.RunBatched(steps: 2, batch: 4, timesteps: 3, inputs: 5, units: 8);
        Assert.Equal("batched-b4-t3-in5-h8", r.Workload);
        Assert.Equal(2, r.Updates);
        Assert.True(r.Gflops > 0);
        Assert.Null(r.Accuracy);
    }

    [Fact]
    public void Copies_add_their_updates()
    {
        WorkloadResult r = SeedWorkloads.Run("memory-demo", copies: 2);
        Assert.Equal(4000, r.Updates);
        Assert.Equal(2, r.Copies);
        BenchResult b = SeedWorkloads.Measure("memory-demo", new BenchSettings(Runs: 1, WarmUpSeconds: 0));
        Assert.Equal(1, b.Runs);
        Assert.Equal(b.FirstRunSeconds, b.Median.Seconds);
    }

    [Fact]
    public void A_training_step_allocates_nothing_small_stateful_or_large_batched()
    {
        // Small: the echo model (sparse one-hot inputs, dot-product and in-place paths).
        (Sequential echo, Tensor ex, Tensor ey) = Model(batch: 5, steps: 5, features: 100, units: 50, classes: 100, stateful: true, oneHot: true);
        // Large: packed products, prepared kernels, inputs projected step by step.
        (Sequential big, Tensor bx, Tensor by) = Model(batch: 32, steps: 40, features: 24, units: 64, classes: 10, stateful: false, oneHot: false);
        foreach ((Sequential model, Tensor x, Tensor y) in new[] { (echo, ex, ey), (big, bx, by) })
        {
            model.TrainOnBatch(x, y);
            model.TrainOnBatch(x, y);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
                model.TrainOnBatch(x, y);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

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

    [Fact]
    public void Batched_forward_gives_the_bits_of_one_sample_at_a_time()
    {
        // At batch 32 the inputs are projected step by step with packed kernels; at batch 1 all at once
        // and in place. Each output element is the same chain of fused multiply-adds either way.
        (Sequential model, Tensor x, _) = Model(batch: 32, steps: 40, features: 24, units: 64, classes: 10, stateful: false, oneHot: false);
        Tensor together = model.Predict(x, batchSize: 32);
        Tensor alone = model.Predict(x, batchSize: 1);
        Assert.Equal(alone.ToArray(), together.ToArray());
    }

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
