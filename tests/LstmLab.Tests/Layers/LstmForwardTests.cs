using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// The forward pass of <see cref="Lstm"/> against a plain double-precision LSTM written from the
/// Keras equations, for each recurrent activation, with and without return_sequences and carried
/// state; and the errors the layer raises for shapes it cannot take.
/// </summary>
public sealed class LstmForwardTests
{
    private const int Batch = 3, Steps = 5, Features = 2, Units = 7;

    [Theory]
    [InlineData(RecurrentActivation.Sigmoid)]
    [InlineData(RecurrentActivation.HardSigmoidKeras2)]
    [InlineData(RecurrentActivation.HardSigmoidKeras3)]
    public void Outputs_MatchDoublePrecisionReference(RecurrentActivation activation)
    {
        var random = new RandomGenerator(41);
        (Sequential sequences, Lstm all) = Build(activation, returnSequences: true, stateful: false);
        (Sequential lasts, Lstm last) = Build(activation, returnSequences: false, stateful: false);
        TestData.Uniform(random, 4 * Units, -1, 1).CopyTo(all.Cell.Bias.Value.Span);
        TestData.CopyWeights(sequences, lasts);
        Tensor x = TestData.Tensor(random, -3, 3, Batch, Steps, Features);

        ReferenceLstm.Result reference = ReferenceLstm.Run(x.Span, Batch, Steps, Features, Units,
            all.Cell.Kernel.Value.Span, all.Cell.RecurrentKernel.Value.Span, all.Cell.Bias.Value.Span, activation);
        Tensor y = all.Forward(x, training: false);
        Assert.Equal(new Shape(Batch, Steps, Units), y.Shape);
        TestData.AssertClose(reference.Outputs.Select(v => (float)v).ToArray(), y.Span, 2e-6, "h_t for every t");

        Tensor final = last.Forward(x, training: false);
        Assert.Equal(new Shape(Batch, Units), final.Shape);
        TestData.AssertClose(reference.FinalH.Select(v => (float)v).ToArray(), final.Span, 2e-6, "last h");
    }

    [Fact]
    public void StatefulLayer_CarriesTheReferenceFinalState_AndStartsTheNextBatchFromIt()
    {
        var random = new RandomGenerator(43);
        (_, Lstm lstm) = Build(RecurrentActivation.Sigmoid, returnSequences: true, stateful: true, batchSize: Batch);
        Tensor first = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        Tensor second = TestData.Tensor(random, -2, 2, Batch, Steps, Features);
        ReadOnlySpan<float> k = lstm.Cell.Kernel.Value.Span, r = lstm.Cell.RecurrentKernel.Value.Span, b = lstm.Cell.Bias.Value.Span;

        Assert.All(lstm.StateH.ToArray(), v => Assert.Equal(0f, v));
        lstm.Forward(first, training: false);
        ReferenceLstm.Result one = ReferenceLstm.Run(first.Span, Batch, Steps, Features, Units, k, r, b, RecurrentActivation.Sigmoid);
        TestData.AssertClose(one.FinalH.Select(v => (float)v).ToArray(), lstm.StateH, 2e-6, "carried h");
        TestData.AssertClose(one.FinalC.Select(v => (float)v).ToArray(), lstm.StateC, 2e-6, "carried c");

        Tensor y = lstm.Forward(second, training: false);
        float[] h0 = one.FinalH.Select(v => (float)v).ToArray(), c0 = one.FinalC.Select(v => (float)v).ToArray();
        ReferenceLstm.Result two = ReferenceLstm.Run(second.Span, Batch, Steps, Features, Units, k, r, b, RecurrentActivation.Sigmoid, h0, c0);
        TestData.AssertClose(two.Outputs.Select(v => (float)v).ToArray(), y.Span, 4e-6, "second batch from carried state");

        lstm.ResetStates();
        Assert.All(lstm.StateH.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(lstm.StateC.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Forward_RejectsWrongFeaturesOrTimesteps_NamingBothShapes()
    {
        (_, Lstm lstm) = Build(RecurrentActivation.Sigmoid, returnSequences: false, stateful: false);
        var features = Assert.Throws<ArgumentException>(() => lstm.Forward(new Tensor(2, Steps, Features + 1), training: false));
        Assert.Contains($"(batch, {Steps}, {Features})", features.Message, StringComparison.Ordinal);
        Assert.Contains($"(2, {Steps}, {Features + 1})", features.Message, StringComparison.Ordinal);
        var steps = Assert.Throws<ArgumentException>(() => lstm.Forward(new Tensor(2, Steps + 1, Features), training: false));
        Assert.Contains($"(2, {Steps + 1}, {Features})", steps.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => lstm.Forward(new Tensor(2, Features), training: false));
    }

    [Fact]
    public void Build_RejectsVectorInputs_AndStatefulWithoutBatchSize()
    {
        var vectors = new Sequential(SampleShape.Vector(3));
        var notSequence = Assert.Throws<ArgumentException>(() => vectors.Add(new Lstm(2)));
        Assert.Contains("(3,)", notSequence.Message, StringComparison.Ordinal);
        var noBatch = new Sequential(SampleShape.Sequence(1, 3));
        var stateful = Assert.Throws<ArgumentException>(() => noBatch.Add(new Lstm(2, stateful: true)));
        Assert.Contains("batch size", stateful.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(0));
    }

    [Fact]
    public void AnyLengthInput_AcceptsDifferentTimestepsPerCall()
    {
        var model = new Sequential(SampleShape.Sequence(0, Features), seed: 4);
        var lstm = new Lstm(Units, returnSequences: true);
        model.Add(lstm);
        var random = new RandomGenerator(44);
        foreach (int steps in new[] { 1, 6, 2 })
        {
            Tensor x = TestData.Tensor(random, -1, 1, 2, steps, Features);
            Tensor y = lstm.Forward(x, training: false);
            Assert.Equal(new Shape(2, steps, Units), y.Shape);
            ReferenceLstm.Result reference = ReferenceLstm.Run(x.Span, 2, steps, Features, Units, lstm.Cell.Kernel.Value.Span,
                lstm.Cell.RecurrentKernel.Value.Span, lstm.Cell.Bias.Value.Span, RecurrentActivation.Sigmoid);
            TestData.AssertClose(reference.Outputs.Select(v => (float)v).ToArray(), y.Span, 2e-6, $"{steps} steps");
        }
    }

    private static (Sequential Model, Lstm Lstm) Build(RecurrentActivation activation, bool returnSequences, bool stateful, int? batchSize = null)
    {
        var model = new Sequential(SampleShape.Sequence(Steps, Features), batchSize, seed: 17);
        var lstm = new Lstm(Units, returnSequences, stateful, activation);
        model.Add(lstm);
        return (model, lstm);
    }
}
