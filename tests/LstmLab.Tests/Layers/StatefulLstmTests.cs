using System.Text.RegularExpressions;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// Golden tests of stateful and stateless LSTM semantics, as Keras defines them: a sequence fed whole
/// equals the same sequence fed one step per batch; reset and run again repeats; sample i of a batch
/// continues sample i of the previous batch; stateless batches start from zeros; prediction advances
/// the state; a stateful model refuses other batch sizes, naming both.
/// </summary>
public sealed class StatefulLstmTests
{
    private const int Features = 2, Units = 4;

    [Fact]
    public void WholeSequence_EqualsOneTimestepPerBatch()
    {
        const int steps = 6;
        var whole = new Sequential(SampleShape.Sequence(0, Features), batchSize: 1, seed: 111);
        whole.Add(new Lstm(Units, returnSequences: true, stateful: true));
        Sequential stepwise = whole.WithBatchSize(1);
        Tensor x = TestData.Tensor(new RandomGenerator(112), -2, 2, 1, steps, Features);

        Tensor allAtOnce = whole.Predict(x);
        // The same data as 6 samples of one time step: Predict feeds them one batch at a time.
        Tensor oneByOne = stepwise.Predict(new Tensor(x.ToArray(), steps, 1, Features));

        Assert.Equal(new Shape(1, steps, Units), allAtOnce.Shape);
        Assert.Equal(new Shape(steps, 1, Units), oneByOne.Shape);
        TestData.AssertClose(allAtOnce.Span, oneByOne.Span, 1e-6, "h_t whole vs step by step");
        TestData.AssertClose(((Lstm)whole.Layers[0]).StateC, ((Lstm)stepwise.Layers[0]).StateC, 1e-6, "final c");
        // Without the carry the step-by-step outputs would all be first-step outputs.
        TestData.AssertDiffer(oneByOne.Span.Slice(0, Units), oneByOne.Span.Slice((steps - 1) * Units, Units), 1e-3, "first vs last step");
    }

    [Fact]
    public void RunResetRunAgain_RepeatsBitForBit()
    {
        (Sequential model, _) = Stateful(batch: 2, steps: 3, seed: 121);
        var random = new RandomGenerator(122);
        Tensor[] batches = [.. Enumerable.Range(0, 3).Select(_ => TestData.Tensor(random, -2, 2, 2, 3, Features))];
        float[][] first = batches.Select(b => model.Predict(b).ToArray()).ToArray();
        model.ResetStates();
        float[][] second = batches.Select(b => model.Predict(b).ToArray()).ToArray();
        for (int i = 0; i < batches.Length; i++)
            TestData.AssertBitEqual(first[i], second[i], $"batch {i} after reset");
        // And the carry is real: the same input gives another output once state has built up.
        model.ResetStates();
        float[] fresh = model.Predict(batches[0]).ToArray();
        float[] carried = model.Predict(batches[0]).ToArray();
        TestData.AssertDiffer(fresh, carried, 1e-3, "same batch, fresh vs carried state");
    }

