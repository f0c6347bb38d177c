using System.Diagnostics;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Recipes;

/// <summary>The network of a memory run.</summary>
public enum MemoryModel
{
    /// <summary>The tutorial's LSTM.</summary>
    Lstm,

    /// <summary>
    /// A Dense-only network, Dense(units, relu) → Dense(alphabet, sigmoid), given the same one-hot inputs
    /// (one value per sample, no time axis). It has no memory, so it cannot tell the two sequences apart
    /// at the last step: the tutorial's claim made visible.
    /// </summary>
    Mlp,
}

/// <summary>
/// Settings of the memory demonstration (seed tutorial 000). The defaults are the tutorial's run;
/// the init-only settings are its extensions.
/// </summary>
/// <param name="Epochs">Training epochs; each epoch fits both sequences once.</param>
/// <param name="Units">LSTM units.</param>
/// <param name="Seed">Seed of the weights (and of anything else random).</param>
/// <param name="RecurrentActivation">The LSTM's gate activation.</param>
public sealed record MemoryOptions(
    int Epochs = 250,
    int Units = 20,
    long Seed = 1,
    RecurrentActivation RecurrentActivation = RecurrentActivation.Sigmoid)
{
    /// <summary>The values are 0 .. Alphabet-1: the two first (and last) values are Alphabet-2 and Alphabet-1, the middle uses the others.</summary>
    public int Alphabet { get; init; } = 5;

    /// <summary>
    /// Values per sequence P: (x, a_1 .. a_{P-2}, x) and (y, a_1 .. a_{P-2}, y), so the value to recall lies
    /// P-1 steps back. The tutorial's 3,0,1,2,3 has P = 5.
    /// </summary>
    public int Length { get; init; } = 5;

    /// <summary>
    /// Draw a fresh random middle (shared by both sequences) every epoch, instead of the fixed 0, 1, 2, …
    /// (repeating over the middle values). A random middle cannot be predicted, so success then means
    /// recalling the first value at the last step of both sequences.
    /// </summary>
    public bool RandomMiddle { get; init; }

    /// <summary>
    /// One update per sequence instead of one per step. A Keras user has two ways: fit the P-1 steps as one
    /// batch of P-1 one-step samples, or as one sample of P-1 time steps with return_sequences=True and a
    /// per-step Dense. The first cannot work for a stateful LSTM: the samples of a batch are parallel
    /// streams, so no sample's state comes from the step before it (the comments under the tutorial report
    /// exactly this failure with batch 4). We take the second: one sample (1, P-1, alphabet), a stateless
    /// LSTM with return_sequences, full back-propagation through all P-1 steps, one update per sequence.
    /// </summary>
    public bool BatchLearning { get; init; }

    /// <summary>Fit the two sequences in a random order each epoch (the tutorial always fits sequence 1 first).</summary>
    public bool Shuffle { get; init; }

    /// <summary>The network: the tutorial's LSTM or a memoryless MLP.</summary>
    public MemoryModel Model { get; init; } = MemoryModel.Lstm;

    /// <summary>The optimizer, its learning rate and clipping (default: Keras's Adam, as the tutorial).</summary>
    public OptimizerSettings Optimizer { get; init; } = new();

    /// <summary>
    /// A decay of the learning rate (Keras's ExponentialDecay over the optimizer's updates), set before each
    /// sequence is fitted from the updates so far; null (default): a constant rate.
    /// </summary>
    public LongLag.LearningRateDecay? LearningRateDecay { get; init; }

    /// <summary>
    /// Truncated BPTT in windows of this many steps (implies <see cref="BatchLearning"/>): each sequence is one
    /// sample through a stateful LSTM with return_sequences, one update per window, the state carried from
    /// window to window (<see cref="Sequential.FitTruncated"/>); null (default) for full BPTT. A window shorter
    /// than P − 1 cuts the gradient from the last step back to the first value.
    /// </summary>
    public int? Tbptt { get; init; }

    /// <summary>
    /// The LSTM's initial forget-gate bias (Keras: a bias_initializer that puts this value in the forget slice);
    /// null (default) for Keras's unit_forget_bias, 1. With bias b the cell keeps σ(b) of its content per step at
    /// the start, σ(1)⁹⁸ ≈ 1e-13 of it over P = 100 steps but σ(5)⁹⁸ ≈ 0.5: a larger b lets the first gradients
    /// reach back (Gers et al. 2000; Jozefowicz et al. 2015).
    /// </summary>
    public double? ForgetBias { get; init; }

    /// <summary>
    /// Chrono initialization of the LSTM's gate biases with this T_max (<see cref="LongLag.GateBiasInit.Chrono"/>:
    /// forget biases ln U[1, T_max − 1] per unit, input biases their negatives, drawn from the seed); null (default)
    /// for none. Excludes <see cref="ForgetBias"/>.
    /// </summary>
    public double? Chrono { get; init; }

    /// <summary>
    /// Stop training after the first epoch at which the run is solved (the test at the end of every epoch
    /// that <see cref="MemoryResult.FirstSolvedEpoch"/> records), like a Keras EarlyStopping callback on that
    /// test: the run then ends solved. Off by default (the tutorial trains all its epochs).
    /// </summary>
    public bool StopWhenSolved { get; init; }

    /// <summary>
    /// The training loss's weight on the last step of each sequence, the recall of the first value (every other
    /// step weighs 1), given to Fit as Keras's <c>sample_weight</c>: per step with <see cref="BatchLearning"/>, per
    /// one-step sample otherwise; null (default) for none. With Adam the one recall among P − 1 steps otherwise
    /// contributes too little to be learned at long lengths. Not with <see cref="Tbptt"/>.
    /// </summary>
    public double? RecallWeight { get; init; }

    /// <summary>Whether each sequence is one sample (batch learning, or truncated BPTT, which implies it).</summary>
    public bool OneSamplePerSequence => BatchLearning || Tbptt is not null;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Epochs < 0)
            throw new ArgumentException($"Epochs must be 0 or more (got {Epochs}).", nameof(Epochs));
        if (Units <= 0)
            throw new ArgumentException($"Units must be at least 1 (got {Units}).", nameof(Units));
        if (Alphabet < 3)
            throw new ArgumentException($"Alphabet must be at least 3: two values to remember and one for the middle (got {Alphabet}).", nameof(Alphabet));
        if (Length < 3)
            throw new ArgumentException($"Length must be at least 3: the value to remember, a middle and the value again (got {Length}).", nameof(Length));
        if (Tbptt is < 1)
            throw new ArgumentException($"Tbptt must be at least 1 time step (got {Tbptt}).", nameof(Tbptt));
        if (ForgetBias is double fb && !double.IsFinite(fb))
            throw new ArgumentException($"ForgetBias must be a finite number (got {fb}).", nameof(ForgetBias));
        if (Chrono is double tMax)
        {
            LongLag.GateBiasInit.ValidateChrono(tMax);
            if (ForgetBias is not null)
                throw new ArgumentException("--chrono sets the forget biases itself: give --forget-bias or --chrono, not both.", nameof(Chrono));
        }
        if (RecallWeight is double w && (!(w > 0) || !double.IsFinite(w)))
            throw new ArgumentException($"RecallWeight must be a finite number > 0 (got {w}).", nameof(RecallWeight));
        if (RecallWeight is not null && Tbptt is not null)
            throw new ArgumentException("--recall-weight is not available with --tbptt: a truncated window's update has no sample weights.", nameof(RecallWeight));
        if (Tbptt is not null && Model == MemoryModel.Mlp)
            throw new ArgumentException("Tbptt needs the LSTM: the MLP has no state to carry between windows.", nameof(Tbptt));
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        _ = Optimizer.Create(); // validates the name, learning rate and clipping
        LearningRateDecay?.Validate();
    }

    /// <summary>The first (and last) value of the first sequence (3 in the tutorial).</summary>
    public int FirstValue => Alphabet - 2;

    /// <summary>The first (and last) value of the second sequence (4 in the tutorial).</summary>
    public int SecondValue => Alphabet - 1;

    /// <summary>The fixed middle a_1 .. a_{P-2}: 0, 1, …, Alphabet-3, repeating (the tutorial's 0, 1, 2).</summary>
    public int[] FixedMiddle() => Enumerable.Range(0, Length - 2).Select(i => i % (Alphabet - 2)).ToArray();

    /// <summary>Whether this is the tutorial's own setting (5 values, length 5, fixed middle, LSTM, per-step learning, fixed order).</summary>
    public bool IsTutorial => Alphabet == 5 && Length == 5 && !RandomMiddle && !OneSamplePerSequence && !Shuffle && Model == MemoryModel.Lstm && Optimizer.IsDefaultAdam && ForgetBias is null && Chrono is null && !StopWhenSolved && LearningRateDecay is null && RecallWeight is null;
}

