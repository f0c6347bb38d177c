using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

// Provenance (whole file) (hand): masked steps give zeros or carry the previous output (Keras's masking rule),
// written out on the test's inputs.

/// <summary>
/// The <see cref="Masking"/> layer and masked time steps in <see cref="Lstm"/> (Keras semantics: a masked
/// step leaves h, c and the output as they were): the mask itself, gradient checks of the masked LSTM
/// against central finite differences, golden tests (masked steps give the same result as the sequence
/// with those steps removed), the masked loss of a sequence output, saving, and an allocation-free step.
/// </summary>
public sealed class MaskingTests
{
    private const int Batch = 3, Steps = 5, Features = 3, Units = 4;

    /// <summary>keep[b][t]: sample 0 skips its first two steps (pre-padding), sample 1 a middle and the last step, sample 2 nothing.</summary>
    private static readonly int[][] Keep = [[0, 0, 1, 1, 1], [1, 0, 1, 1, 0], [1, 1, 1, 1, 1]];

    [Fact]
    public void Masking_MasksStepsWhoseFeaturesAllEqualTheMaskValue_AndZeroesThem()
    {
        var model = new Sequential(SampleShape.Sequence(3, 2));
        var masking = new Masking(-1);
        model.Add(masking);
        var x = Tensor.From(new float[,,] { { { -1, -1 }, { -1, 0.5f }, { 2, 3 } } });

        Tensor y = model.Predict(x);

        Assert.Equal([0f, 1f, 1f], masking.Mask.ToArray());
        Assert.Equal([0f, 0f, -1f, 0.5f, 2f, 3f], y.ToArray());
        Tensor? dx = masking.Backward(new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 1, 3, 2), needInputGradient: true);
        Assert.Equal([0f, 0f, 3f, 4f, 5f, 6f], dx!.ToArray());
    }

    [Fact]
    public void Masking_RejectsVectorInput_AndNonFiniteMaskValues()
    {
        var model = new Sequential(SampleShape.Vector(3));
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.Add(new Masking()));
        Assert.Contains("timesteps", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Masking(double.NaN));
    }

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid, false)]
    [InlineData(RecurrentActivation.Sigmoid, true)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2, true)]
    public void MaskedLstm_WeightAndInputGradients_MatchFiniteDifferences(RecurrentActivation activation, bool returnSequences)
    {
        Lstm lstm = BuildLstm(activation, returnSequences, seed: 13);
        var random = new RandomGenerator(131);
        Tensor x = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        Tensor mask = MaskTensor();
        Tensor w = returnSequences
            ? TestData.Tensor(random, -1, 1, Batch, Steps, Units)
            : TestData.Tensor(random, -1, 1, Batch, Units);
        double Loss() => TestData.Dot(lstm.Forward(x, mask, training: true).Span, w.Span);

        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(x, mask, training: true);
        float[] dx = lstm.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(lstm.Parameters);

        bool hard = activation != RecurrentActivation.Sigmoid;
        for (int p = 0; p < lstm.Parameters.Count; p++)
            GradientChecker.Check("masked " + lstm.Parameters[p].Name, lstm.Parameters[p].Value, gradients[p], Loss, allowKinks: hard);
        GradientChecker.Check("masked x", x, dx, Loss, allowKinks: hard);

        // A skipped step reads nothing from its input: its input gradient is exactly zero.
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Steps; t++)
            {
                if (Keep[b][t] == 0)
                    Assert.All(dx.AsSpan((b * Steps + t) * Features, Features).ToArray(), v => Assert.Equal(0f, v));
            }
        }
    }

    [Fact]
    public void MaskedModel_GradientsOfTheMaskedLoss_MatchFiniteDifferences()
    {
        // Masking -> LSTM(return_sequences) -> Dense(softmax): the mask reaches the loss, which averages over kept steps.
        (Sequential model, Tensor x, Tensor y) = MaskedSequenceModel(new FrozenOptimizer());
        model.TrainOnBatch(x, y);
        float[][] gradients = TestData.Gradients(model.Parameters);
        double Loss() => model.Evaluate(x, y).Loss;
        for (int p = 0; p < model.Parameters.Count; p++)
            GradientChecker.Check($"masked model #{p} {model.Parameters[p].Name}", model.Parameters[p].Value, gradients[p], Loss, absoluteTolerance: 1e-4);
    }

    [Fact]
    public void MaskedLoss_IsTheMeanOverKeptSteps_AndAccuracyJudgesOnlyThem()
    {
        (Sequential model, Tensor x, Tensor y) = MaskedSequenceModel(new Adam());
        Tensor p = model.Predict(x);
        double sum = 0;
        int kept = 0;
        long correct = 0;
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Steps; t++)
            {
                if (Keep[b][t] == 0)
                    continue;
                int row = b * Steps + t;
                ReadOnlySpan<float> o = p.Span.Slice(row * 2, 2), target = y.Span.Slice(row * 2, 2);
                sum += Loss.CategoricalCrossentropy.Compute(o, target, [], 1, 2);
                correct += Metrics.ArgMax(o) == Metrics.ArgMax(target) ? 1 : 0;
                kept++;
            }
        }

        Evaluation e = model.Evaluate(x, y);

        Assert.Equal(sum / kept, e.Loss, 1e-6);
        Assert.Equal((double)correct / kept, e.Accuracy!.Value, 1e-12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MaskedSteps_GiveTheSameFinalOutputAsTheSequenceWithThoseStepsRemoved(bool stateful)
    {
        // Golden test: for each sample, the masked sequence (padding of -1 anywhere) and the same sequence with
        // the padded steps cut out end with the same LSTM output and the same carried state.
        var random = new RandomGenerator(77);
        Tensor full = TestData.Tensor(random, -1, 1, Batch, Steps, Features);
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Steps; t++)
            {
                if (Keep[b][t] == 0)
                    full.Span.Slice((b * Steps + t) * Features, Features).Fill(-1f);
            }
        }
        var masked = new Sequential(SampleShape.Sequence(0, Features), stateful ? 1 : null, seed: 21);
        masked.Add(new Masking(-1)).Add(new Lstm(Units, stateful: stateful)).Add(new Dense(2, Activation.Softmax));
        var cut = new Sequential(SampleShape.Sequence(0, Features), stateful ? 1 : null, seed: 21);
        cut.Add(new Lstm(Units, stateful: stateful)).Add(new Dense(2, Activation.Softmax));
        TestData.CopyWeights(masked, cut);

        for (int b = 0; b < Batch; b++)
        {
            int[] kept = Enumerable.Range(0, Steps).Where(t => Keep[b][t] == 1).ToArray();
            var one = new Tensor(1, Steps, Features);
            full.Span.Slice(b * Steps * Features, Steps * Features).CopyTo(one.Span);
            var shorter = new Tensor(1, kept.Length, Features);
            for (int i = 0; i < kept.Length; i++)
                full.Span.Slice((b * Steps + kept[i]) * Features, Features).CopyTo(shorter.Span.Slice(i * Features, Features));

            TestData.AssertClose(cut.Predict(shorter).Span, masked.Predict(one).Span, 1e-6, $"sample {b} output");
            if (stateful)
            {
                var a = (Lstm)masked.Layers[1];
                var c = (Lstm)cut.Layers[0];
                TestData.AssertClose(c.StateH, a.StateH, 1e-6, $"sample {b} carried h");
                TestData.AssertClose(c.StateC, a.StateC, 1e-6, $"sample {b} carried c");
            }
        }
    }

    [Fact]
    public void ReturnSequences_RepeatsThePreviousOutputAtAMaskedStep_AndZerosBeforeTheFirstKeptStep()
    {
        Lstm lstm = BuildLstm(RecurrentActivation.Sigmoid, returnSequences: true, seed: 5);
        Tensor x = TestData.Tensor(new RandomGenerator(8), -1, 1, Batch, Steps, Features);
        float[] y = lstm.Forward(x, MaskTensor(), training: false).ToArray();
        float[] Output(int b, int t) => y.AsSpan((b * Steps + t) * Units, Units).ToArray();

        Assert.All(Output(0, 0), v => Assert.Equal(0f, v));
        Assert.All(Output(0, 1), v => Assert.Equal(0f, v));
        Assert.Equal(Output(1, 0), Output(1, 1));
        Assert.Equal(Output(1, 3), Output(1, 4));
        Assert.NotEqual(Output(1, 2), Output(1, 3));
    }

    [Fact]
    public void SaveAndLoad_KeepTheMaskingLayer()
    {
        (Sequential model, Tensor x, _) = MaskedSequenceModel(new Adam());
        string path = Path.Combine(Path.GetTempPath(), $"lstmlab-masking-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            Assert.Contains("\"mask_value\": -1", File.ReadAllText(path), StringComparison.Ordinal);
            Sequential loaded = Sequential.Load(path);
            Assert.Equal(-1.0, Assert.IsType<Masking>(loaded.Layers[0]).MaskValue);
            TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "loaded model output");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainOnBatch_WithAMask_AllocatesNothingAfterWarmUp()
    {
        (Sequential model, Tensor x, Tensor y) = MaskedSequenceModel(new Adam());
        Assert.Equal(0, TestData.SteadyAllocation(() => model.TrainOnBatch(x, y), 5));
    }

    private static Tensor MaskTensor()
    {
        var mask = new Tensor(Batch, Steps);
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Steps; t++)
                mask[b, t] = Keep[b][t];
        }
        return mask;
    }

    private static Lstm BuildLstm(RecurrentActivation activation, bool returnSequences, long seed)
    {
        var model = new Sequential(SampleShape.Sequence(Steps, Features), seed: seed);
        var lstm = new Lstm(Units, returnSequences, recurrentActivation: activation);
        model.Add(lstm);
        TestData.SpreadLstmWeights(lstm, activation, new RandomGenerator(seed + 1000));
        return lstm;
    }

    /// <summary>Masking(-1) -> LSTM(return_sequences) -> Dense(2, softmax), categorical cross-entropy, on data padded where <see cref="Keep"/> is 0.</summary>
    private static (Sequential Model, Tensor X, Tensor Y) MaskedSequenceModel(Optimizer optimizer)
    {
        var random = new RandomGenerator(41);
        var model = new Sequential(SampleShape.Sequence(Steps, Features), seed: 42);
        model.Add(new Masking(-1)).Add(new Lstm(Units, returnSequences: true)).Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, optimizer, "accuracy");
        Tensor x = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        var y = new Tensor(Batch, Steps, 2);
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Steps; t++)
            {
                y[b, t, random.NextInt(2)] = 1f;
                if (Keep[b][t] == 0)
                    x.Span.Slice((b * Steps + t) * Features, Features).Fill(-1f);
            }
        }
        return (model, x, y);
    }
}
