using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// Gradient checks of the recurrent layers built on <see cref="Recurrent"/> — GRU in both forms, SimpleRNN,
/// and the LSTM's new options — against central finite differences of L = Σ w ⊙ output (w random, fixed):
/// every weight and the input, with and without return_sequences, with a mask, with go_backwards (also
/// masked), with a carried (stateful) state, with an initial state, and with dropout masks held fixed.
/// </summary>
public sealed class RecurrentGradientTests
{
    private const int Batch = 3, Steps = 4, Features = 3, Units = 4;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string layer in new[] { "gru", "gru-reset-before", "simple-rnn", "lstm" })
        {
            foreach (string option in new[] { "last", "sequences", "masked", "backwards", "backwards-masked-sequences", "dropout", "recurrent-dropout" })
            {
                if (layer == "lstm" && option is "last" or "sequences")
                    continue; // LstmGradientTests covers the plain LSTM.
                data.Add(layer, option);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_MatchFiniteDifferences(string kind, string option)
    {
        bool sequences = option is "sequences" or "backwards-masked-sequences";
        bool backwards = option.StartsWith("backwards", StringComparison.Ordinal);
        double dropout = option == "dropout" ? 0.3 : 0, recurrentDropout = option == "recurrent-dropout" ? 0.3 : 0;
        Recurrent layer = Create(kind, sequences, stateful: false, backwards, dropout, recurrentDropout);
        Build(layer, batchSize: null, seed: 11);
        layer.ReuseDropoutMasks = true;
        var random = new RandomGenerator(501);
        Tensor x = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        Tensor w = sequences ? TestData.Tensor(random, -1, 1, Batch, Steps, Units) : TestData.Tensor(random, -1, 1, Batch, Units);
        Tensor? mask = option.Contains("masked", StringComparison.Ordinal) ? MaskOf([1, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 1]) : null;
        CheckAll(layer, x, mask, w);
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gru-reset-before")]
    [InlineData("simple-rnn")]
    [InlineData("lstm")]
    public void InitialState_GradientsMatchFiniteDifferences_AndTheStateMatters(string kind)
    {
        Recurrent layer = Create(kind, sequences: true, stateful: false, backwards: false, 0, 0);
        Build(layer, batchSize: null, seed: 12);
        var random = new RandomGenerator(502);
        Tensor x = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        Tensor w = TestData.Tensor(random, -1, 1, Batch, Steps, Units);
        float[] zeroOutput = layer.Forward(x, training: true).ToArray();
        var initial = new Tensor[layer.StateCount];
        for (int k = 0; k < initial.Length; k++)
            initial[k] = TestData.Tensor(random, -1, 1, Batch, Units);
        layer.InitialState = initial;
        TestData.AssertDiffer(zeroOutput, layer.Forward(x, training: true).Span, 1e-2, "output with and without an initial state");
        CheckAll(layer, x, null, w);
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gru-reset-before")]
    [InlineData("simple-rnn")]
    public void StatefulCarry_GradientsMatchFiniteDifferences_WithTheCarriedStateHeldConstant(string kind)
    {
        const int batch = 2;
        Recurrent layer = Create(kind, sequences: true, stateful: true, backwards: false, 0, 0);
        Build(layer, batch, seed: 13);
        var random = new RandomGenerator(503);
        Tensor first = TestData.Tensor(random, -2, 2, batch, Steps, Features);
        Tensor second = TestData.Tensor(random, -2, 2, batch, Steps, Features);
        Tensor w = TestData.Tensor(random, -1, 1, batch, Steps, Units);
        float[][] original = TestData.Snapshot(layer.Parameters);
        double Loss()
        {
            float[][] perturbed = TestData.Snapshot(layer.Parameters);
            Assign(layer, original);
            layer.ResetStates();
            layer.Forward(first, training: true);
            Assign(layer, perturbed);
            return TestData.Dot(layer.Forward(second, training: true).Span, w.Span);
        }
        layer.ResetStates();
        layer.Forward(first, training: true);
        TestData.ClearGradients(layer.Parameters);
        float[] fresh = Fresh(layer, second);
        layer.ResetStates();
        layer.Forward(first, training: true);
        TestData.AssertDiffer(fresh, layer.Forward(second, training: true).Span, 1e-2, "output with and without the carried state");
        float[] dx = layer.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(layer.Parameters);
        for (int p = 0; p < layer.Parameters.Count; p++)
            GradientChecker.Check(layer.Parameters[p].Name, layer.Parameters[p].Value, gradients[p], Loss);
        GradientChecker.Check("x", second, dx, Loss);
    }

    private static float[] Fresh(Recurrent layer, Tensor x)
    {
        layer.ResetStates();
        return layer.Forward(x, training: true).ToArray();
    }

    private static void CheckAll(Recurrent layer, Tensor x, Tensor? mask, Tensor w)
    {
        double Loss() => TestData.Dot(layer.Forward(x, mask, training: true).Span, w.Span);
        TestData.ClearGradients(layer.Parameters);
        layer.Forward(x, mask, training: true);
        float[] dx = layer.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(layer.Parameters);
        for (int p = 0; p < layer.Parameters.Count; p++)
            GradientChecker.Check($"{layer.TypeName} {layer.Parameters[p].Name}", layer.Parameters[p].Value, gradients[p], Loss);
        // Masked steps get no input gradient at all; the rest is checked.
        GradientChecker.Check("x", x, dx, Loss);
        if (mask is not null)
        {
            for (int b = 0; b < Batch; b++)
            {
                for (int t = 0; t < Steps; t++)
                {
                    if (mask[b, t] == 0f)
                        Assert.All(dx.AsSpan((b * Steps + t) * Features, Features).ToArray(), g => Assert.Equal(0f, g));
                }
            }
        }
    }

    internal static Recurrent Create(string kind, bool sequences, bool stateful, bool backwards, double dropout, double recurrentDropout) => kind switch
    {
        "gru" => new Gru(Units, sequences, stateful, goBackwards: backwards, dropout: dropout, recurrentDropout: recurrentDropout),
        "gru-reset-before" => new Gru(Units, sequences, stateful, resetAfter: false, goBackwards: backwards, dropout: dropout, recurrentDropout: recurrentDropout),
        "simple-rnn" => new SimpleRnn(Units, returnSequences: sequences, stateful: stateful, goBackwards: backwards, dropout: dropout, recurrentDropout: recurrentDropout),
        "lstm" => new Lstm(Units, sequences, stateful, goBackwards: backwards, dropout: dropout, recurrentDropout: recurrentDropout),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>Builds the layer in a model and spreads its weights so the gates are neither all linear nor all saturated.</summary>
    internal static void Build(Recurrent layer, int? batchSize, long seed)
    {
        var model = new Sequential(SampleShape.Sequence(Steps, Features), batchSize, seed);
        model.Add(layer);
        var random = new RandomGenerator(seed + 1000);
        foreach (ref float v in layer.Parameters[0].Value.Span)
            v *= 1.5f;
        foreach (ref float v in layer.Parameters[1].Value.Span)
            v *= 0.75f;
        TestData.Uniform(random, layer.Parameters[2].Value.Size, -1, 1).CopyTo(layer.Parameters[2].Value.Span);
    }

    internal static Tensor MaskOf(params int[][] rows)
    {
        var m = new Tensor(rows.Length, rows[0].Length);
        for (int b = 0; b < rows.Length; b++)
        {
            for (int t = 0; t < rows[b].Length; t++)
                m[b, t] = rows[b][t];
        }
        return m;
    }

    private static void Assign(Recurrent layer, float[][] values)
    {
        for (int p = 0; p < values.Length; p++)
            layer.Parameters[p].Assign(values[p]);
    }
}
