using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// Keras's temporal <c>sample_weight</c> (shape (samples, timesteps) for a sequence output): each (sample, step)'s
/// loss is multiplied by its weight and the loss stays Σ w·L / (samples · steps) (Keras 3's
/// <c>sum_over_batch_size</c>). The expected loss and its gradient are computed here from the model's predictions
/// with the binary cross-entropy formula written out, not by the engine's weighted loss.
/// </summary>
public sealed class TemporalSampleWeightTests
{
    private const int Samples = 3, Steps = 4, Features = 2, Outputs = 2;

    private static (Sequential Model, Tensor X, Tensor Y) Build(Optimizer optimizer)
    {
        var random = new RandomGenerator(71);
        var model = new Sequential(SampleShape.Sequence(Steps, Features), seed: 72);
        model.Add(new Lstm(3, returnSequences: true)).Add(new Dense(Outputs, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, optimizer);
        Tensor x = TestData.Tensor(random, -2, 2, Samples, Steps, Features);
        var y = new Tensor(Samples, Steps, Outputs);
        for (int i = 0; i < y.Size; i++)
            y.Span[i] = random.NextInt(2);
        return (model, x, y);
    }

    // Provenance (hand): arbitrary weights, the last step of each sample weighted most, one step weighted 0.
    private static readonly float[] Weights = [1f, 1f, 1f, 10f, 0.5f, 0f, 2f, 10f, 1f, 3f, 1f, 10f];

    /// <summary>Σ over (sample, step) of w · mean over outputs of −[y ln p + (1 − y) ln(1 − p)], / (samples · steps), in double; p clipped to [1e-7, 1 − 1e-7] as Keras.</summary>
    private static double WeightedBce(Sequential model, Tensor x, Tensor y, ReadOnlySpan<float> weights)
    {
        Tensor p = model.Predict(x);
        double sum = 0;
        for (int r = 0; r < Samples * Steps; r++)
        {
            double row = 0;
            for (int o = 0; o < Outputs; o++)
            {
                double q = Math.Clamp(p.Span[r * Outputs + o], 1e-7, 1 - 1e-7), t = y.Span[r * Outputs + o];
                row -= t * Math.Log(q) + (1 - t) * Math.Log(1 - q);
            }
            sum += weights[r] * row / Outputs;
        }
        return sum / (Samples * Steps);
    }

    [Fact]
    public void The_loss_is_the_weighted_mean_over_every_sample_and_step()
    {
        (Sequential model, Tensor x, Tensor y) = Build(new FrozenOptimizer());
        double expected = WeightedBce(model, x, y, Weights);
        Assert.Equal(expected, model.TrainOnBatch(x, y, Weights), 5);
        (Sequential fitted, _, _) = Build(new FrozenOptimizer());
        History history = fitted.Fit(x, y, epochs: 1, batchSize: Samples, shuffle: false, verbose: 0, sampleWeight: Weights);
        Assert.Equal(expected, history.Loss[0], 5);
    }

    [Fact]
    public void The_parameter_gradients_match_finite_differences_of_the_weighted_loss()
    {
        (Sequential model, Tensor x, Tensor y) = Build(new FrozenOptimizer());
        model.TrainOnBatch(x, y, Weights);
        float[][] gradients = TestData.Gradients(model.Parameters);
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            Parameter parameter = model.Parameters[p];
            GradientChecker.Check($"temporal weights #{p} {parameter.Name}", parameter.Value, gradients[p], () => WeightedBce(model, x, y, Weights), absoluteTolerance: 1e-4);
        }
    }

    [Fact]
    public void A_step_of_weight_zero_teaches_nothing_and_one_weight_per_step_equal_to_the_samples_is_the_per_sample_weight()
    {
        // Changing the target of the one zero-weight step (sample 1, step 1) changes no bit of the training.
        (Sequential a, Tensor x, Tensor y) = Build(new Adam(0.05));
        (Sequential b, _, _) = Build(new Adam(0.05));
        Tensor other = y.Clone();
        other[1, 1, 0] = 1 - other[1, 1, 0];
        a.Fit(x, y, epochs: 4, batchSize: 2, verbose: 0, sampleWeight: Weights);
        b.Fit(x, other, epochs: 4, batchSize: 2, verbose: 0, sampleWeight: Weights);
        TestData.AssertBitEqual(a.Parameters[0].Value.Span, b.Parameters[0].Value.Span, "kernel");

        // Weights constant over each sample's steps train exactly as Keras's one weight per sample.
        float[] perSample = [0.5f, 2f, 1.5f];
        float[] perStep = new float[Samples * Steps];
        for (int r = 0; r < perStep.Length; r++)
            perStep[r] = perSample[r / Steps];
        (Sequential c, _, _) = Build(new Adam(0.05));
        (Sequential d, _, _) = Build(new Adam(0.05));
        History hc = c.Fit(x, y, epochs: 4, batchSize: 2, verbose: 0, sampleWeight: perSample);
        History hd = d.Fit(x, y, epochs: 4, batchSize: 2, verbose: 0, sampleWeight: perStep);
        Assert.Equal(hc.Loss, hd.Loss);
        TestData.AssertBitEqual(c.Parameters[0].Value.Span, d.Parameters[0].Value.Span, "kernel");
    }

    [Fact]
    public void Weights_that_are_neither_one_per_sample_nor_one_per_step_or_not_finite_are_refused()
    {
        (Sequential model, Tensor x, Tensor y) = Build(new FrozenOptimizer());
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.TrainOnBatch(x, y, new float[Samples * Steps - 1]));
        Assert.Contains("expected 3 (one per sample) or 3 × 4 = 12 (one per sample and time step)", e.Message, StringComparison.Ordinal);
        float[] bad = (float[])Weights.Clone();
        bad[5] = float.NaN;
        Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, sampleWeight: bad));
        Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, sampleWeight: Weights, classWeight: new Dictionary<int, double> { [0] = 2 }));
    }
}
