using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

// Provenance (whole file) (hand): inverted dropout scales kept values by 1/(1 − rate) (2/0.7); 4000 Bernoulli(0.3)
// draws have mean 1200 and sd 29, so ±145 is 5 sd; the samples dropped whole lie in a wide binomial band around their
// mean (16..48); the accuracy bound is an outcome threshold.

/// <summary>
/// <see cref="Dropout"/>, the recurrent layers' dropout / recurrent_dropout and <see cref="RepeatVector"/>:
/// inverted scaling, the fraction dropped, off outside training, one mask per sample reused at every time
/// step, the same masks from the same seed, and gradient checks with the mask held fixed.
/// </summary>
public sealed class DropoutTests
{
    [Fact]
    public void Dropout_DropsAboutTheRate_ScalesTheRest_AndIsOffOutsideTraining()
    {
        var model = new Sequential(SampleShape.Vector(1000), seed: 5);
        var dropout = new Dropout(0.3);
        model.Add(dropout);
        var x = new Tensor(4, 1000);
        x.Span.Fill(2f);
        ReadOnlySpan<float> y = dropout.Forward(x, training: true).Span;
        int zeros = 0;
        foreach (float v in y)
        {
            if (v == 0f)
                zeros++;
            else
                Assert.Equal(2f / 0.7f, v, 1e-6f);
        }
        // 4000 Bernoulli(0.3) draws: mean 1200, sd 29; ±5 sd.
        Assert.InRange(zeros, 1200 - 145, 1200 + 145);
        TestData.AssertBitEqual(x.Span, dropout.Forward(x, training: false).Span, "inference output");
        TestData.AssertBitEqual(x.Span, model.Predict(x).Span, "predict");
    }

    [Fact]
    public void Dropout_SameSeedSameMasks_OtherSeedOtherMasks()
    {
        float[] Masks(long seed)
        {
            var model = new Sequential(SampleShape.Vector(64), seed: seed);
            var dropout = new Dropout(0.5);
            model.Add(dropout);
            var x = new Tensor(2, 64);
            x.Span.Fill(1f);
            return [.. dropout.Forward(x, training: true).ToArray(), .. dropout.Forward(x, training: true).ToArray()];
        }
        TestData.AssertBitEqual(Masks(7), Masks(7), "masks from seed 7");
        TestData.AssertDiffer(Masks(7), Masks(8), 0.5, "masks from seeds 7 and 8");
    }

    [Fact]
    public void Dropout_GradientMatchesFiniteDifferences_WithAFixedMask()
    {
        var model = new Sequential(SampleShape.Sequence(3, 4), seed: 9);
        var dropout = new Dropout(0.4) { ReuseMask = true };
        model.Add(dropout);
        var random = new RandomGenerator(77);
        Tensor x = TestData.Tensor(random, -1, 1, 2, 3, 4);
        Tensor w = TestData.Tensor(random, -1, 1, 2, 3, 4);
        double Loss() => TestData.Dot(dropout.Forward(x, training: true).Span, w.Span);
        dropout.Forward(x, training: true);
        float[] dx = dropout.Backward(w, needInputGradient: true)!.ToArray();
        Assert.Contains(0f, dx);
        GradientChecker.Check("x", x, dx, Loss);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("simple-rnn")]
    public void RecurrentDropout_OneMaskPerSample_ReusedAcrossSteps_OffInPredict(string kind)
    {
        // With dropout 0.5 on a one-feature input, a sample whose single input unit is dropped sees zeros at
        // every step (one mask per sample); a kept one sees its inputs doubled at every step.
        Recurrent layer = RecurrentGradientTests.Create(kind, sequences: true, stateful: false, backwards: false, dropout: 0.5, recurrentDropout: 0);
        var model = new Sequential(SampleShape.Sequence(6, 1), seed: 31);
        model.Add(layer);
        var x = new Tensor(64, 6, 1);
        var random = new RandomGenerator(3);
        TestData.Uniform(random, x.Size, 0.5, 1.5).CopyTo(x.Span);
        var zero = new Tensor(64, 6, 1);
        var doubled = new Tensor(64, 6, 1);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Span, 2f, doubled.Span);
        float[] training = layer.Forward(x, training: true).ToArray();
        float[] fromZero = layer.Forward(zero, training: false).ToArray();
        float[] fromDoubled = layer.Forward(doubled, training: false).ToArray();
        int dropped = 0;
        int row = 6 * layer.Units;
        for (int b = 0; b < 64; b++)
        {
            ReadOnlySpan<float> t = training.AsSpan(b * row, row);
            bool isZero = t.SequenceEqual(fromZero.AsSpan(b * row, row));
            bool isDoubled = t.SequenceEqual(fromDoubled.AsSpan(b * row, row));
            Assert.True(isZero ^ isDoubled, $"sample {b}: neither all steps dropped nor all kept");
            dropped += isZero ? 1 : 0;
        }
        Assert.InRange(dropped, 16, 48);
        float[] inference = layer.Forward(x, training: false).ToArray();
        TestData.AssertBitEqual(inference, model.Predict(x, batchSize: 64).Span, "predict is the layer without dropout");
    }

    [Fact]
    public void RepeatVector_RepeatsAndSumsItsGradient()
    {
        var model = new Sequential(SampleShape.Vector(3), seed: 1);
        var repeat = new RepeatVector(4);
        model.Add(repeat);
        Assert.Equal(SampleShape.Sequence(4, 3), repeat.OutputShape);
        var random = new RandomGenerator(8);
        Tensor x = TestData.Tensor(random, -1, 1, 2, 3);
        Tensor w = TestData.Tensor(random, -1, 1, 2, 4, 3);
        Tensor y = repeat.Forward(x, training: false);
        for (int t = 0; t < 4; t++)
            Assert.Equal(x[1, 2], y[1, t, 2]);
        double Loss() => TestData.Dot(repeat.Forward(x, training: true).Span, w.Span);
        repeat.Forward(x, training: true);
        GradientChecker.Check("x", x, repeat.Backward(w, needInputGradient: true)!.ToArray(), Loss);
    }

    [Fact]
    public void EncoderDecoder_WithRepeatVector_LearnsToReverseAShortSequence()
    {
        // LSTM encoder -> RepeatVector(3) -> LSTM decoder (return_sequences) -> Dense: reverse 3 one-hot values.
        var random = new RandomGenerator(12);
        const int samples = 60, steps = 3, classes = 4;
        var x = new Tensor(samples, steps, classes);
        var y = new Tensor(samples, steps, classes);
        for (int s = 0; s < samples; s++)
        {
            for (int t = 0; t < steps; t++)
            {
                int v = random.NextInt(classes);
                x[s, t, v] = 1f;
                y[s, steps - 1 - t, v] = 1f;
            }
        }
        var model = new Sequential(SampleShape.Sequence(steps, classes), seed: 4);
        model.Add(new Lstm(16)).Add(new RepeatVector(steps)).Add(new Lstm(16, returnSequences: true)).Add(new Dense(classes, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01), "accuracy");
        model.Fit(x, y, epochs: 150, batchSize: 20, verbose: 0);
        Assert.True(model.Evaluate(x, y).Accuracy >= 0.95, $"accuracy {model.Evaluate(x, y).Accuracy}");
    }
}