/// <summary>One sequence's inputs, targets and predicted classes.</summary>
public sealed record SequencePrediction(int[] X, int[] Y, int[] Predicted)
{
    /// <summary>How many steps were predicted correctly.</summary>
    public int Correct => Y.Zip(Predicted).Count(p => p.First == p.Second);
}

/// <summary>The outcome of one memory run.</summary>
/// <param name="Sequences">Predictions for each sequence after training.</param>
/// <param name="FirstLoss">The per-epoch training loss on the first sequence (what the tutorial prints).</param>
/// <param name="FirstSolvedEpoch">The first epoch after which the run counted as <see cref="Solved"/>, or null.</param>
/// <param name="Seconds">Wall-clock training and evaluation time.</param>
public sealed record MemoryResult(MemoryOptions Options, IReadOnlyList<SequencePrediction> Sequences, IReadOnlyList<double> FirstLoss, int? FirstSolvedEpoch, double Seconds)
{
    public int Correct => Sequences.Sum(s => s.Correct);

    /// <summary>The trained model (for <c>--save</c>).</summary>
    public Sequential? Model { get; init; }

    public int Total => Sequences.Sum(s => s.Y.Length);

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>How many sequences had their last step, the recall of the first value, predicted correctly (0 to 2).</summary>
    public int RecallCorrect => Sequences.Count(s => s.Predicted.Length > 0 && s.Predicted[^1] == s.Y[^1]);