    [Fact]
    public void SampleI_OfTheNextBatch_ContinuesSampleI()
    {
        const int batch = 3, steps = 4;
        (Sequential model, _) = Stateful(batch, steps, seed: 131, returnSequences: true);
        var random = new RandomGenerator(132);
        Tensor first = TestData.Tensor(random, -2, 2, batch, steps, Features);
        Tensor second = TestData.Tensor(random, -2, 2, batch, steps, Features);
        float[] y1 = model.Predict(first).ToArray();
        float[] y2 = model.Predict(second).ToArray();

        // Reference: each sample's two halves joined into one sequence, run by a stateless copy.
        var reference = new Sequential(SampleShape.Sequence(2 * steps, Features), seed: 0);
        reference.Add(new Lstm(Units, returnSequences: true));
        TestData.CopyWeights(model, reference);
        float[] joined = Join(first, second, rotate: 0);
        float[] expected = reference.Predict(new Tensor(joined, batch, 2 * steps, Features)).ToArray();
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> e = expected.AsSpan(i * 2 * steps * Units, 2 * steps * Units);
            TestData.AssertClose(e[..(steps * Units)], y1.AsSpan(i * steps * Units, steps * Units), 1e-6, $"sample {i}, first batch");
            TestData.AssertClose(e[(steps * Units)..], y2.AsSpan(i * steps * Units, steps * Units), 1e-6, $"sample {i}, second batch");
        }
        // Pairing sample i with another sample's history gives other outputs: the test can tell.
        float[] wrongPairing = reference.Predict(new Tensor(Join(first, second, rotate: 1), batch, 2 * steps, Features)).ToArray();
        TestData.AssertDiffer(wrongPairing.AsSpan(steps * Units, steps * Units), y2.AsSpan(0, steps * Units), 1e-3, "rotated history");
    }

    [Fact]
    public void Stateless_StartsEveryBatchFromZeros()
    {
        var model = new Sequential(SampleShape.Sequence(3, Features), seed: 141);
        model.Add(new Lstm(Units));
        Tensor x = TestData.Tensor(new RandomGenerator(142), -2, 2, 4, 3, Features);
        float[] a = model.Predict(x, batchSize: 2).ToArray();
        float[] b = model.Predict(x, batchSize: 2).ToArray();
        TestData.AssertBitEqual(a, b, "two stateless predictions");
        // Each sample alone (its own zero state) gives its row of the batched prediction.
        for (int i = 0; i < 4; i++)
        {
            var one = new Tensor(x.Span.Slice(i * 3 * Features, 3 * Features).ToArray(), 1, 3, Features);
            TestData.AssertClose(model.Predict(one).Span, a.AsSpan(i * Units, Units), 1e-6, $"sample {i} alone");
        }
    }

    [Fact]
    public void Predict_AdvancesStatefulState_UntilReset()
    {
        (Sequential model, Lstm lstm) = Stateful(batch: 2, steps: 3, seed: 151);
        Tensor x = TestData.Tensor(new RandomGenerator(152), -2, 2, 2, 3, Features);
        float[] first = model.Predict(x).ToArray();
        float[] afterFirst = lstm.StateH.ToArray();
        float[] second = model.Predict(x).ToArray();
        TestData.AssertDiffer(first, second, 1e-3, "successive predictions");
        TestData.AssertDiffer(afterFirst, lstm.StateH, 1e-4, "state after one and two predictions");
        model.ResetStates();
        TestData.AssertBitEqual(first, model.Predict(x).Span, "first prediction after reset");
        TestData.AssertBitEqual(afterFirst, lstm.StateH, "state after reset and one prediction");
    }

    [Fact]
    public void StatefulModel_RefusesAnotherBatchSize_NamingBoth()
    {
        (Sequential model, Lstm lstm) = Stateful(batch: 3, steps: 2, seed: 161);
        model.Compile(Loss.MeanSquaredError, new Adam());
        var random = new RandomGenerator(162);
        Tensor five = TestData.Tensor(random, -1, 1, 5, 2, Features);
        Tensor fiveY = TestData.Tensor(random, -1, 1, 5, Units);
        Tensor six = TestData.Tensor(random, -1, 1, 6, 2, Features);
        Tensor sixY = TestData.Tensor(random, -1, 1, 6, Units);

        AssertNamesBoth(Assert.Throws<ArgumentException>(() => model.TrainOnBatch(five, fiveY)), 3, 5);
        AssertNamesBoth(Assert.Throws<ArgumentException>(() => model.Predict(six, batchSize: 2)), 3, 2);
        AssertNamesBoth(Assert.Throws<ArgumentException>(() => model.Predict(five)), 3, 5);
        AssertNamesBoth(Assert.Throws<ArgumentException>(() => model.Fit(six, sixY, batchSize: 6, verbose: 0)), 3, 6);
        AssertNamesBoth(Assert.Throws<ArgumentException>(() => model.Evaluate(five, fiveY)), 3, 5);
        AssertNamesBoth(Assert.Throws<ArgumentException>(() => lstm.Forward(TestData.Tensor(random, -1, 1, 4, 2, Features), training: false)), 3, 4);
        // The state was not touched by the refused calls.
        Assert.All(lstm.StateH.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Fit_CarriesStateFromBatchToBatch_LikeManualTrainOnBatch()
    {
        const int batch = 2, steps = 3;
        (Sequential fitted, _) = Stateful(batch, steps, seed: 171);
        (Sequential manual, _) = Stateful(batch, steps, seed: 171);
        fitted.Compile(Loss.MeanSquaredError, new Adam(0.01));
        manual.Compile(Loss.MeanSquaredError, new Adam(0.01));
        var random = new RandomGenerator(172);
        Tensor x = TestData.Tensor(random, -1, 1, 3 * batch, steps, Features);
        Tensor y = TestData.Tensor(random, -1, 1, 3 * batch, Units);

        fitted.Fit(x, y, epochs: 1, shuffle: false, verbose: 0);
        for (int start = 0; start < 3 * batch; start += batch)
        {
            var xb = new Tensor(x.Span.Slice(start * steps * Features, batch * steps * Features).ToArray(), batch, steps, Features);
            var yb = new Tensor(y.Span.Slice(start * Units, batch * Units).ToArray(), batch, Units);
            manual.TrainOnBatch(xb, yb);
        }
        for (int p = 0; p < fitted.Parameters.Count; p++)
            TestData.AssertBitEqual(manual.Parameters[p].Value.Span, fitted.Parameters[p].Value.Span, $"weight {p}");
        TestData.AssertBitEqual(((Lstm)manual.Layers[0]).StateH, ((Lstm)fitted.Layers[0]).StateH, "carried h");

        // Resetting between batches would have trained differently.
        (Sequential resetEachBatch, _) = Stateful(batch, steps, seed: 171);
        resetEachBatch.Compile(Loss.MeanSquaredError, new Adam(0.01));
        for (int start = 0; start < 3 * batch; start += batch)
        {
            resetEachBatch.ResetStates();
            var xb = new Tensor(x.Span.Slice(start * steps * Features, batch * steps * Features).ToArray(), batch, steps, Features);
            var yb = new Tensor(y.Span.Slice(start * Units, batch * Units).ToArray(), batch, Units);
            resetEachBatch.TrainOnBatch(xb, yb);
        }
        TestData.AssertDiffer(resetEachBatch.Parameters[1].Value.Span, fitted.Parameters[1].Value.Span, 1e-7, "recurrent kernel with and without carry");
    }

    private static (Sequential Model, Lstm Lstm) Stateful(int batch, int steps, long seed, bool returnSequences = false)
    {
        var model = new Sequential(SampleShape.Sequence(steps, Features), batch, seed);
        var lstm = new Lstm(Units, returnSequences, stateful: true);
        model.Add(lstm);
        return (model, lstm);
    }

    /// <summary>(B, 2T, F): sample i's first half from <paramref name="first"/>, second half from sample (i + rotate) of <paramref name="second"/>.</summary>
    private static float[] Join(Tensor first, Tensor second, int rotate)
    {
        int batch = first.Dim(0), half = first.Dim(1) * first.Dim(2);
        var joined = new float[2 * first.Size];
        for (int i = 0; i < batch; i++)
        {
            first.Span.Slice(i * half, half).CopyTo(joined.AsSpan(2 * i * half));
            second.Span.Slice((i + rotate) % batch * half, half).CopyTo(joined.AsSpan((2 * i + 1) * half));
        }
        return joined;
    }

    private static void AssertNamesBoth(ArgumentException e, int expected, int actual)
    {
        Assert.Matches(new Regex($@"\b{expected}\b"), e.Message);
        Assert.Matches(new Regex($@"\b{actual}\b"), e.Message);
    }
}
