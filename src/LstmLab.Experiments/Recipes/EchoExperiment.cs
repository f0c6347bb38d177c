using System.Diagnostics;
using LstmLab.Data;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Recipes;

/// <summary>The outcome of one echo run.</summary>
/// <param name="Sequence">The new random sequence the trained model was evaluated on.</param>
/// <param name="Expected">Per evaluation sample, the value(s) to echo (one value, or N with a lag sequence).</param>
/// <param name="Predicted">Per evaluation sample, the predicted value(s).</param>
/// <param name="Loss">Training loss per epoch (each epoch is one fresh sequence).</param>
/// <param name="TrainAccuracy">Training accuracy per epoch, as Keras's fit reports it.</param>
/// <param name="FirstSuccessEpoch">The first probed epoch after which a fixed probe sequence was echoed perfectly, or null.</param>
/// <param name="Seconds">Wall-clock time of training and evaluation.</param>
public sealed record EchoResult(EchoOptions Options, int[] Sequence, IReadOnlyList<int[]> Expected, IReadOnlyList<int[]> Predicted,
    IReadOnlyList<double> Loss, IReadOnlyList<double> TrainAccuracy, int? FirstSuccessEpoch, double Seconds)
{
    /// <summary>The validation loss per epoch (empty without a validation split).</summary>
    public IReadOnlyList<double> ValidationLoss { get; init; } = [];

    /// <summary>The epoch early stopping ended the run after (1-based), or null when it ran every epoch.</summary>
    public int? StoppedEpoch { get; init; }

    /// <summary>The epoch whose weights were restored by early stopping (1-based), or null.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Correctly echoed values.</summary>
    public int Correct => Expected.Zip(Predicted).Sum(p => p.First.Zip(p.Second).Count(v => v.First == v.Second));

    /// <summary>Echoed values judged.</summary>
    public int Total => Expected.Sum(e => e.Length);

    /// <summary>The fraction echoed correctly on the evaluation sequence.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Whether every value of the evaluation sequence was echoed correctly (the tutorial's 100 %).</summary>
    public bool Solved => Correct == Total;

    /// <summary>The trained model (for <c>--save</c>).</summary>
    public Sequential? Model { get; init; }
}

/// <summary>
/// "How to Learn to Echo Random Integers with LSTMs" (seed tutorial 002). Every epoch trains on a fresh
/// random sequence of integers (one-hot encoded), then the model echoes a new sequence:
/// <list type="bullet">
/// <item><b>current</b>: X(t) → X(t), one time step per sample, LSTM(15), Dense(softmax), batch 1, 500 epochs.
/// No memory needed; reaches 100 %.</item>
/// <item><b>lag-no-context</b> (the beginner's mistake): X(t) → X(t-1), one step per sample, stateful LSTM(50)
/// at batch 6, 2000 epochs, state reset after each sequence. It fails, near chance: the 6 samples of a batch
/// are 6 parallel streams, so the state sample i carries comes from 6 steps back, not 1, and no gradient
/// flows from one batch to the previous.</item>
/// <item><b>lag-context</b>: X(t-4..t) → X(t-1), the context as 5 time steps, stateful LSTM(50) at batch 5,
/// 2000 epochs; reaches 100 %.</item>
/// </list>
/// Extensions: another lag, alphabet, length and window; the whole sequence so far as masked, padded
/// time steps; echoing a lag sequence through return_sequences and a per-step Dense.
/// </summary>
public static class EchoExperiment
{
    /// <summary>The value that marks padding (missing values) in the whole-sequence extension.</summary>
    public const float MissingValue = -1f;