    /// <summary>
    /// Whether the run solved the problem: every step of every sequence predicted correctly; with a random
    /// middle, which no model can predict, the last step (the recall) of both sequences.
    /// </summary>
    public bool Solved => IsSolved(Options, Sequences);

    internal static bool IsSolved(MemoryOptions options, IReadOnlyList<SequencePrediction> sequences) =>
        options.RandomMiddle
            ? sequences.All(s => s.Predicted[^1] == s.Y[^1])
            : sequences.All(s => s.Correct == s.Y.Length);
}

/// <summary>
/// "Demonstration of memory with an LSTM" (seed tutorial 000): two sequences, 3,0,1,2,3 and 4,0,1,2,4,
/// share the transition 2 → ? whose answer (3 or 4) depends on the first value, three steps back.
/// One-hot inputs over 5 values; a stateful LSTM(20) at batch size 1 sees one value per step, Dense(5,
/// sigmoid), binary cross-entropy, Adam; each epoch fits sequence 1 then sequence 2 without shuffling,
/// resetting the state after each. Then predict_classes on each sequence, resetting in between.
/// <para>
/// Extensions (<see cref="MemoryOptions"/>): another alphabet and length P (the same conflict P-1 steps
/// apart), a random middle, one update per sequence, a shuffled order, and a memoryless MLP for contrast.
/// </para>
/// </summary>
public static class MemoryDemonstration
{
    /// <summary>The tutorial's two sequences.</summary>
    public static IReadOnlyList<int[]> Sequences { get; } = [[3, 0, 1, 2, 3], [4, 0, 1, 2, 4]];

