using System.Diagnostics;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.LongLag;

/// <summary>One trial's outcome.</summary>
/// <param name="Seed">The trial's seed (weights, training stream, test sets).</param>
/// <param name="Solved">Whether the criterion was met within the sequence budget.</param>
/// <param name="SequencesToSuccess">Training sequences presented before success (see <see cref="SuccessCriterion"/>), or null.</param>
/// <param name="SequencesTrained">Training sequences presented in all.</param>
/// <param name="Seconds">Wall-clock time of the trial.</param>
/// <param name="Progress">How close an unsolved trial came (the criterion's words).</param>
public sealed record LongLagTrial(long Seed, bool Solved, long? SequencesToSuccess, long SequencesTrained, double Seconds, string Progress);

/// <summary>Trains the network of <see cref="LongLagOptions"/> on a task and judges it with the task's criterion.</summary>
public static class LongLagRunner
{
    /// <summary>LSTM(units, return_sequences when the task has a target at every step) → Dense(outputs, the task's activation), compiled with the task's loss.</summary>
    public static Sequential BuildModel(LongLagTask task, LongLagOptions options, long seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        var model = new Sequential(SampleShape.Sequence(0, task.Inputs), batchSize: 1, seed: seed);
        var lstm = new Lstm(options.Units, returnSequences: task.TargetAtEveryStep);
        model.Add(lstm);
        if (options.ForgetBias is double forgetBias)
            GateBiasInit.SetForgetBias(lstm, forgetBias);
        if (options.Chrono is double tMax)
            GateBiasInit.Chrono(lstm, tMax, new RandomGenerator(RandomGenerator.DeriveSeed(seed, "long-lag-chrono")));
        (Activation activation, Loss loss) = task.Output switch
        {
            LongLagOutput.Sigmoid => (Activation.Sigmoid, Loss.BinaryCrossentropy),
            LongLagOutput.Softmax => (Activation.Softmax, Loss.CategoricalCrossentropy),
            _ => (Activation.Linear, Loss.MeanSquaredError),
        };
        model.Add(new Dense(task.Outputs, activation));
        model.Compile(loss, options.Optimizer.Create());
        return model;
    }

    /// <summary>
    /// One trial with seed <paramref name="seed"/>: each training sequence is run forward for the criterion
    /// (the output before the update), then trained on (one update); every criterion interval the criterion
    /// tests the network on its own data. <paramref name="onSequences"/> is told of every 100 sequences trained.
    /// </summary>
    public static LongLagTrial RunTrial(LongLagOptions options, long seed, Action<long>? onSequences = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        LongLagTask task = options.CreateTask();   // one per trial: a task may hold per-trial data (Reber's sets)
        SuccessCriterion criterion = task.NewCriterion(seed);
        Sequential model = BuildModel(task, options, seed);
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "long-lag-train"));
        var x = new Tensor(0);
        var y = new Tensor(0);
        float[] Predict(LongLagSequence s)
        {
            Load(task, s, x, y);
            return model.Predict(x).ToArray();
        }
        ExponentialDecay? decay = options.LearningRateDecay?.Schedule(model.Optimizer!.LearningRate);
        float[] weights = [];
        long reported = 0;
        while (criterion.Seen < options.MaxSequences && !criterion.Solved)
        {
            cancel.ThrowIfCancellationRequested();
            LongLagSequence sequence = task.Generate(random);
            Load(task, sequence, x, y);
            criterion.Observe(sequence, model.Predict(x).Span);
            if (criterion.Solved)
                break;
            if (decay is not null)
                model.Optimizer!.LearningRate = decay.At(model.Optimizer.Iterations);
            if (options.RecallWeight is double recall)
                weights = RecallWeights(weights, sequence.Length, task.RecallSteps, (float)recall);
            model.TrainOnBatch(x, y, weights);
            if (criterion.EvaluationInterval > 0 && criterion.Seen % criterion.EvaluationInterval == 0)
                criterion.Evaluate(Predict);
            if (criterion.Seen - reported >= 100)
            {
                onSequences?.Invoke(criterion.Seen - reported);
                reported = criterion.Seen;
            }
        }
        onSequences?.Invoke(options.MaxSequences - reported);
        return new LongLagTrial(seed, criterion.Solved, criterion.SequencesToSuccess, criterion.Seen, clock.Elapsed.TotalSeconds, criterion.Progress);
    }

    /// <summary>Per-step weights (Keras's temporal sample_weight of one sample): 1, and <paramref name="recall"/> on the last <paramref name="recallSteps"/> steps; reuses <paramref name="buffer"/> when the length is unchanged.</summary>
    internal static float[] RecallWeights(float[] buffer, int length, int recallSteps, float recall)
    {
        if (buffer.Length == length)
            return buffer;
        var weights = new float[length];
        Array.Fill(weights, 1f);
        weights.AsSpan(Math.Max(0, length - recallSteps)).Fill(recall);
        return weights;
    }

    /// <summary>Copies a sequence into the (1, length, features) input and its (1, length, outputs) or (1, outputs) target.</summary>
    private static void Load(LongLagTask task, LongLagSequence s, Tensor x, Tensor y)
    {
        x.Reshape(1, s.Length, task.Inputs);
        s.Inputs.AsSpan(0, s.Length * task.Inputs).CopyTo(x.Span);
        if (task.TargetAtEveryStep)
            y.Reshape(1, s.Length, task.Outputs);
        else
            y.Reshape(1, task.Outputs);
        s.Targets.AsSpan(0, y.Size).CopyTo(y.Span);
    }
}
