using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// Truncated BPTT (<see cref="Sequential.FitTruncated"/>): every window's gradient against central finite
/// differences of that window's loss, with the state carried in from the windows before it held fixed
/// (the definition of the truncation); plus equivalence with full BPTT when the window covers the sequence.
/// </summary>
public sealed class TruncatedBpttTests
{
    private const int Batch = 2, Steps = 7, Features = 3, Units = 4, Outputs = 2, Window = 3;

    [Fact]
    public void EveryWindowGradient_MatchesFiniteDifferencesWithTheCarriedStateHeldFixed()
    {
        Sequential model = Build(out Lstm lstm);
        var recorder = new RecordingOptimizer();
        model.Compile(Loss.MeanSquaredError, recorder);
        var random = new RandomGenerator(402);
        Tensor x = TestData.Tensor(random, -1, 1, Batch, Steps, Features);
        Tensor y = TestData.Tensor(random, -1, 1, Batch, Steps, Outputs);
        model.FitTruncated(x, y, Window);
        Assert.Equal(3, recorder.Steps.Count);  // windows [0,3), [3,6), [6,7)

        for (int w = 0; w < recorder.Steps.Count; w++)
        {
            int start = w * Window, length = Math.Min(Window, Steps - start);
            Tensor before = Slice(x, 0, start), wx = Slice(x, start, length), wy = Slice(y, start, length);
            for (int p = 0; p < model.Parameters.Count; p++)
            {
                Parameter parameter = model.Parameters[p];
                float[] original = parameter.Value.Span.ToArray();
                // The loss of window w as a function of the weights inside it: the earlier windows run at the
                // unperturbed weights (the carried state is a constant to the truncated gradient).
                double WindowLoss()
                {
                    float[] moved = parameter.Value.Span.ToArray();
                    parameter.Assign(original);
                    model.ResetStates();
                    if (start > 0)
                        model.Predict(before);
                    parameter.Assign(moved);
                    return model.Evaluate(wx, wy).Loss;
                }
                GradientChecker.Check($"window {w} {parameter.Name}", parameter.Value.Span, recorder.Steps[w][p], WindowLoss);
            }
        }
    }

    [Fact]
    public void CarriedState_ChangesTheWindowGradient()
    {
        // Without the carry, windows after the first would start from zero: their gradient would differ.
        Sequential model = Build(out _);
        var recorder = new RecordingOptimizer();
        model.Compile(Loss.MeanSquaredError, recorder);
        var random = new RandomGenerator(402);
        Tensor x = TestData.Tensor(random, -1, 1, Batch, Steps, Features);
        Tensor y = TestData.Tensor(random, -1, 1, Batch, Steps, Outputs);
        model.FitTruncated(x, y, Window);
        Sequential fresh = Build(out _);
        var alone = new RecordingOptimizer();
        fresh.Compile(Loss.MeanSquaredError, alone);
        fresh.TrainOnBatch(Slice(x, Window, Window), Slice(y, Window, Window));
        TestData.AssertDiffer(alone.Steps[0][0], recorder.Steps[1][0], 1e-4, "kernel gradient of window 1");
    }

    [Fact]
    public void WindowCoveringTheSequence_IsFullBptt()
    {
        var random = new RandomGenerator(403);
        Tensor x = TestData.Tensor(random, -1, 1, Batch, Steps, Features);
        Tensor y = TestData.Tensor(random, -1, 1, Batch, Steps, Outputs);
        Sequential truncated = Build(out _), full = Build(out _, stateful: false);
        var a = new RecordingOptimizer();
        var b = new RecordingOptimizer();
        truncated.Compile(Loss.MeanSquaredError, a);
        full.Compile(Loss.MeanSquaredError, b);
        truncated.FitTruncated(x, y, Steps);
        full.TrainOnBatch(x, y);
        for (int p = 0; p < a.Steps[0].Length; p++)
            TestData.AssertClose(b.Steps[0][p], a.Steps[0][p], 1e-6, $"parameter {p}");
    }

    [Fact]
    public void Misuse_IsRejectedWithTheReason()
    {
        var random = new RandomGenerator(404);
        Tensor x = TestData.Tensor(random, -1, 1, Batch, Steps, Features);
        Tensor y = TestData.Tensor(random, -1, 1, Batch, Steps, Outputs);
        Sequential stateless = Build(out _, stateful: false);
        stateless.Compile(Loss.MeanSquaredError, new Sgd());
        Assert.Contains("stateful", Assert.Throws<ArgumentException>(() => stateless.FitTruncated(x, y, 3)).Message, StringComparison.Ordinal);
        Sequential model = Build(out _);
        model.Compile(Loss.MeanSquaredError, new Sgd());
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FitTruncated(x, y, 0));
    }

    private static Sequential Build(out Lstm lstm, bool stateful = true)
    {
        var model = new Sequential(SampleShape.Sequence(0, Features), batchSize: Batch, seed: 401);
        lstm = new Lstm(Units, returnSequences: true, stateful: stateful);
        model.Add(lstm).Add(new Dense(Outputs, Activation.Tanh));
        TestData.SpreadLstmWeights(lstm, RecurrentActivation.Sigmoid, new RandomGenerator(4010));
        return model;
    }

    private static Tensor Slice(Tensor source, int start, int length)
    {
        int n = source.Shape[0], steps = source.Shape[1], f = source.Shape[2];
        var result = new Tensor(n, length, f);
        for (int b = 0; b < n; b++)
            source.Span.Slice((b * steps + start) * f, length * f).CopyTo(result.Span.Slice(b * length * f, length * f));
        return result;
    }

    /// <summary>Leaves the weights alone and keeps a copy of every gradient it is given, update by update.</summary>
    private sealed class RecordingOptimizer : Optimizer
    {
        public RecordingOptimizer()
            : base(1.0)
        {
        }

        public List<float[][]> Steps { get; } = [];

        public override string Name => "recording";

        protected override int SlotCount => 0;

        protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
        {
            if (Steps.Count < step)
                Steps.Add([]);
            Steps[(int)step - 1] = [.. Steps[(int)step - 1], gradient.ToArray()];  // parameters arrive in order
        }

        internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>();
    }
}
