using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// Gradient checks of <see cref="Lstm"/>: the analytic gradients of its weights and of its input,
/// from <c>Backward</c>, against central finite differences of the scalar loss L = Σ w ⊙ output
/// (w random and fixed), for every recurrent activation, with and without return_sequences, over
/// several time steps and a batch of three; and for a stateful layer whose carried state is a constant.
/// </summary>
public sealed class LstmGradientTests
{
    private const int Batch = 3, Steps = 4, Features = 3, Units = 5;

    // Provenance (hand): a bound: between 10% and 70% of the hard-sigmoid gates sit in the clipped region for the
    // test's input scale.
    [Theory]
    [InlineData(RecurrentActivation.Sigmoid, false)]
    [InlineData(RecurrentActivation.Sigmoid, true)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2, false)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2, true)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3, false)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3, true)]
    public void WeightAndInputGradients_MatchFiniteDifferences(RecurrentActivation activation, bool returnSequences)
    {
        Lstm lstm = Build(activation, returnSequences, stateful: false, batchSize: null, seed: 3);
        var random = new RandomGenerator(101);
        Tensor x = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        Tensor w = returnSequences
            ? TestData.Tensor(random, -1, 1, Batch, Steps, Units)
            : TestData.Tensor(random, -1, 1, Batch, Units);
        double Loss() => TestData.Dot(lstm.Forward(x, training: true).Span, w.Span);

        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(x, training: true);
        float[] dx = lstm.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(lstm.Parameters);

        bool hard = activation != RecurrentActivation.Sigmoid;
        for (int p = 0; p < lstm.Parameters.Count; p++)
            GradientChecker.Check(lstm.Parameters[p].Name, lstm.Parameters[p].Value, gradients[p], Loss, allowKinks: hard);
        GradientChecker.Check("x", x, dx, Loss, allowKinks: hard);

        if (hard)
        {
            // The check must cover both pieces of the hard sigmoid: its slope and its clipped ends.
            ReferenceLstm.Result reference = Reference(lstm, x);
            double fraction = (double)reference.SaturatedGates / reference.Gates;
            Assert.InRange(fraction, 0.1, 0.7);
        }
    }

    [Fact]
    public void BatchAboveEight_TakesThePackedPathsOfTheTransposedProducts_AndStillMatches()
    {
        // With more than 8 rows the recurrent dh·Rᵀ product leaves the dot-product path for the packed one.
        const int batch = 10;
        Lstm lstm = Build(RecurrentActivation.Sigmoid, returnSequences: true, stateful: false, batchSize: null, seed: 4);
        var random = new RandomGenerator(303);
        Tensor x = TestData.Tensor(random, -2, 2, batch, Steps, Features);
        Tensor w = TestData.Tensor(random, -1, 1, batch, Steps, Units);
        double Loss() => TestData.Dot(lstm.Forward(x, training: true).Span, w.Span);
        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(x, training: true);
        float[] dx = lstm.Backward(w, needInputGradient: true)!.ToArray();
        float[][] gradients = TestData.Gradients(lstm.Parameters);
        for (int p = 0; p < lstm.Parameters.Count; p++)
            GradientChecker.Check(lstm.Parameters[p].Name, lstm.Parameters[p].Value, gradients[p], Loss);
        GradientChecker.Check("x", x, dx, Loss);
    }

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3)]
    public void StatefulCarry_GradientsMatchFiniteDifferences_WithTheCarriedStateHeldConstant(RecurrentActivation activation)
    {
        const int batch = 2;
        Lstm lstm = Build(activation, returnSequences: true, stateful: true, batchSize: batch, seed: 5);
        var random = new RandomGenerator(202);
        Tensor first = TestData.Tensor(random, -2, 2, batch, Steps, Features);
        Tensor second = TestData.Tensor(random, -2, 2, batch, Steps, Features);
        Tensor w = TestData.Tensor(random, -1, 1, batch, Steps, Units);
        float[][] original = TestData.Snapshot(lstm.Parameters);

        // The state carried into the second batch, produced with the original weights.
        lstm.Forward(first, training: true);
        float[] carriedH = lstm.StateH.ToArray(), carriedC = lstm.StateC.ToArray();
        Assert.Contains(carriedH, v => Math.Abs(v) > 0.05f);

        // Each finite-difference evaluation restores that same carried state (replaying the first batch
        // with the original weights), then runs the second batch with the perturbed weights.
        double Loss()
        {
            float[][] perturbed = TestData.Snapshot(lstm.Parameters);
            Assign(lstm, original);
            lstm.ResetStates();
            lstm.Forward(first, training: true);
            Assign(lstm, perturbed);
            return TestData.Dot(lstm.Forward(second, training: true).Span, w.Span);
        }

        lstm.ResetStates();
        lstm.Forward(first, training: true);
        TestData.AssertBitEqual(carriedH, lstm.StateH, "replayed carried h");
        TestData.AssertBitEqual(carriedC, lstm.StateC, "replayed carried c");
        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(second, training: true);
        float[] dx = lstm.Backward(w, needInputGradient: true)!.ToArray();
        float[][] carried = TestData.Gradients(lstm.Parameters);

        // The carried state must matter, or this test would only repeat the stateless one.
        lstm.ResetStates();
        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(second, training: true);
        lstm.Backward(w, needInputGradient: false);
        TestData.AssertDiffer(carried[1], lstm.Parameters[1].Gradient.Span, 1e-2, "recurrent kernel gradient with and without carried state");

        bool hard = activation != RecurrentActivation.Sigmoid;
        for (int p = 0; p < lstm.Parameters.Count; p++)
            GradientChecker.Check(lstm.Parameters[p].Name, lstm.Parameters[p].Value, carried[p], Loss, allowKinks: hard);
        GradientChecker.Check("x", second, dx, Loss, allowKinks: hard);
    }

    [Fact]
    public void Backward_AccumulatesIntoParameterGradients()
    {
        Lstm lstm = Build(RecurrentActivation.Sigmoid, returnSequences: false, stateful: false, batchSize: null, seed: 9);
        var random = new RandomGenerator(7);
        Tensor x = TestData.Tensor(random, -1, 1, 2, Steps, Features);
        Tensor w = TestData.Tensor(random, -1, 1, 2, Units);
        TestData.ClearGradients(lstm.Parameters);
        lstm.Forward(x, training: true);
        Assert.Null(lstm.Backward(w, needInputGradient: false));
        float[][] once = TestData.Gradients(lstm.Parameters);
        lstm.Forward(x, training: true);
        lstm.Backward(w, needInputGradient: false);
        for (int p = 0; p < once.Length; p++)
        {
            float[] twice = once[p].Select(g => 2 * g).ToArray();
            TestData.AssertClose(twice, lstm.Parameters[p].Gradient.Span, 1e-6, lstm.Parameters[p].Name);
        }
    }

    /// <summary>A built LSTM with random biases; hard-sigmoid cases get a larger kernel so that many gates clip.</summary>
    internal static Lstm Build(RecurrentActivation activation, bool returnSequences, bool stateful, int? batchSize, long seed)
    {
        var model = new Sequential(SampleShape.Sequence(Steps, Features), batchSize, seed);
        var lstm = new Lstm(Units, returnSequences, stateful, activation);
        model.Add(lstm);
        TestData.SpreadLstmWeights(lstm, activation, new RandomGenerator(seed + 1000));
        return lstm;
    }

    private static ReferenceLstm.Result Reference(Lstm lstm, Tensor x) =>
        ReferenceLstm.Run(x.Span, x.Dim(0), x.Dim(1), x.Dim(2), lstm.Units, lstm.Cell.Kernel.Value.Span,
            lstm.Cell.RecurrentKernel.Value.Span, lstm.Cell.Bias.Value.Span, lstm.RecurrentActivation);

    private static void Assign(Lstm lstm, float[][] values)
    {
        for (int p = 0; p < values.Length; p++)
            lstm.Parameters[p].Assign(values[p]);
    }
}
