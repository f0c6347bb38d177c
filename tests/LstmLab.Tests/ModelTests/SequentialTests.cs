using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

// Provenance (whole file) (hand): epochs and names restate the fit/layers; parameter counts are 4u(in + u + 1) per
// LSTM plus Dense; loss expectations are the test's own sums divided by the batch; accuracy bounds are outcome
// thresholds.

/// <summary>
/// The Keras-shaped model API: Fit's history, learning on a tiny problem, shape errors that name
/// expected and actual shapes, PredictClasses, Evaluate, WithBatchSize, accuracy resolution, layer naming.
/// </summary>
public sealed class SequentialTests
{
    [Fact]
    public void Fit_ReturnsOneLossPerEpoch_AndAccuracyWhenCompiledWithIt()
    {
        (Tensor x, Tensor y) = Parity(samples: 16, random: new RandomGenerator(501));
        Sequential model = Classifier(seed: 502, metrics: ["accuracy"]);
        var epochs = new List<EpochResult>();
        var log = new StringWriter();
        model.Log = log;
        History history = model.Fit(x, y, epochs: 4, batchSize: 5, verbose: 1, onEpochEnd: epochs.Add);
        Assert.Equal(4, history.Loss.Count);
        Assert.Equal(4, history.Metrics["accuracy"].Count);
        // 16 samples: each epoch's accuracy is a count of correct samples over 16 (Keras averages over every sample).
        Assert.All(history.Metrics["accuracy"], a => Assert.Equal(Math.Round(a * 16), a * 16, 9));
        Assert.Equal(EvaluatedAccuracy(model, x, y), model.Evaluate(x, y).Accuracy!.Value, 12);
        Assert.Equal(history.Loss, epochs.Select(e => e.Loss));
        Assert.Equal([1, 2, 3, 4], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.Equal(4, e.Epochs));
        Assert.Contains("Epoch 4/4 - loss: ", log.ToString(), StringComparison.Ordinal);
        Assert.Contains(" - accuracy: ", log.ToString(), StringComparison.Ordinal);

        Sequential plain = Classifier(seed: 502, metrics: []);
        History noMetrics = plain.Fit(x, y, epochs: 2, verbose: 0);
        Assert.Equal(2, noMetrics.Loss.Count);
        Assert.Empty(noMetrics.Metrics);
    }

