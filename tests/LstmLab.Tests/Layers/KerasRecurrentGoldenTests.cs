using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// Golden values from Keras's own tests, ported: keras-team/keras <c>keras/src/layers/rnn/gru_test.py</c>
/// (commit 03313da2) and <c>keras/src/layers/rnn/simple_rnn_test.py</c> (commit 4e66d1b3). Every case uses
/// constant initializers (kernel 0.01, recurrent kernel 0.02, bias 0.03) and <c>np.arange</c> inputs, as
/// there; the expected numbers are copied from those files. Tolerance 1e-5 absolute + relative, as Keras's
/// <c>test_correctness</c>.
/// </summary>
public sealed class KerasRecurrentGoldenTests
{
    // gru_test.py test_correctness: sequence arange(72).reshape(3, 6, 4), GRU(3).
    // Provenance (whole file) (cited): every golden array in this file is copied from Keras's own tests, keras-team/keras
    // gru_test.py (commit 03313da2) and simple_rnn_test.py (commit 4e66d1b3), as the class summary says.
    [Theory]
    [InlineData(true, false, new[] { 0.5217289f, 0.6371659f, 0.39384964f })]
    [InlineData(true, true, new[] { 0.24406259f, 0.611516f, 0.3928808f })]
    [InlineData(false, false, new[] { 0.51447755f, 0.6426879f, 0.40208298f })]
    public void Gru_Correctness(bool resetAfter, bool goBackwards, float[] perSample)
    {
        var gru = new Gru(3, resetAfter: resetAfter, goBackwards: goBackwards);
        Tensor output = Run(gru, Arange(3, 6, 4), null, batchSize: null);
        AssertRows(perSample, output, 3);
    }

    // gru_test.py test_statefulness: arange(24).reshape(2, 3, 4), GRU(4, stateful); the second call, then reset and again.
    [Fact]
    public void Gru_Statefulness()
    {
        var gru = new Gru(4, stateful: true);
        Tensor x = Arange(2, 3, 4);
        Run(gru, x, null, batchSize: 2);
        float[] expected = [0.29542392f, 0.5885018f];
        AssertRows(expected, gru.Forward(x, training: false), 4);
        gru.ResetStates();
        gru.Forward(x, training: false);
        AssertRows(expected, gru.Forward(x, training: false), 4);
    }

    // gru_test.py test_pass_initial_state / test_pass_return_state: arange(24).reshape(2, 4, 3), initial state arange(4).reshape(2, 2).
    [Theory]
    [InlineData(false, new[] { 0.23774096f, 0.33508456f, 0.83659905f, 1.0227708f })]
    [InlineData(true, new[] { 0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f })]
    public void Gru_InitialState_AndReturnState(bool goBackwards, float[] expected)
    {
        var gru = new Gru(2, goBackwards: goBackwards);
        Build(gru, 4, 3, null);
        gru.InitialState = [new Tensor([0f, 1f, 2f, 3f], 2, 2)];
        Tensor output = gru.Forward(Arange(2, 4, 3), training: false);
        TestDataClose(expected, output.Span);
        // return_state: the final state equals the output (test_pass_return_state).
        TestDataClose(expected, gru.FinalState(0));
    }

    // gru_test.py test_masking: arange(24).reshape(2, 4, 3), mask [[T, T, F, T], [T, F, F, T]].
    [Fact]
    public void Gru_Masking()
    {
        Tensor x = Arange(2, 4, 3);
        Tensor mask = Mask([1, 1, 0, 1], [1, 0, 0, 1]);
        var last = new Gru(2);
        AssertRows([0.19393763f, 0.30818558f], Run(last, x, mask, null), 2);

        var sequence = new Gru(2, returnSequences: true);
        Tensor output = Run(sequence, x, mask, null);
        float[] expected =
        [
            0.03606692f, 0.09497581f, 0.09497581f, 0.19393763f,
            0.16051409f, 0.16051409f, 0.16051409f, 0.30818558f,
        ];
        AssertRows(expected, output, 2);

        var backwards = new Gru(2, goBackwards: true);
        AssertRows([0.11669192f, 0.28380975f], Run(backwards, x, mask, null), 2);
    }

