using LstmLab.Interchange.Onnx;
using LstmLab.Layers;
using LstmLab.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = LstmLab.Numerics.Tensor;
using Xunit;
using static LstmLab.Onnx.Tests.OnnxTestKit;

namespace LstmLab.Onnx.Tests;

/// <summary>
/// The exported ONNX model, run in ONNX Runtime (not our code), gives LstmLab's predictions within 1e-5: for each
/// recurrent activation, stacked LSTMs returning sequences, a stateful model whose state the caller carries over
/// several calls, and masks that skip steps anywhere in the sequence.
/// </summary>
public sealed class OnnxRuntimeTests
{
    private static void Spread(Sequential model, long seed) => OnnxTestKit.Spread(model, seed, 1.5);

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3)]
    public void StackedLstm_EachRecurrentActivation_MatchesLstmLab(RecurrentActivation gate)
    {
        var model = new Sequential(SampleShape.Sequence(0, 3), seed: 1220);
        model.Add(new Lstm(6, returnSequences: true, recurrentActivation: gate)).Add(new Lstm(4, recurrentActivation: gate)).Add(new Dense(3, Activation.Softmax));
        Spread(model, 1221);
        var x = new Tensor(Uniform(new RandomGenerator(1222), 5 * 7 * 3, -2, 2), 5, 7, 3);
        AssertClose(model.Predict(x).Span, Run(OnnxExporter.Export(model), x)["y"], $"{gate} predictions");
    }

    // Provenance (hand): the shape of the batch the test builds (3 samples, 6 steps, 2 units).
    [Theory]
    [InlineData(Activation.Linear)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Relu)]
    public void ReturnSequences_WithDenseOnEveryStep_MatchesLstmLab(Activation activation)
    {
        var model = new Sequential(SampleShape.Sequence(6, 2), seed: 1223);
        model.Add(new Lstm(5, returnSequences: true)).Add(new Dense(2, activation));
        Spread(model, 1224);
        var x = new Tensor(Uniform(new RandomGenerator(1225), 3 * 6 * 2), 3, 6, 2);
        Tensor expected = model.Predict(x);
        Assert.Equal([3, 6, 2], expected.Shape.ToArray());
        AssertClose(expected.Span, Run(OnnxExporter.Export(model), x)["y"], "sequence predictions");
    }

    [Fact]
    public void Stateful_CallerCarriesTheStateOverSeveralCalls_MatchesLstmLab()
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), batchSize: 2, seed: 1226);
        model.Add(new Lstm(4, returnSequences: true, stateful: true)).Add(new Lstm(3, stateful: true, recurrentActivation: RecurrentActivation.HardSigmoidKeras2)).Add(new Dense(1));
        Spread(model, 1227);
        byte[] onnx = OnnxExporter.Export(model);
        var random = new RandomGenerator(1228);
        (string, Tensor)[] state = [("lstm_h_in", new Tensor(2, 4)), ("lstm_c_in", new Tensor(2, 4)), ("lstm_1_h_in", new Tensor(2, 3)), ("lstm_1_c_in", new Tensor(2, 3))];
        for (int call = 0; call < 4; call++)
        {
            var x = new Tensor(Uniform(random, 2 * 3 * 2, -2, 2), 2, 3, 2);
            Tensor expected = model.Predict(x);
            Dictionary<string, float[]> got = Run(onnx, x, state);
            AssertClose(expected.Span, got["y"], $"call {call}");
            IReadOnlyList<Tensor> carried = model.GetStates();
            string[] outs = ["lstm_h_out", "lstm_c_out", "lstm_1_h_out", "lstm_1_c_out"];
            for (int s = 0; s < 4; s++)
            {
                AssertClose(carried[s].Span, got[outs[s]], $"state {outs[s]} after call {call}");
                state[s] = (state[s].Item1, new Tensor(got[outs[s]], carried[s].Shape.ToArray()));
            }
        }
        // Without carrying, ONNX starts from zeros again and the fifth call differs from LstmLab's.
        var last = new Tensor(Uniform(random, 12), 2, 3, 2);
        float[] fresh = Run(onnx, last, ("lstm_h_in", new Tensor(2, 4)), ("lstm_c_in", new Tensor(2, 4)), ("lstm_1_h_in", new Tensor(2, 3)), ("lstm_1_c_in", new Tensor(2, 3)))["y"];
        Assert.True(Math.Abs(model.Predict(last).Span[0] - fresh[0]) > 1e-4);
    }

    [Fact]
    public void Masking_SkipsStepsAnywhere_MatchesLstmLab()
    {
        var model = new Sequential(SampleShape.Sequence(6, 2), seed: 1229);
        model.Add(new Masking(-1)).Add(new Lstm(4, returnSequences: true)).Add(new Lstm(3)).Add(new Dense(2));
        Spread(model, 1230);
        var x = new Tensor(Uniform(new RandomGenerator(1231), 4 * 6 * 2), 4, 6, 2);
        // Sample 0: steps 1 and 4 masked (inside); sample 1: trailing padding; sample 2: leading; sample 3: none.
        foreach ((int b, int t) in new[] { (0, 1), (0, 4), (1, 4), (1, 5), (2, 0), (2, 1) })
            x.Span.Slice((b * 6 + t) * 2, 2).Fill(-1);
        x.Span[(3 * 6 + 2) * 2] = -1;   // one feature at -1 only: not masked
        Tensor expected = model.Predict(x);
        AssertClose(expected.Span, Run(OnnxExporter.Export(model), x)["y"], "masked predictions");

        var unmasked = new Sequential(SampleShape.Sequence(6, 2), seed: 1229);
        unmasked.Add(new Lstm(4, returnSequences: true)).Add(new Lstm(3)).Add(new Dense(2));
        for (int p = 0; p < unmasked.Parameters.Count; p++)
            unmasked.Parameters[p].Assign(model.Parameters[p].Value.Span);
        Assert.True(Math.Abs(unmasked.Predict(x).Span[0] - expected.Span[0]) > 1e-4, "the mask must matter for sample 0");
    }

    [Fact]
    public void Masking_ReturnSequencesAndStateful_MatchesLstmLab()
    {
        var model = new Sequential(SampleShape.Sequence(4, 1), batchSize: 2, seed: 1232);
        model.Add(new Masking(0)).Add(new Lstm(3, returnSequences: true, stateful: true)).Add(new Dense(1, Activation.Sigmoid));
        Spread(model, 1233);
        var x = new Tensor([0.5f, 0f, -0.3f, 0f, 0f, 0.9f, 0.2f, 0.1f], 2, 4, 1);
        byte[] onnx = OnnxExporter.Export(model);
        (string, Tensor)[] state = [("lstm_h_in", new Tensor(2, 3)), ("lstm_c_in", new Tensor(2, 3))];
        for (int call = 0; call < 2; call++)
        {
            Dictionary<string, float[]> got = Run(onnx, x, state);
            AssertClose(model.Predict(x).Span, got["y"], $"call {call}");
            state = [("lstm_h_in", new Tensor(got["lstm_h_out"], 2, 3)), ("lstm_c_in", new Tensor(got["lstm_c_out"], 2, 3))];
        }
    }

    [Fact]
    public void Masking_WithAnyLengthInput_IsRefusedSayingWhy()
    {
        var model = new Sequential(SampleShape.Sequence(0, 1), seed: 1234);
        model.Add(new Masking()).Add(new Lstm(2));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model));
        Assert.Contains("sequence_lens", e.Message, StringComparison.Ordinal);
        Assert.Contains("fixed number of timesteps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenseOnVectors_MatchesLstmLab()
    {
        var model = new Sequential(SampleShape.Vector(3), seed: 1235);
        model.Add(new Dense(4, Activation.Relu)).Add(new Dense(2, Activation.Softmax));
        var x = new Tensor(Uniform(new RandomGenerator(1236), 9), 3, 3);
        AssertClose(model.Predict(x).Span, Run(OnnxExporter.Export(model), x)["y"], "dense predictions");
    }
}
