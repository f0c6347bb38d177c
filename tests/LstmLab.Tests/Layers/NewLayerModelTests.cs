using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// The new layers inside models: saved and loaded with their options and weights, the functional call with
/// initial state and returned states, stacked GRU/SimpleRNN, and small seeded training runs that must learn.
/// </summary>
public sealed class NewLayerModelTests
{
    [Fact]
    public void SaveAndLoad_KeepsEveryNewLayerAndItsOutputs()
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: 3);
        model.Add(new Masking(-1))
            .Add(new Gru(3, returnSequences: true, resetAfter: false))
            .Add(new Dropout(0.2))
            .Add(new SimpleRnn(4, Activation.Relu, goBackwards: true, returnSequences: true))
            .Add(new Lstm(3, goBackwards: true, dropout: 0.1, recurrentDropout: 0.2))
            .Add(new RepeatVector(2))
            .Add(new Gru(2, returnSequences: true))
            .Add(new Dense(1));
        model.Compile(Loss.Huber, new Adam(), "mae");
        var random = new RandomGenerator(4);
        Tensor x = TestData.Tensor(random, -1, 1, 3, 4, 2);
        string path = Path.Combine(Path.GetTempPath(), $"lstmlab-new-layers-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            Sequential loaded = Sequential.Load(path);
            Assert.Equal(model.Summary(), loaded.Summary());
            var lstm = (Lstm)loaded.Layers[4];
            Assert.True(lstm.GoBackwards);
            Assert.Equal(0.2, lstm.RecurrentDropout);
            Assert.False(((Gru)loaded.Layers[1]).ResetAfter);
            Assert.Equal("huber", loaded.Loss!.Name);
            Assert.Equal(["mae"], loaded.MetricNames);
            TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions after loading");
            // Bidirectional: ModelFileNewLayersTests.
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Call_TakesAnInitialState_AndReturnsTheFinalStates_LikeKerasReturnState()
    {
        var encoder = new Lstm(3, returnSequences: true);
        var model = new Sequential(SampleShape.Sequence(5, 2), seed: 8);
        model.Add(encoder);
        var random = new RandomGenerator(9);
        Tensor x = TestData.Tensor(random, -1, 1, 2, 5, 2);
        RecurrentOutput first = encoder.Call(x);
        Assert.Equal(2, first.States.Count);
        // h is the last output.
        for (int b = 0; b < 2; b++)
        {
            for (int j = 0; j < 3; j++)
                Assert.Equal(first.Output[b, 4, j], first.States[0][b, j]);
        }
        // Continuing from the returned states equals running the two halves as one sequence.
        var part1 = new Tensor(2, 3, 2);
        var part2 = new Tensor(2, 2, 2);
        for (int b = 0; b < 2; b++)
        {
            x.Span.Slice(b * 10, 6).CopyTo(part1.Span.Slice(b * 6, 6));
            x.Span.Slice(b * 10 + 6, 4).CopyTo(part2.Span.Slice(b * 4, 4));
        }
        var free = new Lstm(3, returnSequences: true);
        var other = new Sequential(SampleShape.Sequence(0, 2), seed: 8);
        other.Add(free);
        TestData.CopyWeights(model, other);
        RecurrentOutput a = free.Call(part1);
        RecurrentOutput b2 = free.Call(part2, a.States);
        TestData.AssertClose(first.States[1].Span, b2.States[1].Span, 1e-6, "c after both halves");
        TestData.AssertClose(first.States[0].Span, b2.States[0].Span, 1e-6, "h after both halves");
        Assert.Null(free.InitialState);
        Assert.Throws<ArgumentException>(() => free.Call(part2, [a.States[0]]));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gru-reset-before")]
    [InlineData("simple-rnn")]
    [InlineData("bidirectional")]
    public void Stacked_LearnsToCountOnesInASequence(string kind)
    {
        // Sequence of 6 bits → is the count of ones at least 3? Two stacked recurrent layers.
        var random = new RandomGenerator(17);
        const int samples = 200, steps = 6;
        var x = new Tensor(samples, steps, 1);
        var y = new Tensor(samples, 1);
        for (int s = 0; s < samples; s++)
        {
            int ones = 0;
            for (int t = 0; t < steps; t++)
            {
                int bit = random.NextInt(2);
                x[s, t, 0] = bit;
                ones += bit;
            }
            y[s, 0] = ones >= 3 ? 1f : 0f;
        }
        var model = new Sequential(SampleShape.Sequence(steps, 1), seed: 5);
        Layer First() => kind switch
        {
            "gru" => new Gru(8, returnSequences: true),
            "gru-reset-before" => new Gru(8, returnSequences: true, resetAfter: false),
            "simple-rnn" => new SimpleRnn(8, returnSequences: true),
            _ => new Bidirectional(new Gru(6, returnSequences: true)),
        };
        model.Add(First()).Add(kind == "simple-rnn" ? new SimpleRnn(8) : new Gru(8)).Add(new Dense(1, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, new Adam(0.02), "accuracy");
        model.Fit(x, y, epochs: 40, batchSize: 20, verbose: 0);
        double accuracy = model.Evaluate(x, y).Accuracy!.Value;
        Assert.True(accuracy >= 0.95, $"{kind}: accuracy {accuracy}");
    }
}
