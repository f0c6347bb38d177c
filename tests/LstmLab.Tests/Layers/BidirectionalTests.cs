using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// <see cref="Bidirectional"/>: golden values ported from Keras's own test, keras-team/keras
/// <c>keras/src/layers/rnn/bidirectional_test.py</c> (commit 17dff27b; constant initializers kernel 0.01,
/// recurrent 0.02, bias 0.03 — for an LSTM the forget-gate block is 1, Keras's unit_forget_bias — and
/// <c>np.arange</c> inputs; the numbers are copied from that file), and finite-difference gradient checks for
/// every merge mode, with return_sequences and a mask.
/// </summary>
public sealed class BidirectionalTests
{
    // Provenance (whole file) (cited): every golden array is copied from keras-team/keras
    // keras/src/layers/rnn/bidirectional_test.py at commit 17dff27b (see the class summary); the parameter count is
    // hand arithmetic (2 × (input·4u + u·4u + 4u) + Dense).
    [Fact]
    public void Keras_Correctness_ConcatAndAve()
    {
        Tensor x = Arange(2, 3, 4);
        var concat = new Bidirectional(new SimpleRnn(2));
        Build(concat, 3, 4, null);
        AssertClose([0.39687276f, 0.39687276f, 0.10004295f, 0.10004295f, 0.7237238f, 0.7237238f, 0.53391594f, 0.53391594f], concat.Forward(x, training: false).Span);
        var ave = new Bidirectional(new SimpleRnn(2), MergeMode.Ave);
        Build(ave, 3, 4, null);
        AssertClose([0.24845785f, 0.24845785f, 0.6288199f, 0.6288199f], ave.Forward(x, training: false).Span);
    }

    [Fact]
    public void Keras_Correctness_MulWithOtherBackwardWeights()
    {
        var mul = new Bidirectional(new SimpleRnn(2), MergeMode.Mul);
        Build(mul, 3, 4, null);
        // bidirectional_test.py gives the backward SimpleRNN kernel 0.03, recurrent 0.02, bias 0.01.
        Fill(mul.BackwardLayer, 0.03f, 0.02f, 0.01f);
        AssertClose([0.08374989f, 0.08374989f, 0.6740834f, 0.6740834f], mul.Forward(Arange(2, 3, 4), training: false).Span);
    }

    [Fact]
    public void Keras_Correctness_GruSequencesSum()
    {
        var sum = new Bidirectional(new Gru(2, returnSequences: true), MergeMode.Sum);
        Build(sum, 3, 4, null);
        float[] expected = [0.20937867f, 0.34462988f, 0.40290534f, 0.59829646f, 0.6734641f, 0.6479671f];
        AssertClose([.. expected.SelectMany(v => new[] { v, v })], sum.Forward(Arange(2, 3, 4), training: false).Span);
    }

    [Fact]
    public void Keras_Statefulness()
    {
        var layer = new Bidirectional(new Lstm(2, stateful: true));
        Build(layer, 4, 3, 2);
        Tensor x = Arange(2, 4, 3);
        float[] expected = [0.26234663f, 0.26234663f, 0.16959146f, 0.16959146f, 0.6137073f, 0.6137073f, 0.5381646f, 0.5381646f];
        layer.Forward(x, training: false);
        AssertClose(expected, layer.Forward(x, training: false).Span);
        layer.ResetStates();
        layer.Forward(x, training: false);
        AssertClose(expected, layer.Forward(x, training: false).Span);
    }

    [Fact]
    public void Keras_InitialState_AndReturnState()
    {
        var layer = new Bidirectional(new Lstm(2));
        Build(layer, 4, 3, null);
        Tensor State(float scale) => new([0f, scale, 2 * scale, 3 * scale], 2, 2);
        layer.ForwardLayer.InitialState = [State(1), State(2)];
        layer.BackwardLayer.InitialState = [State(3), State(4)];
        AssertClose([0.20794602f, 0.4577124f, 0.14046375f, 0.48191673f, 0.6682636f, 0.6711909f, 0.60943645f, 0.60950446f],
            layer.Forward(Arange(2, 4, 3), training: false).Span);

        // test_return_state: h and c of both directions after a plain call.
        var plain = new Bidirectional(new Lstm(2));
        Build(plain, 4, 3, null);
        AssertClose([0.1990008f, 0.1990008f, 0.12659755f, 0.12659755f, 0.52335435f, 0.52335435f, 0.44717982f, 0.44717982f],
            plain.Forward(Arange(2, 4, 3), training: false).Span);
        AssertClose([0.1990008f, 0.1990008f, 0.52335435f, 0.52335435f], plain.ForwardLayer.FinalState(0));
        AssertClose([0.35567185f, 0.35567185f, 1.0492687f, 1.0492687f], plain.ForwardLayer.FinalState(1));
        AssertClose([0.12659755f, 0.12659755f, 0.44717982f, 0.44717982f], plain.BackwardLayer.FinalState(0));
        AssertClose([0.2501858f, 0.2501858f, 0.941473f, 0.941473f], plain.BackwardLayer.FinalState(1));
    }

