using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>The README's second library example ("More layers and training controls"), run at its own sizes.</summary>
public sealed class ReadmeSequenceExampleTests
{
    [Fact]
    public void The_encoder_decoder_example_trains_and_returns_the_decoder_states()
    {
        // Inputs: 64 sequences of 8 steps; targets: their last 4 values reversed.
        var random = new RandomGenerator(5);
        var x = new Tensor(64, 8, 1);
        var y = new Tensor(64, 4, 1);
        for (int n = 0; n < 64; n++)
        {
            for (int t = 0; t < 8; t++)
                x[n, t, 0] = (float)random.NextDouble();
            for (int t = 0; t < 4; t++)
                y[n, t, 0] = x[n, 7 - t, 0];
        }
        float[] weights = [.. Enumerable.Range(0, 64).Select(n => n < 32 ? 1f : 2f)];

        var seq2seq = new Sequential(SampleShape.Sequence(timesteps: 8, features: 1), seed: 2);
        seq2seq.Add(new SimpleRnn(16, goBackwards: true));                        // encoder: reads the input from its end
        seq2seq.Add(new RepeatVector(4));                                         // its last h, once per output step
        seq2seq.Add(new Lstm(16, returnSequences: true) { ReturnState = true });  // decoder; its states are read below
        seq2seq.Add(new Dense(1));                                                // per time step
        seq2seq.Compile(Loss.Parse("huber"), new RMSprop(0.01) { ClipNorm = 1 }, "mae");
        History h = seq2seq.Fit(x, y, epochs: 50, batchSize: 16, verbose: 0, sampleWeight: weights,   // one weight per sample
            callbacks: [LearningRateScheduler.StepDecay(0.01, drop: 0.5, epochsPerDrop: 20)]);
        (Tensor forecast, IReadOnlyList<Tensor> states) = seq2seq.PredictWithStates(x);     // states: the decoder's h and c

        Assert.True(h.Loss[^1] < h.Loss[0] / 2, $"loss {h.Loss[0]} -> {h.Loss[^1]}");
        // Provenance (hand): the shapes follow from the README example's batch 64, horizon 4, 16 units; 0.0025 is 0.01 halved twice (after epochs 20 and 40).
        Assert.Equal(new Shape(64, 4, 1), forecast.Shape);
        Assert.Equal([new Shape(64, 16), new Shape(64, 16)], states.Select(s => s.Shape));
        Assert.Equal(0.0025, seq2seq.Optimizer!.LearningRate, 12);   // 0.01 halved after epochs 20 and 40
    }
}