    [Fact]
    public void Fit_EpochLoss_IsTheSampleWeightedMeanOfBatchLosses()
    {
        // 5 samples in batches of 2, 2, 1: the epoch loss weights each batch by its size, as Keras does.
        var random = new RandomGenerator(503);
        Tensor x = TestData.Tensor(random, -1, 1, 5, 2, 1);
        Tensor y = TestData.Tensor(random, -1, 1, 5, 1);
        var model = new Sequential(SampleShape.Sequence(2, 1), seed: 504);
        model.Add(new Lstm(3)).Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Sgd(0.1));
        var copy = new Sequential(SampleShape.Sequence(2, 1), seed: 504);
        copy.Add(new Lstm(3)).Add(new Dense(1));
        copy.Compile(Loss.MeanSquaredError, new Sgd(0.1));
        double expected = 0;
        foreach ((int start, int count) in new[] { (0, 2), (2, 2), (4, 1) })
        {
            var xb = new Tensor(x.Span.Slice(start * 2, count * 2).ToArray(), count, 2, 1);
            var yb = new Tensor(y.Span.Slice(start, count).ToArray(), count, 1);
            expected += copy.TrainOnBatch(xb, yb) * count;
        }
        History history = model.Fit(x, y, epochs: 1, batchSize: 2, shuffle: false, verbose: 0);
        Assert.Equal(expected / 5, history.Loss[0], 12);
    }

    [Fact]
    public void Fit_LearnsATinyProblem()
    {
        // Is the sum of a 4-step ±1 sequence positive? Learnable by a small LSTM in a few dozen epochs.
        (Tensor x, Tensor y) = Parity(samples: 32, random: new RandomGenerator(505));
        Sequential model = Classifier(seed: 506, metrics: ["accuracy"]);
        double before = model.Evaluate(x, y).Loss;
        History history = model.Fit(x, y, epochs: 40, batchSize: 8, verbose: 0);
        Evaluation after = model.Evaluate(x, y);
        Assert.True(after.Loss < 0.5 * before, $"loss went from {before} to {after.Loss}");
        Assert.True(history.Loss[^1] < history.Loss[0]);
        Assert.True(after.Accuracy > 0.85, $"accuracy {after.Accuracy}");
    }

    [Fact]
    public void ShapeErrors_NameExpectedAndActualShapes()
    {
        Sequential model = Classifier(seed: 507, metrics: []);
        var random = new RandomGenerator(508);
        var wrongFeatures = Assert.Throws<ArgumentException>(() => model.Predict(TestData.Tensor(random, -1, 1, 3, 4, 2)));
        Assert.Contains("(3, 4, 2)", wrongFeatures.Message, StringComparison.Ordinal);
        Assert.Contains("(samples, 4, 1)", wrongFeatures.Message, StringComparison.Ordinal);

        Tensor x = TestData.Tensor(random, -1, 1, 3, 4, 1);
        var wrongY = Assert.Throws<ArgumentException>(() => model.Fit(x, new Tensor(3, 3), verbose: 0));
        Assert.Contains("(3, 3)", wrongY.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 2)", wrongY.Message, StringComparison.Ordinal);
        var fewerTargets = Assert.Throws<ArgumentException>(() => model.TrainOnBatch(x, new Tensor(2, 2)));
        Assert.Contains("(2, 2)", fewerTargets.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 2)", fewerTargets.Message, StringComparison.Ordinal);
        var vector = Assert.Throws<ArgumentException>(() => model.Evaluate(new Tensor(3, 4), new Tensor(3, 2)));
        Assert.Contains("(3, 4)", vector.Message, StringComparison.Ordinal);

        var stateful = new Sequential(SampleShape.Sequence(4, 1), batchSize: 4, seed: 509);
        stateful.Add(new Lstm(2, stateful: true)).Add(new Dense(2, Activation.Softmax));
        stateful.Compile(Loss.CategoricalCrossentropy, new Adam());
        var indivisible = Assert.Throws<ArgumentException>(() => stateful.Fit(TestData.Tensor(random, -1, 1, 6, 4, 1), new Tensor(6, 2), verbose: 0));
        Assert.Contains("batch size of 4", indivisible.Message, StringComparison.Ordinal);
        Assert.Contains("6 samples", indivisible.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_IsRequired_AndMetricsAreChecked()
    {
        var model = new Sequential(SampleShape.Vector(2));
        Assert.Throws<InvalidOperationException>(() => model.Compile(Loss.MeanSquaredError, new Adam()));
        model.Add(new Dense(1));
        Assert.Throws<InvalidOperationException>(() => model.Fit(new Tensor(2, 2), new Tensor(2, 1), verbose: 0));
        Assert.Throws<InvalidOperationException>(() => model.Evaluate(new Tensor(2, 2), new Tensor(2, 1)));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(Loss.MeanSquaredError, new Adam(), "precision"));
        Assert.Contains("precision", e.Message, StringComparison.Ordinal);
        // Prediction needs no compile.
        Assert.Equal(new Shape(2, 1), model.Predict(new Tensor(2, 2)).Shape);
    }

    [Fact]
    public void PredictClasses_UsesArgmaxForSeveralUnits_AndThresholdForOne()
    {
        var random = new RandomGenerator(510);
        Tensor x = TestData.Tensor(random, -3, 3, 20, 3);

        var softmax = new Sequential(SampleShape.Vector(3), seed: 511);
        softmax.Add(new Dense(4, Activation.Softmax));
        float[] p = softmax.Predict(x).ToArray();
        int[] classes = softmax.PredictClasses(x);
        Assert.Equal(20, classes.Length);
        for (int i = 0; i < 20; i++)
            Assert.Equal(Metrics.ArgMax(p.AsSpan(i * 4, 4)), classes[i]);
        Assert.True(classes.Distinct().Count() > 1);

        var sigmoid = new Sequential(SampleShape.Vector(3), seed: 512);
        sigmoid.Add(new Dense(1, Activation.Sigmoid));
        float[] q = sigmoid.Predict(x).ToArray();
        int[] binary = sigmoid.PredictClasses(x);
        for (int i = 0; i < 20; i++)
            Assert.Equal(q[i] > 0.5f ? 1 : 0, binary[i]);
        Assert.Contains(0, binary);
        Assert.Contains(1, binary);

        // One class per sample and time step for sequence outputs.
        var perStep = new Sequential(SampleShape.Sequence(5, 3), seed: 513);
        perStep.Add(new Lstm(4, returnSequences: true)).Add(new Dense(3, Activation.Softmax));
        Assert.Equal(2 * 5, perStep.PredictClasses(TestData.Tensor(random, -1, 1, 2, 5, 3)).Length);
    }

    [Fact]
    public void Evaluate_GivesTheMeanLossAndAccuracy_WithoutChangingWeights()
    {
        var model = new Sequential(SampleShape.Vector(2), seed: 514);
        model.Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), "accuracy");
        var random = new RandomGenerator(515);
        Tensor x = TestData.Tensor(random, -1, 1, 7, 2);
        Tensor y = TestData.OneHot(random, 7, 2);
        float[] weights = model.Parameters[0].Value.ToArray();

        Evaluation evaluation = model.Evaluate(x, y, batchSize: 3);
        float[] p = model.Predict(x).ToArray();
        double loss = Loss.CategoricalCrossentropy.Compute(p, y.Span, [], 7, 2);
        (long correct, long total) = Metrics.CountCorrect(AccuracyKind.Categorical, p, y.Span, 7, 2);
        Assert.Equal(loss, evaluation.Loss, 6);
        Assert.Equal((double)correct / total, evaluation.Accuracy);
        TestData.AssertBitEqual(weights, model.Parameters[0].Value.Span, "weights after evaluate");
        Assert.Equal(0, model.Optimizer!.Iterations);
        Assert.Null(Classifier(seed: 516, metrics: []).Evaluate(TestData.Tensor(random, -1, 1, 2, 4, 1), new Tensor(2, 2)).Accuracy);
    }

    [Fact]
    public void WithBatchSize_SharesWeights_ButHasItsOwnState()
    {
        var trained = new Sequential(SampleShape.Sequence(1, 1), batchSize: 2, seed: 517);
        trained.Add(new Lstm(3, stateful: true)).Add(new Dense(1));
        trained.Compile(Loss.MeanSquaredError, new Adam(0.05));
        Sequential single = trained.WithBatchSize(1);
        Assert.Equal(1, single.BatchSize);
        Assert.Same(trained.Loss, single.Loss);
        Assert.Equal(trained.Layers.Select(l => l.Name), single.Layers.Select(l => l.Name));

        var random = new RandomGenerator(518);
        Tensor one = TestData.Tensor(random, -1, 1, 1, 1, 1);
        float[] before = single.Predict(one).ToArray();
        single.ResetStates();
        float[] kernel = single.Parameters[0].Value.ToArray();
        trained.TrainOnBatch(TestData.Tensor(random, -1, 1, 2, 1, 1), TestData.Tensor(random, -1, 1, 2, 1));
        TestData.AssertDiffer(kernel, single.Parameters[0].Value.Span, 1e-4, "copy's kernel after training the original");
        TestData.AssertDiffer(before, single.Predict(one).Span, 1e-6, "copy's prediction after training the original");

        // Own state: the original's carried state is not the copy's, and resetting one leaves the other.
        var trainedLstm = (Lstm)trained.Layers[0];
        var singleLstm = (Lstm)single.Layers[0];
        Assert.Equal(2 * 3, trainedLstm.StateH.Length);
        Assert.Equal(3, singleLstm.StateH.Length);
        Assert.Contains(trainedLstm.StateH.ToArray(), v => v != 0);
        float[] singleState = singleLstm.StateH.ToArray();
        trained.ResetStates();
        TestData.AssertBitEqual(singleState, singleLstm.StateH, "copy's state after resetting the original");

        // Training the copy changes the original too.
        float[] bias = trained.Parameters[^1].Value.ToArray();
        single.TrainOnBatch(one, new Tensor([5f], 1, 1));
        TestData.AssertDiffer(bias, trained.Parameters[^1].Value.Span, 1e-4, "original's bias after training the copy");
    }

    [Fact]
    public void Compile_ResolvesAccuracyLikeKeras()
    {
        var random = new RandomGenerator(519);
        // Binary cross-entropy over 3 independent outputs: binary accuracy counts every value.
        var binary = new Sequential(SampleShape.Vector(2), seed: 520);
        binary.Add(new Dense(3, Activation.Sigmoid));
        binary.Compile(Loss.BinaryCrossentropy, new Adam(), "acc");
        Tensor x = TestData.Tensor(random, -1, 1, 6, 2);
        var y = new Tensor(6, 3);
        for (int i = 0; i < y.Size; i++)
            y.Span[i] = random.NextInt(2);
        float[] p = binary.Predict(x).ToArray();
        double binaryAccuracy = Fraction(Metrics.CountCorrect(AccuracyKind.Binary, p, y.Span, 6, 3));
        Assert.NotEqual(Fraction(Metrics.CountCorrect(AccuracyKind.Categorical, p, y.Span, 6, 3)), binaryAccuracy); // the data tell the kinds apart
        Assert.Equal(binaryAccuracy, binary.Evaluate(x, y).Accuracy);
        Assert.Equal(["accuracy"], binary.MetricNames);

        // Categorical cross-entropy: argmax per sample.
        var categorical = new Sequential(SampleShape.Vector(2), seed: 521);
        categorical.Add(new Dense(3, Activation.Softmax));
        categorical.Compile(Loss.CategoricalCrossentropy, new Adam(), "accuracy");
        Tensor oneHot = TestData.OneHot(random, 6, 3);
        float[] q = categorical.Predict(x).ToArray();
        double categoricalAccuracy = Fraction(Metrics.CountCorrect(AccuracyKind.Categorical, q, oneHot.Span, 6, 3));
        Assert.NotEqual(Fraction(Metrics.CountCorrect(AccuracyKind.Binary, q, oneHot.Span, 6, 3)), categoricalAccuracy);
        Assert.Equal(categoricalAccuracy, categorical.Evaluate(x, oneHot).Accuracy);
    }

    [Fact]
    public void Add_NamesLayersLikeKeras_AndSummaryCountsParameters()
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), seed: 522);
        model.Add(new Lstm(4, returnSequences: true)).Add(new Lstm(5)).Add(new Dense(1));
        Assert.Equal(["lstm", "lstm_1", "dense"], model.Layers.Select(l => l.Name));
        Assert.Equal(4 * (4 * (2 + 4 + 1)) + 4 * (5 * (4 + 5 + 1)) + (5 + 1), model.Parameters.Sum(p => p.Value.Size));
        string summary = model.Summary();
        Assert.Contains("lstm_1 (LSTM)", summary, StringComparison.Ordinal);
        Assert.Contains("(None, 3, 4)", summary, StringComparison.Ordinal);
        Assert.Contains("Total params: 318", summary, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Sequential(SampleShape.Vector(4)).Add(model.Layers[2]));
    }

    private static double Fraction((long Correct, long Total) count) => (double)count.Correct / count.Total;

    /// <summary>A small LSTM classifier over 4 steps of 1 feature with two softmax classes.</summary>
    private static Sequential Classifier(long seed, string[] metrics)
    {
        var model = new Sequential(SampleShape.Sequence(4, 1), seed: seed);
        model.Add(new Lstm(8)).Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.05), metrics);
        return model;
    }

    /// <summary>Categorical accuracy counted here: the share of samples whose predicted class (argmax) is the one-hot label's.</summary>
    private static double EvaluatedAccuracy(Sequential model, Tensor x, Tensor y)
    {
        int[] classes = model.PredictClasses(x);
        int correct = 0;
        for (int i = 0; i < classes.Length; i++)
            correct += y[i, classes[i]] == 1f ? 1 : 0;
        return (double)correct / classes.Length;
    }

    /// <summary>Random ±1 sequences of 4 steps labelled by whether their sum is positive (ties broken by the last step).</summary>
    private static (Tensor X, Tensor Y) Parity(int samples, RandomGenerator random)
    {
        var x = new Tensor(samples, 4, 1);
        var y = new Tensor(samples, 2);
        for (int i = 0; i < samples; i++)
        {
            float sum = 0;
            for (int t = 0; t < 4; t++)
            {
                x[i, t, 0] = random.NextInt(2) == 0 ? -1f : 1f;
                sum += x[i, t, 0];
            }
            bool positive = sum > 0 || (sum == 0 && x[i, 3, 0] > 0);
            y[i, positive ? 1 : 0] = 1;
        }
        return (x, y);
    }
}
