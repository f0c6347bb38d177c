using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// Fit's new options keep the training step allocation-free: one epoch of 50 batches allocates exactly as
/// much as one epoch of 10 (what an epoch allocates — logs, History — does not grow with its batches), with
/// sample weights, a masked GRU with dropout, a Bidirectional layer, Dropout and a per-batch schedule.
/// </summary>
public sealed class FitAllocationTests
{
    [Fact]
    public void AnEpochsAllocationsDoNotGrowWithItsBatches()
    {
        var model = new Sequential(SampleShape.Sequence(4, 3), seed: 2);
        model.Add(new Masking(-1)).Add(new Bidirectional(new Gru(5, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2))).Add(new Dropout(0.3)).Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), "accuracy", "mae");
        var random = new RandomGenerator(3);
        (Tensor X, Tensor Y, float[] W) Data(int samples)
        {
            Tensor x = TestData.Tensor(random, -1, 1, samples, 4, 3);
            for (int s = 0; s < samples; s += 3)
                x.Span.Slice(s * 12 + 3, 3).Fill(-1f);
            var y = new Tensor(samples, 4, 2);
            for (int r = 0; r < samples * 4; r++)
                y.Span[r * 2 + random.NextInt(2)] = 1f;
            return (x, y, TestData.Uniform(random, samples, 0.5, 2));
        }
        var small = Data(40);
        var large = Data(200);
        Callback[] callbacks = [new ExponentialDecay(0.01, 10, 0.9)];
        long Allocated((Tensor X, Tensor Y, float[] W) d)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(d.X, d.Y, epochs: 1, batchSize: 4, verbose: 0, sampleWeight: d.W, callbacks: callbacks);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Warm up both sizes (buffers, optimizer slots, JIT), then measure.
        Allocated(small);
        Allocated(large);
        long ten = Allocated(small), fifty = Allocated(large);
        // Fit reads the sample weights in place (it copies them only to multiply class weights in); everything per epoch is fixed.
        Assert.True(fifty <= ten, $"50 batches allocated {fifty} bytes, 10 batches {ten}: {fifty - ten} bytes more for 40 more steps.");
    }
}