    [Fact]
    public void Keras_Masking()
    {
        var layer = new Bidirectional(new Gru(2));
        Build(layer, 4, 3, null);
        Tensor mask = RecurrentGradientTests.MaskOf([1, 1, 0, 1], [1, 0, 0, 1]);
        AssertClose([0.19393763f, 0.19393763f, 0.11669192f, 0.11669192f, 0.30818558f, 0.30818558f, 0.28380975f, 0.28380975f],
            layer.Forward(Arange(2, 4, 3), mask, training: false).Span);
    }

    [Theory]
    [InlineData(MergeMode.Concat, false)]
    [InlineData(MergeMode.Concat, true)]
    [InlineData(MergeMode.Sum, true)]
    [InlineData(MergeMode.Mul, true)]
    [InlineData(MergeMode.Mul, false)]
    [InlineData(MergeMode.Ave, true)]
    public void Gradients_MatchFiniteDifferences_ForEveryMergeMode_WithAMask(MergeMode mode, bool sequences)
    {
        const int batch = 3, steps = 4, features = 3, units = 3;
        var layer = new Bidirectional(new Gru(units, returnSequences: sequences), mode);
        var model = new Sequential(SampleShape.Sequence(steps, features), seed: 21);
        model.Add(layer);
        var random = new RandomGenerator(601);
        foreach (Parameter p in layer.Parameters)
        {
            if (p.Name == "bias")
                TestData.Uniform(random, p.Value.Size, -1, 1).CopyTo(p.Value.Span);
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Value.Span, 1.5f, p.Value.Span);
        }
        Tensor x = TestData.Tensor(random, -2, 2, batch, steps, features);
        int width = mode == MergeMode.Concat ? 2 * units : units;
        Tensor w = sequences ? TestData.Tensor(random, -1, 1, batch, steps, width) : TestData.Tensor(random, -1, 1, batch, width);
        Tensor mask = RecurrentGradientTests.MaskOf([1, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 1]);
        double Loss() => TestData.Dot(layer.Forward(x, mask, training: true).Span, w.Span);
        TestData.ClearGradients(layer.Parameters);
        layer.Forward(x, mask, training: true);
        float[] dx = layer.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(layer.Parameters);
        Assert.Equal(6, layer.Parameters.Count);
        for (int p = 0; p < layer.Parameters.Count; p++)
            GradientChecker.Check($"{(p < 3 ? "forward" : "backward")} {layer.Parameters[p].Name}", layer.Parameters[p].Value, gradients[p], Loss);
        GradientChecker.Check("x", x, dx, Loss);
    }

    [Fact]
    public void InAModel_OutputShape_Names_AndMask()
    {
        var model = new Sequential(SampleShape.Sequence(5, 2), seed: 3);
        model.Add(new Masking(-1)).Add(new Bidirectional(new Lstm(4, returnSequences: true))).Add(new Dense(1));
        var bi = (Bidirectional)model.Layers[1];
        Assert.Equal("bidirectional", bi.Name);
        Assert.Equal("forward_lstm", bi.ForwardLayer.Name);
        Assert.Equal("backward_lstm", bi.BackwardLayer.Name);
        Assert.True(bi.BackwardLayer.GoBackwards);
        Assert.Equal(SampleShape.Sequence(5, 8), bi.OutputShape);
        Assert.Equal(2 * (2 * 16 + 4 * 16 + 16) + 9, model.Parameters.Sum(p => p.Value.Size));
        // The two directions start from different weights.
        TestData.AssertDiffer(bi.ForwardLayer.Parameters[0].Value.Span, bi.BackwardLayer.Parameters[0].Value.Span, 1e-2, "forward and backward kernels");
    }

    private static void Build(Bidirectional layer, int steps, int features, int? batchSize)
    {
        var model = new Sequential(SampleShape.Sequence(steps, features), batchSize, seed: 1);
        model.Add(layer);
        Fill(layer.ForwardLayer, 0.01f, 0.02f, 0.03f);
        Fill(layer.BackwardLayer, 0.01f, 0.02f, 0.03f);
    }

    private static void Fill(Recurrent layer, float kernel, float recurrent, float bias)
    {
        layer.Parameters[0].Value.Span.Fill(kernel);
        layer.Parameters[1].Value.Span.Fill(recurrent);
        layer.Parameters[2].Value.Span.Fill(bias);
        if (layer is Lstm)
            layer.Parameters[2].Value.Span.Slice(layer.Units, layer.Units).Fill(1f);
    }

    private static Tensor Arange(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Size; i++)
            t.Span[i] = i;
        return t;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