    /// <summary>The two sequences of <paramref name="options"/> around a middle: (x, middle…, x) and (y, middle…, y).</summary>
    public static int[][] MakeSequences(MemoryOptions options, ReadOnlySpan<int> middle)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [[options.FirstValue, .. middle, options.FirstValue], [options.SecondValue, .. middle, options.SecondValue]];
    }

    /// <summary>Runs the demonstration. <paramref name="onEpoch"/> receives each epoch's loss on sequence 1.</summary>
    public static MemoryResult Run(MemoryOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        // Random middles and shuffled orders draw from their own streams, so the weights (from the seed) are
        // those of the plain run, and the tutorial's run consumes nothing else.
        var middleRandom = new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "memory-middle"));
        var orderRandom = new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "memory-order"));
        int[] testMiddle = options.RandomMiddle ? RandomMiddle(middleRandom, options) : options.FixedMiddle();
        var test = MakeSequences(options, testMiddle).Select(s => ToDataset(s, options)).ToArray();
        var train = test;
        Sequential model = BuildModel(options);

        ExponentialDecay? decay = options.LearningRateDecay?.Schedule(model.Optimizer!.LearningRate);
        var firstLoss = new List<double>(options.Epochs);
        int[] order = [0, 1];
        float[]? recallWeights = null;
        if (options.RecallWeight is double recall)
        {
            // P − 1 steps per sequence, as P − 1 one-step samples or one sample of P − 1 steps: the same P − 1 weights.
            recallWeights = new float[options.Length - 1];
            Array.Fill(recallWeights, 1f);
            recallWeights[^1] = (float)recall;
        }
        int? solvedAt = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            if (options.RandomMiddle)
                train = MakeSequences(options, RandomMiddle(middleRandom, options)).Select(s => ToDataset(s, options)).ToArray();
            if (options.Shuffle)
                orderRandom.Shuffle(order.AsSpan());
            foreach (int s in order)
            {
                if (decay is not null)
                    model.Optimizer!.LearningRate = decay.At(model.Optimizer.Iterations);
                History h = options.Tbptt is int window
                    ? model.FitTruncated(train[s].X, train[s].Y, window)
                    : model.Fit(train[s].X, train[s].Y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0, sampleWeight: recallWeights);
                model.ResetStates();
                if (s == 0)
                {
                    firstLoss.Add(h.Loss[0]);
                    onEpoch?.Invoke(new EpochResult(epoch, options.Epochs, h.Loss[0], null));
                }
            }
            if (solvedAt is null && MemoryResult.IsSolved(options, Predict(model, test)))
                solvedAt = epoch;
            if (solvedAt is not null && options.StopWhenSolved)
                break;
        }
        var predictions = Predict(model, test);
        return new MemoryResult(options, predictions, firstLoss, solvedAt, clock.Elapsed.TotalSeconds) { Model = model };
    }

    /// <summary>
    /// The tutorial's model: input (1, alphabet) at batch 1 → stateful LSTM(units) → Dense(alphabet, sigmoid),
    /// binary cross-entropy, Adam. With batch learning: input (P-1, alphabet), stateless LSTM with
    /// return_sequences, Dense per step; with truncated BPTT the same LSTM stateful, over any number of steps.
    /// The MLP replaces the LSTM with Dense(units, relu). The optimizer is <see cref="MemoryOptions.Optimizer"/>.
    /// </summary>
    public static Sequential BuildModel(MemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int alphabet = options.Alphabet, steps = options.Length - 1;
        Sequential model = (options.Model, options.OneSamplePerSequence) switch
        {
            (MemoryModel.Mlp, false) => new Sequential(SampleShape.Vector(alphabet), batchSize: 1, seed: options.Seed),
            (_, true) => new Sequential(SampleShape.Sequence(options.Tbptt is null ? steps : 0, alphabet), batchSize: 1, seed: options.Seed),
            _ => new Sequential(SampleShape.Sequence(1, alphabet), batchSize: 1, seed: options.Seed),
        };
        if (options.Model == MemoryModel.Mlp)
            model.Add(new Dense(options.Units, Activation.Relu));
        else
        {
            var lstm = new Lstm(options.Units, returnSequences: options.OneSamplePerSequence, stateful: !options.BatchLearning || options.Tbptt is not null, recurrentActivation: options.RecurrentActivation);
            model.Add(lstm);
            if (options.ForgetBias is double forgetBias)
                SetForgetBias(lstm, forgetBias);
            if (options.Chrono is double tMax)
                LongLag.GateBiasInit.Chrono(lstm, tMax, new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "memory-chrono")));
        }
        model.Add(new Dense(alphabet, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, options.Optimizer.Create());
        return model;
    }

    /// <summary>Sets the forget-gate slice [u, 2u) of an LSTM's bias (Keras gate order i, f, c, o) to <paramref name="value"/>.</summary>
    public static void SetForgetBias(Lstm lstm, double value) => LongLag.GateBiasInit.SetForgetBias(lstm, value);

    private static int[] RandomMiddle(RandomGenerator random, MemoryOptions options)
    {
        var middle = new int[options.Length - 2];
        for (int i = 0; i < middle.Length; i++)
            middle[i] = random.NextInt(options.Alphabet - 2);
        return middle;
    }

    private static SequencePrediction[] Predict(Sequential model, (Tensor X, Tensor Y, int[] Inputs, int[] Targets)[] data)
    {
        var result = new SequencePrediction[data.Length];
        for (int s = 0; s < data.Length; s++)
        {
            int[] classes = model.PredictClasses(data[s].X, batchSize: 1);
            model.ResetStates();
            result[s] = new SequencePrediction(data[s].Inputs, data[s].Targets, classes);
        }
        return result;
    }

    /// <summary>
    /// The tutorial's to_lstm_dataset: X = one-hot(seq[:-1]) as (n, 1, alphabet), y = one-hot(seq[1:]) as
    /// (n, alphabet); for the MLP X is (n, alphabet); with batch learning one sample, X (1, n, alphabet) and
    /// y (1, n, alphabet).
    /// </summary>
    private static (Tensor X, Tensor Y, int[] Inputs, int[] Targets) ToDataset(int[] sequence, MemoryOptions options)
    {
        int n = sequence.Length - 1, alphabet = options.Alphabet;
        Tensor x = options.OneSamplePerSequence ? new Tensor(1, n, alphabet)
            : options.Model == MemoryModel.Mlp ? new Tensor(n, alphabet)
            : new Tensor(n, 1, alphabet);
        Tensor y = options.OneSamplePerSequence ? new Tensor(1, n, alphabet) : new Tensor(n, alphabet);
        Span<float> xs = x.Span, ys = y.Span;
        for (int i = 0; i < n; i++)
        {
            xs[i * alphabet + sequence[i]] = 1f;
            ys[i * alphabet + sequence[i + 1]] = 1f;
        }
        return (x, y, sequence[..^1], sequence[1..]);
    }
}