    // simple_rnn_test.py test_correctness: arange(24).reshape(2, 3, 4), SimpleRNN(4).
    [Theory]
    [InlineData(false, new[] { 0.405432f, 0.73605347f })]
    [InlineData(true, new[] { 0.11144729f, 0.5528889f })]
    public void SimpleRnn_Correctness(bool goBackwards, float[] perSample)
    {
        var rnn = new SimpleRnn(4, goBackwards: goBackwards);
        AssertRows(perSample, Run(rnn, Arange(2, 3, 4), null, null), 4);
    }

    // simple_rnn_test.py test_statefulness.
    [Fact]
    public void SimpleRnn_Statefulness()
    {
        var rnn = new SimpleRnn(4, stateful: true);
        Tensor x = Arange(2, 3, 4);
        Run(rnn, x, null, batchSize: 2);
        float[] expected = [0.40559256f, 0.7361247f];
        AssertRows(expected, rnn.Forward(x, training: false), 4);
        rnn.ResetStates();
        rnn.Forward(x, training: false);
        AssertRows(expected, rnn.Forward(x, training: false), 4);
    }

    // simple_rnn_test.py test_pass_initial_state: arange(24).reshape(2, 4, 3), initial state arange(8).reshape(2, 4).
    [Theory]
    [InlineData(false, new[] { 0.33621645f, 0.6262637f })]
    [InlineData(true, new[] { 0.07344437f, 0.43043602f })]
    public void SimpleRnn_InitialState(bool goBackwards, float[] perSample)
    {
        var rnn = new SimpleRnn(4, goBackwards: goBackwards);
        Build(rnn, 4, 3, null);
        rnn.InitialState = [new Tensor([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], 2, 4)];
        AssertRows(perSample, rnn.Forward(Arange(2, 4, 3), training: false), 4);
    }

    // simple_rnn_test.py test_masking.
    [Fact]
    public void SimpleRnn_Masking()
    {
        Tensor x = Arange(2, 4, 3);
        Tensor mask = Mask([1, 1, 0, 1], [1, 0, 0, 1]);
        AssertRows([0.32951632f, 0.61799484f], Run(new SimpleRnn(4), x, mask, null), 4);
        float[] sequence =
        [
            0.0599281f, 0.15122814f, 0.15122814f, 0.32394567f,
            0.3969304f, 0.3969304f, 0.3969304f, 0.608085f,
        ];
        AssertRows(sequence, Run(new SimpleRnn(2, returnSequences: true), x, mask, null), 2);
        AssertRows([0.07376196f, 0.43645123f], Run(new SimpleRnn(4, goBackwards: true), x, mask, null), 4);
    }

    /// <summary>Builds the layer in a model with Keras's constant initializers of these tests.</summary>
    private static void Build(Recurrent layer, int steps, int features, int? batchSize)
    {
        var model = new Sequential(SampleShape.Sequence(steps, features), batchSize, seed: 1);
        model.Add(layer);
        float[] constants = [0.01f, 0.02f, 0.03f];
        for (int p = 0; p < layer.Parameters.Count; p++)
            layer.Parameters[p].Value.Span.Fill(constants[p]);
    }

    private static Tensor Run(Recurrent layer, Tensor x, Tensor? mask, int? batchSize)
    {
        Build(layer, x.Dim(1), x.Dim(2), batchSize);
        return layer.Forward(x, mask, training: false);
    }

    private static Tensor Arange(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Size; i++)
            t.Span[i] = i;
        return t;
    }

    private static Tensor Mask(params int[][] rows)
    {
        var m = new Tensor(rows.Length, rows[0].Length);
        for (int b = 0; b < rows.Length; b++)
        {
            for (int t = 0; t < rows[b].Length; t++)
                m[b, t] = rows[b][t];
        }
        return m;
    }

    /// <summary>Keras's expected outputs repeat one value across the units: <paramref name="perRow"/>[i] is row i's value.</summary>
    private static void AssertRows(float[] perRow, Tensor output, int units)
    {
        Assert.Equal(perRow.Length * units, output.Size);
        var expected = new float[output.Size];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = perRow[i / units];
        TestDataClose(expected, output.Span);
    }

    private static void TestDataClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
