using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): the expected losses are the test's own per-sample losses summed and divided by the
// batch.

/// <summary>
/// Fit's validation split and data, sample and class weights: which samples are trained on and validated,
/// the weighted loss, and what History records.
/// </summary>
public sealed class FitOptionsTests
{
    private static Sequential Model(Optimizer optimizer, Loss? loss = null, params string[] metrics)
    {
        var model = new Sequential(SampleShape.Vector(3), seed: 4);
        model.Add(new Dense(2, Activation.Softmax));
        model.Compile(loss ?? Loss.CategoricalCrossentropy, optimizer, metrics);
        return model;
    }

    private static (Tensor X, Tensor Y) Data(int samples, long seed)
    {
        var random = new RandomGenerator(seed);
        return (TestData.Tensor(random, -1, 1, samples, 3), TestData.OneHot(random, samples, 2));
    }

    private static Tensor Rows(Tensor t, int start, int count)
    {
        int width = t.Shape[1];
        return new Tensor(t.Span.Slice(start * width, count * width).ToArray(), count, width);
    }

    [Fact]
    public void ValidationSplit_HoldsOutTheLastFraction_BeforeShuffling()
    {
        (Tensor x, Tensor y) = Data(10, 1);
        // Frozen weights: the epoch's training loss is the loss of the first 7 samples (floor(10·0.7)), the
        // validation loss that of the last 3.
        Sequential model = Model(new FrozenOptimizer(), metrics: "accuracy");
        History history = model.Fit(x, y, epochs: 2, batchSize: 7, verbose: 0, validationSplit: 0.3);
        Assert.Equal(model.Evaluate(Rows(x, 0, 7), Rows(y, 0, 7)).Loss, history.Loss[0], 12);
        Evaluation held = model.Evaluate(Rows(x, 7, 3), Rows(y, 7, 3));
        Assert.Equal(held.Loss, history["val_loss"][1], 12);
        Assert.Equal(held.Accuracy!.Value, history["val_accuracy"][1], 12);
        Assert.Equal(["accuracy", "val_loss", "val_accuracy"], history.Metrics.Keys);
        Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, validationSplit: 0.95));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, verbose: 0, validationSplit: 1));
    }

    [Fact]
    public void ValidationData_IsEvaluatedAfterEveryEpoch_AndLogged()
    {
        (Tensor x, Tensor y) = Data(12, 2);
        (Tensor xv, Tensor yv) = Data(5, 3);
        Sequential model = Model(new Adam(0.05), metrics: "accuracy");
        var lines = new StringWriter();
        model.Log = lines;
        History history = model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 1, validationData: (xv, yv));
        Assert.Equal(3, history.ValidationLoss.Count);
        Assert.Equal(model.Evaluate(xv, yv).Loss, history.ValidationLoss[2], 12);
        Assert.Contains(" - val_loss: ", lines.ToString(), StringComparison.Ordinal);
        Assert.Contains(" - val_accuracy: ", lines.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SampleWeights_WeighEachSamplesLoss_AndAZeroWeightSampleTeachesNothing()
    {
        (Tensor x, Tensor y) = Data(6, 4);
        float[] weights = [1f, 2f, 0f, 0.5f, 1f, 0f];
        Sequential frozen = Model(new FrozenOptimizer());
        History history = frozen.Fit(x, y, epochs: 1, batchSize: 6, shuffle: false, verbose: 0, sampleWeight: weights);
        double expected = 0;
        Tensor p = frozen.Predict(x);
        for (int s = 0; s < 6; s++)
            expected += weights[s] * Loss.CategoricalCrossentropy.Compute(p.Span.Slice(s * 2, 2), y.Span.Slice(s * 2, 2), [], 1, 2);
        Assert.Equal(expected / 6, history.Loss[0], 6);

        // Changing the targets of the zero-weight samples changes nothing.
        Tensor other = y.Clone();
        for (int s = 2; s < 6; s += 3)
            (other[s, 0], other[s, 1]) = (other[s, 1], other[s, 0]);
        Sequential a = Model(new Adam(0.05)), b = Model(new Adam(0.05));
        a.Fit(x, y, epochs: 5, batchSize: 3, verbose: 0, sampleWeight: weights);
        b.Fit(x, other, epochs: 5, batchSize: 3, verbose: 0, sampleWeight: weights);
        TestData.AssertBitEqual(a.Parameters[0].Value.Span, b.Parameters[0].Value.Span, "kernel");
        Assert.Throws<ArgumentException>(() => a.Fit(x, y, verbose: 0, sampleWeight: [1f]));
    }

    [Fact]
    public void ClassWeights_AreTheSampleWeightsOfEachSamplesClass()
    {
        (Tensor x, Tensor y) = Data(8, 5);
        var classWeight = new Dictionary<int, double> { [0] = 0.25, [1] = 3 };
        float[] weights = new float[8];
        for (int s = 0; s < 8; s++)
            weights[s] = y[s, 1] == 1f ? 3f : 0.25f;
        Sequential a = Model(new Adam(0.05)), b = Model(new Adam(0.05));
        History ha = a.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, classWeight: classWeight);
        History hb = b.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, sampleWeight: weights);
        Assert.Equal(hb.Loss, ha.Loss);
        TestData.AssertBitEqual(b.Parameters[0].Value.Span, a.Parameters[0].Value.Span, "kernel");
    }

    [Fact]
    public void SparseTargets_TrainWithSparseLossAndAccuracy()
    {
        var random = new RandomGenerator(9);
        var x = new Tensor(60, 3);
        var y = new Tensor(60, 1);
        for (int s = 0; s < 60; s++)
        {
            int c = random.NextInt(3);
            x[s, c] = 1f;
            y[s, 0] = c;
        }
        var model = new Sequential(SampleShape.Vector(3), seed: 3);
        model.Add(new Dense(3, Activation.Softmax));
        model.Compile(Loss.SparseCategoricalCrossentropy, new Adam(0.1), "accuracy", "sparse_categorical_accuracy");
        History history = model.Fit(x, y, epochs: 30, batchSize: 10, verbose: 0);
        Assert.Equal(1.0, history["accuracy"][^1]);
        Assert.Equal(history["accuracy"], history["sparse_categorical_accuracy"]);
        var wrongShape = new Tensor(60, 3);
        Assert.Throws<ArgumentException>(() => model.Fit(x, wrongShape, verbose: 0));
    }
}