    /// <summary>Runs the experiment. <paramref name="onEpoch"/> receives each epoch's loss and training accuracy.</summary>
    public static EchoResult Run(EchoOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var data = new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "echo-data"));
        int[] probeSequence = NewSequence(new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "echo-probe")), options);
        int[] testSequence = NewSequence(new RandomGenerator(RandomGenerator.DeriveSeed(options.Seed, "echo-test")), options);
        Framed probe = Frame(probeSequence, options);

        Sequential model = BuildModel(options);
        int epochs = options.ResolvedEpochs, batch = options.ResolvedBatchSize;
        bool stateful = options.ResolvedStateful;
        // Keras's fit shuffles by default, as the tutorial's current echo does; the lag variants pass shuffle=False.
        bool shuffle = options.Variant == EchoVariant.Current;
        var losses = new List<double>(epochs);
        var accuracies = new List<double>(epochs);
        var validationLosses = new List<double>();
        int? firstSuccess = null, stoppedEpoch = null;
        // Each epoch is its own Fit on a fresh sequence, so early stopping is kept across the calls here.
        EarlyStopping? stopper = options.EarlyStopping is int patience ? new EarlyStopping(patience: patience, restoreBestWeights: true) { Model = model } : null;
        stopper?.OnTrainBegin();
        var train = new EpochData(options);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            train.Next(data);
            IReadOnlyDictionary<string, double>? logs = null;
            History h = model.Fit(train.X, train.Y, epochs: 1, batchSize: batch, shuffle: shuffle, verbose: 0,
                validationSplit: options.ValidationSplit, onEpochEnd: e => logs = e.Logs);
            if (stateful)
                model.ResetStates();
            if (h.ValidationLoss.Count > 0)
                validationLosses.Add(h.ValidationLoss[0]);
            if (stopper is not null)
            {
                stopper.OnEpochEnd(epoch - 1, logs!);
                if (model.StopTraining)
                    stoppedEpoch = epoch;
            }
            double accuracy = h.Metrics["accuracy"][0];
            losses.Add(h.Loss[0]);
            accuracies.Add(accuracy);
            onEpoch?.Invoke(new EpochResult(epoch, epochs, h.Loss[0], accuracy));
            if (firstSuccess is null && options.ProbeEvery > 0 && (epoch % options.ProbeEvery == 0 || epoch == epochs))
            {
                int[][] p = Predict(model, probe, options);
                if (probe.Expected.Zip(p).All(e => e.First.AsSpan().SequenceEqual(e.Second)))
                    firstSuccess = epoch;
            }
            if (stoppedEpoch is not null)
                break;
        }
        stopper?.OnTrainEnd();
        Framed test = Frame(testSequence, options);
        int[][] predicted = Predict(model, test, options);
        return new EchoResult(options, testSequence, test.Expected, predicted, losses, accuracies, firstSuccess, clock.Elapsed.TotalSeconds)
        {
            Model = model,
            ValidationLoss = validationLosses,
            StoppedEpoch = stoppedEpoch,
            BestEpoch = stopper is null ? null : stopper.BestEpoch + 1,
        };
    }

    /// <summary>The tutorial's generate_sequence: <see cref="EchoOptions.Length"/> integers uniform in [0, alphabet-1].</summary>
    public static int[] NewSequence(RandomGenerator random, EchoOptions options)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(options);
        var sequence = new int[options.Length];
        NewSequence(random, options, sequence);
        return sequence;
    }

    /// <summary>As <see cref="NewSequence(RandomGenerator, EchoOptions)"/> (the same draws), into <paramref name="sequence"/> (<see cref="EchoOptions.Length"/> values).</summary>
    /// <exception cref="ArgumentException"><paramref name="sequence"/> is not <see cref="EchoOptions.Length"/> long.</exception>
    public static void NewSequence(RandomGenerator random, EchoOptions options, Span<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(options);
        if (sequence.Length != options.Length)
            throw new ArgumentException($"The sequence buffer holds {sequence.Length} values; the options' length is {options.Length}.", nameof(sequence));
        for (int i = 0; i < sequence.Length; i++)
            sequence[i] = random.NextInt(0, options.Alphabet - 1);
    }

    /// <summary>
    /// The training data of one epoch after another: each <see cref="Next"/> draws a fresh sequence (as
    /// <see cref="NewSequence(RandomGenerator, EchoOptions)"/>) and frames it (as <see cref="Frame"/>: the same
    /// inputs and targets) into the same <see cref="X"/> and <see cref="Y"/>. For the windowed variants this
    /// allocates nothing after the first epoch (one-hot windows written in place); the whole-sequence and
    /// lag-sequence extensions frame through <see cref="Frame"/>, a new pair of tensors each time.
    /// </summary>
    public sealed class EpochData
    {
        private readonly EchoOptions _options;
        private readonly int[] _sequence;
        private readonly SlidingWindows? _windows;

        /// <summary>Buffers for <paramref name="options"/>' sequences (validated first).</summary>
        /// <exception cref="ArgumentException">The options are invalid.</exception>
        public EpochData(EchoOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            _options = options;
            _sequence = new int[options.Length];
            if (!options.WholeSequence && options.LagSequence is null)
            {
                _windows = SlidingWindows.Create(options.Length, options.ResolvedWindow, options.ResolvedLag, options.FirstEnd);
                X = new Tensor(_windows.Count, _windows.Window, options.Alphabet);
                Y = new Tensor(_windows.Count, options.Alphabet);
            }
            else
            {
                (X, Y) = (new Tensor(0), new Tensor(0));
            }
        }

        /// <summary>The last drawn sequence (overwritten by <see cref="Next"/>).</summary>
        public ReadOnlySpan<int> Sequence => _sequence;

        /// <summary>The inputs of the last drawn sequence, (samples, timesteps, alphabet).</summary>
        public Tensor X { get; private set; }

        /// <summary>The targets of the last drawn sequence, as <see cref="Framed.Y"/>.</summary>
        public Tensor Y { get; private set; }

        /// <summary>Draws the next sequence from <paramref name="random"/> and frames it into <see cref="X"/> and <see cref="Y"/>.</summary>
        public void Next(RandomGenerator random)
        {
            NewSequence(random, _options, _sequence);
            if (_windows is null)
            {
                Framed framed = Frame(_sequence, _options);
                (X, Y) = (framed.X, framed.Y);
                return;
            }
            _windows.OneHotInputs(_sequence, _options.Alphabet, X.Span);
            _windows.OneHotTargets(_sequence, _options.Alphabet, Y.Span);
        }
    }

    /// <summary>One sequence framed for the model: inputs, targets and the values each sample echoes.</summary>
    /// <param name="X">(samples, timesteps, alphabet).</param>
    /// <param name="Y">(samples, alphabet), or (samples, timesteps, alphabet) for a lag sequence.</param>
    /// <param name="Expected">Per sample, the echoed value(s).</param>
    public sealed record Framed(Tensor X, Tensor Y, int[][] Expected);

    /// <summary>Frames one sequence as the options' variant does (the tutorial's generate_data).</summary>
    public static Framed Frame(int[] sequence, EchoOptions options)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(options);
        double[][] encoded = OneHot.Encode(sequence, options.Alphabet);
        int lag = options.ResolvedLag;
        if (options.WholeSequence)
            return FrameWholeSequence(sequence, encoded, options);
        if (options.LagSequence is int n)
            return FrameLagSequence(sequence, encoded, n, options);
        SlidingWindows windows = SlidingWindows.Create(sequence.Length, options.ResolvedWindow, lag, options.FirstEnd);
        return new Framed(windows.Inputs(encoded), windows.Targets(encoded), windows.TargetItems(sequence).Select(v => new[] { v }).ToArray());
    }

    /// <summary>
    /// Sample t (t = lag .. L-1) is x[0..t] as time steps, pre-padded to L steps with rows of -1 (Keras's
    /// pad_sequences default, padding='pre'); the target is x[t-lag]. Built as windows of L steps over the
    /// sequence with L-1 padding rows in front.
    /// </summary>
    private static Framed FrameWholeSequence(int[] sequence, double[][] encoded, EchoOptions options)
    {
        int length = sequence.Length, lag = options.ResolvedLag;
        double[] padding = Enumerable.Repeat((double)MissingValue, options.Alphabet).ToArray();
        double[][] padded = [.. Enumerable.Repeat(padding, length - 1), .. encoded];
        int?[] items = [.. Enumerable.Repeat<int?>(null, length - 1), .. sequence.Select(v => (int?)v)];
        SlidingWindows windows = SlidingWindows.Create(padded.Length, length, lag, firstEnd: length - 1 + lag);
        return new Framed(windows.Inputs(padded), windows.Targets(padded), windows.TargetItems(items).Select(v => new[] { v!.Value }).ToArray());
    }

    /// <summary>
    /// Windows of W = N + lag steps; the target sequence echoes each step's value from lag steps before:
    /// y[k] = x[start + k - lag] for k ≥ lag. The first lag steps have no target inside the window: their
    /// target rows are zero, which contributes nothing to categorical cross-entropy.
    /// </summary>
    private static Framed FrameLagSequence(int[] sequence, double[][] encoded, int n, EchoOptions options)
    {
        int lag = options.ResolvedLag, width = options.ResolvedWindow, alphabet = options.Alphabet;
        SlidingWindows windows = SlidingWindows.Create(sequence.Length, width, 0, options.FirstEnd);
        var y = new Tensor(windows.Count, width, alphabet);
        var expected = new int[windows.Count][];
        for (int s = 0; s < windows.Count; s++)
        {
            int start = windows.End(s) - width + 1;
            expected[s] = new int[n];
            for (int k = lag; k < width; k++)
            {
                int value = sequence[start + k - lag];
                y[s, k, value] = 1f;
                expected[s][k - lag] = value;
            }
        }
        return new Framed(windows.Inputs(encoded), y, expected);
    }

    /// <summary>
    /// Input (timesteps, alphabet) [→ Masking(-1) for the whole sequence] → LSTM(units) [stateful at the fixed
    /// batch size; return_sequences for a lag sequence] → Dense(alphabet, softmax); categorical cross-entropy, Adam.
    /// </summary>
    public static Sequential BuildModel(EchoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool stateful = options.ResolvedStateful;
        var model = new Sequential(SampleShape.Sequence(options.ResolvedWindow, options.Alphabet), stateful ? options.ResolvedBatchSize : null, options.Seed);
        if (options.WholeSequence)
            model.Add(new Masking(MissingValue));
        for (int i = 0; i < options.Layers; i++)
        {
            bool sequences = i < options.Layers - 1 || options.LagSequence is not null;
            Recurrent layer = options.Cell == RecurrentCell.Gru
                ? new Gru(options.ResolvedUnits, sequences, stateful, recurrentActivation: options.RecurrentActivation, dropout: options.Dropout, recurrentDropout: options.RecurrentDropout)
                : new Lstm(options.ResolvedUnits, returnSequences: sequences, stateful: stateful, recurrentActivation: options.RecurrentActivation,
                    dropout: options.Dropout, recurrentDropout: options.RecurrentDropout);
            model.Add(options.Bidirectional ? new Bidirectional(layer) : layer);
        }
        Loss loss = options.ResolveLoss();
        model.Add(new Dense(options.Alphabet, loss.FromLogits ? Activation.Linear : Activation.Softmax));
        model.Compile(loss, options.CreateOptimizer(), "accuracy");
        return model;
    }

    /// <summary>Predicts the echoed value(s) of every sample (argmax, the tutorial's one_hot_decode), leaving a stateful model reset.</summary>
    private static int[][] Predict(Sequential model, Framed framed, EchoOptions options)
    {
        int[] classes = model.PredictClasses(framed.X, options.ResolvedBatchSize);
        if (options.ResolvedStateful)
            model.ResetStates();
        int samples = framed.Expected.Length;
        if (options.LagSequence is not int n)
            return classes.Select(c => new[] { c }).ToArray();
        int width = options.ResolvedWindow, lag = options.ResolvedLag;
        var result = new int[samples][];
        for (int s = 0; s < samples; s++)
            result[s] = classes.AsSpan(s * width + lag, n).ToArray();
        return result;
    }
}
