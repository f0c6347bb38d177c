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
/// GRU (both reset_after forms: ONNX's linear_before_reset), SimpleRNN (ONNX RNN), Bidirectional (each merge mode, with
/// and without return_sequences), go_backwards (direction "reverse"), Dropout, RepeatVector, stateful GRU / SimpleRNN /
/// Bidirectional state inputs and outputs, and masks anywhere: the exported model run in ONNX Runtime gives LstmLab's
/// predictions within 1e-5.
/// </summary>
public sealed class OnnxNewLayersTests
{
    private static void Spread(Sequential model, long seed) => OnnxTestKit.Spread(model, seed, 1.2);

    private static Recurrent Make(string kind, bool sequences, bool backwards = false, bool stateful = false) => kind switch
    {
        "gru" => new Gru(4, sequences, stateful, resetAfter: true, goBackwards: backwards),
        "gru_before" => new Gru(4, sequences, stateful, resetAfter: false, RecurrentActivation.HardSigmoidKeras2, Activation.Relu, goBackwards: backwards),
        "gru_linear" => new Gru(4, sequences, stateful, recurrentActivation: RecurrentActivation.HardSigmoidKeras3, activation: Activation.Linear, goBackwards: backwards),
        "simple_rnn" => new SimpleRnn(4, Activation.Tanh, sequences, stateful, backwards),
        "simple_rnn_relu" => new SimpleRnn(4, Activation.Relu, sequences, stateful, backwards),
        _ => new Lstm(4, sequences, stateful, goBackwards: backwards, dropout: 0.3),
    };

    [Theory]
    [InlineData("gru", false)]
    [InlineData("gru_before", true)]
    [InlineData("gru_linear", false)]
    [InlineData("simple_rnn", true)]
    [InlineData("simple_rnn_relu", false)]
    [InlineData("lstm", true)]
    public void Recurrent_ForwardsAndBackwards_WithDropoutAndRepeatVector_MatchesLstmLab(string kind, bool backwards)
    {
        var model = new Sequential(SampleShape.Sequence(0, 3), seed: 1260);
        model.Add(Make(kind, sequences: true, backwards)).Add(new Dropout(0.4)).Add(Make(kind, sequences: false, !backwards))
            .Add(new RepeatVector(3)).Add(Make(kind, sequences: true)).Add(new Dense(2, Activation.Sigmoid));
        Spread(model, 1261);
        var x = new Tensor(Uniform(new RandomGenerator(1262), 4 * 6 * 3, -2, 2), 4, 6, 3);
        Tensor expected = model.Predict(x);
        // Provenance (hand): 4 samples, RepeatVector(3) steps, Dense(2): the shape of the model the test builds.
        Assert.Equal([4, 3, 2], expected.Shape.ToArray());
        AssertClose(expected.Span, Run(OnnxExporter.Export(model), x)["y"], $"{kind} predictions");
    }

    public static TheoryData<string, MergeMode, bool> Bidirectionals => new()
    {
        { "lstm", MergeMode.Concat, true },
        { "lstm", MergeMode.Ave, false },
        { "gru", MergeMode.Sum, true },
        { "gru_before", MergeMode.Mul, false },
        { "simple_rnn", MergeMode.Concat, false },
        { "simple_rnn_relu", MergeMode.Mul, true },
    };

    [Theory]
    [MemberData(nameof(Bidirectionals))]
    public void Bidirectional_EachMergeMode_MatchesLstmLab(string kind, MergeMode merge, bool sequences)
    {
        var model = new Sequential(SampleShape.Sequence(0, 2), seed: 1263);
        model.Add(new Bidirectional(Make(kind, sequences), merge));
        if (sequences)
            model.Add(new Bidirectional(Make(kind, sequences: false), MergeMode.Concat));
        model.Add(new Dense(3));
        Spread(model, 1264);
        var x = new Tensor(Uniform(new RandomGenerator(1265), 3 * 5 * 2, -2, 2), 3, 5, 2);
        AssertClose(model.Predict(x).Span, Run(OnnxExporter.Export(model), x)["y"], $"{kind} {merge} predictions");
    }

    [Theory]
    [InlineData("gru", true)]
    [InlineData("simple_rnn", false)]
    [InlineData("lstm", true)]
    public void Masking_BidirectionalAndBackwards_BothMaskedOutputRules_MatchLstmLab(string kind, bool zeroOutput)
    {
        var model = new Sequential(SampleShape.Sequence(6, 2), seed: 1266);
        model.Add(new Masking(-1)).Add(new Bidirectional(Make(kind, sequences: true), MergeMode.Concat, zeroOutput))
            .Add(Make(kind, sequences: true, backwards: true)).Add(new Dense(2));
        Spread(model, 1267);
        var x = new Tensor(Uniform(new RandomGenerator(1268), 4 * 6 * 2), 4, 6, 2);
        foreach ((int b, int t) in new[] { (0, 1), (0, 4), (1, 4), (1, 5), (2, 0), (2, 1) })
            x.Span.Slice((b * 6 + t) * 2, 2).Fill(-1);
        AssertClose(model.Predict(x).Span, Run(OnnxExporter.Export(model), x)["y"], $"{kind} masked predictions");
    }

    [Theory]
    [InlineData("gru", false)]
    [InlineData("simple_rnn", false)]
    [InlineData("gru", true)]
    public void Stateful_CallerCarriesGruSimpleRnnAndBidirectionalState_MatchesLstmLab(string kind, bool masked)
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), batchSize: 2, seed: 1269);
        if (masked)
            model.Add(new Masking(-1));
        model.Add(new Bidirectional(Make(kind, sequences: true, stateful: true), MergeMode.Sum)).Add(Make(kind, sequences: false, stateful: true)).Add(new Dense(1));
        Spread(model, 1270);
        byte[] onnx = OnnxExporter.Export(model);
        string inner = kind == "gru" ? "gru" : "simplernn";
        string[] names = [$"bidirectional_forward_{inner}_h", $"bidirectional_backward_{inner}_h", $"{model.Layers[^2].Name}_h"];
        (string, Tensor)[] state = [.. names.Select(n => ($"{n}_in", new Tensor(2, 4)))];
        var random = new RandomGenerator(1271);
        for (int call = 0; call < 3; call++)
        {
            var x = new Tensor(Uniform(random, 2 * 3 * 2, -2, 2), 2, 3, 2);
            if (masked && call == 1)
                x.Span.Slice(2, 2).Fill(-1);
            Tensor expected = model.Predict(x);
            Dictionary<string, float[]> got = Run(onnx, x, state);
            AssertClose(expected.Span, got["y"], $"call {call}");
            IReadOnlyList<Tensor> carried = model.GetStates();
            Assert.Equal(3, carried.Count);
            for (int s = 0; s < 3; s++)
            {
                AssertClose(carried[s].Span, got[$"{names[s]}_out"], $"state {names[s]} after call {call}");
                state[s] = ($"{names[s]}_in", new Tensor(got[$"{names[s]}_out"], 2, 4));
            }
        }
    }

    [Fact]
    public void Bidirectional_WrappingABackwardsLayer_IsRefusedNamingIt()
    {
        var model = new Sequential(SampleShape.Sequence(3, 1), seed: 1272);
        model.Add(new Bidirectional(new Gru(2, goBackwards: true)));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model));
        Assert.Contains("'bidirectional'", e.Message, StringComparison.Ordinal);
        Assert.Contains("go_backwards", e.Message, StringComparison.Ordinal);
    }
}
