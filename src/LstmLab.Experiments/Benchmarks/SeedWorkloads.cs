using System.Diagnostics;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Recipes;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Benchmarks;

/// <summary>
/// One workload's timing: how many gradient updates it made, the wall-clock seconds they took, and
/// the skill reached (so a fast but broken engine shows). Mirrors a JSON line of the PyTorch anchor
/// script <c>torch_seed_workloads.py</c>.
/// </summary>
/// <param name="Workload">The workload's name (the anchor script's name).</param>
/// <param name="Updates">Gradient updates (optimizer steps) timed, over all copies.</param>
/// <param name="Seconds">Wall-clock seconds of the timed part.</param>
/// <param name="Copies">Independent copies run at once (1 unless run with more threads).</param>
/// <param name="Gflops">Matrix-multiply GFLOP/s of the batched workload, else null.</param>
/// <param name="Accuracy">Accuracy after training (classification workloads), else null.</param>
/// <param name="Rmse">Forecast RMSE (shampoo), else null.</param>
public sealed record WorkloadResult(string Workload, long Updates, double Seconds, int Copies, double? Gflops, double? Accuracy, double? Rmse)
{
    /// <summary>Microseconds of wall-clock time per update (over all copies when several run at once).</summary>
    public double UsPerUpdate => Updates == 0 ? 0 : 1e6 * Seconds / Updates;
}

/// <summary>How <see cref="SeedWorkloads.Measure"/> times a workload.</summary>
/// <param name="Copies">Independent copies run at once, one per thread (1: a single model on one thread).</param>
/// <param name="Runs">Timed runs after the warm-up; the median is reported.</param>
/// <param name="WarmUpSeconds">
/// Untimed runs first, until this many seconds have passed (at least one run), so that the timed runs
/// execute fully optimised machine code rather than the JIT's first tiers; 0 times the very first run
/// in the process, start-up compilation included, as the anchor script's single runs are.
/// </param>
/// <param name="Seed">Seed of the first copy.</param>
public sealed record BenchSettings(int Copies = 1, int Runs = 5, double WarmUpSeconds = 1.0, long Seed = 1)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Copies < 1)
            throw new ArgumentException($"--threads must be at least 1 (got {Copies}).");
        if (Runs < 1)
            throw new ArgumentException($"--runs must be at least 1 (got {Runs}).");
        if (!(WarmUpSeconds >= 0))
            throw new ArgumentException($"The warm-up must be 0 seconds or more (got {WarmUpSeconds}).");
    }
}

/// <summary>A workload's timing over several runs.</summary>
/// <param name="Median">The run with the median time (its updates, seconds, GFLOP/s and skill are reported).</param>
/// <param name="SecondsMin">The fastest timed run.</param>
/// <param name="SecondsMax">The slowest timed run.</param>
/// <param name="Runs">How many runs were timed.</param>
/// <param name="FirstRunSeconds">The first run in this process for this workload (JIT compilation included), untimed for the median.</param>
public sealed record BenchResult(WorkloadResult Median, double SecondsMin, double SecondsMax, int Runs, double FirstRunSeconds);

/// <summary>
/// The seed tutorials' training workloads, the same work as the PyTorch anchor script
/// (<c>shared/anchors/torch_seed_workloads.py</c>) under the same names, so that the two can be put
/// side by side in one run on one machine. Each workload builds its own model and data from a seed;
/// the timed part is the training loop (plus, for shampoo, the walk-forward forecast, which the anchor
/// times too). The engine runs one model on one thread.
/// </summary>
public static class SeedWorkloads
{
    /// <summary><c>memory-demo</c>: seed 000, 250 epochs × 2 sequences × 4 one-step updates.</summary>
    public const string MemoryDemo = "memory-demo";

    /// <summary><c>shampoo-stateful</c>: seed 001's base configuration, 1000 epochs × 22 one-row updates.</summary>
    public const string ShampooStateful = "shampoo-stateful";

    /// <summary><c>echo-lag-context</c>: seed 002's echo with context, 2000 epochs × 4 batches of 5 windows.</summary>
    public const string EchoLagContext = "echo-lag-context";

    /// <summary><c>batched-b64-t100-in64-h256</c>: large batched training steps, measured in GFLOP/s.</summary>
    public const string Batched = "batched-b64-t100-in64-h256";

    /// <summary>The workload names, in the anchor script's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [MemoryDemo, ShampooStateful, EchoLagContext, Batched];

    /// <summary>
    /// Times workload <paramref name="name"/>: one first run, untimed warm-up runs while
    /// <see cref="BenchSettings.WarmUpSeconds"/> have not passed, then <see cref="BenchSettings.Runs"/>
    /// timed runs, of which the median is reported. With a warm-up of 0 the first run is the only one
    /// (and the result), as in the anchor script.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or invalid settings.</exception>
    public static BenchResult Measure(string name, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var clock = Stopwatch.StartNew();
        WorkloadResult first = Run(name, settings.Copies, settings.Seed);
        if (settings.WarmUpSeconds == 0)
            return new BenchResult(first, first.Seconds, first.Seconds, 1, first.Seconds);
        while (clock.Elapsed.TotalSeconds < settings.WarmUpSeconds)
            Run(name, settings.Copies, settings.Seed);
        var runs = new WorkloadResult[settings.Runs];
        for (int i = 0; i < runs.Length; i++)
            runs[i] = Run(name, settings.Copies, settings.Seed);
        WorkloadResult[] sorted = [.. runs.OrderBy(r => r.Seconds)];
        return new BenchResult(sorted[sorted.Length / 2], sorted[0].Seconds, sorted[^1].Seconds, runs.Length, first.Seconds);
    }

    /// <summary>
    /// Runs workload <paramref name="name"/> once. With <paramref name="copies"/> above 1, that many independent
    /// copies (seeds <paramref name="seed"/>, <paramref name="seed"/>+1, …) run at once, one per thread; the
    /// result then counts the updates of all copies against the wall-clock time of the slowest
    /// (a throughput figure: no single model gets faster). Skill figures are those of the first copy.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or <paramref name="copies"/> below 1.</exception>
    public static WorkloadResult Run(string name, int copies = 1, long seed = 1)
    {
        Func<long, WorkloadResult> body = name switch
        {
            MemoryDemo => s => RunMemoryDemo(seed: s),
            ShampooStateful => s => RunShampooStateful(seed: s),
            EchoLagContext => s => RunEchoLagContext(seed: s),
            Batched => s => RunBatched(seed: s),
            _ => throw new ArgumentException($"Unknown workload '{name}': expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
        if (copies < 1)
            throw new ArgumentException($"The number of copies must be at least 1 (got {copies}).", nameof(copies));
        if (copies == 1)
            return body(seed);
        var results = new WorkloadResult[copies];
        var threads = new Thread[copies];
        using var start = new Barrier(copies + 1);
        for (int i = 0; i < copies; i++)
        {
            int index = i;
            threads[i] = new Thread(() =>
            {
                start.SignalAndWait();
                results[index] = body(seed + index);
            });
            threads[i].Start();
        }
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (Thread t in threads)
            t.Join();
        double wall = clock.Elapsed.TotalSeconds;
        // Each copy timed only its own measured part; the aggregate uses the slowest copy's time
        // (set-up and untimed warm-up excluded), so overlapping copies are not double-counted.
        double seconds = Math.Min(wall, results.Max(r => r.Seconds));
        long updates = results.Sum(r => r.Updates);
        double? gflops = results[0].Gflops is null ? null : results.Sum(r => r.Gflops!.Value * r.Seconds) / seconds;
        return results[0] with { Updates = updates, Seconds = seconds, Copies = copies, Gflops = gflops };
    }

    /// <summary>
    /// Seed 000's memory demonstration with the recipe's model (<see cref="MemoryDemonstration.BuildModel"/>):
    /// stateful LSTM(20) at batch 1 over one-hot inputs of 5 values, Dense(5, sigmoid), binary
    /// cross-entropy, Adam; each epoch fits 3,0,1,2,3 then 4,0,1,2,4 (one
    /// update per step, no shuffling), resetting the state after each sequence. Accuracy over the 8
    /// predictions after training.
    /// </summary>
    public static WorkloadResult RunMemoryDemo(int epochs = 250, long seed = 1)
    {
        IReadOnlyList<int[]> sequences = MemoryDemonstration.Sequences;
        const int alphabet = 5;
        var data = new (Tensor X, Tensor Y)[sequences.Count];
        for (int s = 0; s < sequences.Count; s++)
        {
            int[] seq = sequences[s];
            data[s] = (OneHot.EncodeTensor(seq.AsSpan(0, seq.Length - 1), alphabet),
                OneHot.EncodeTensor(seq.AsSpan(1), alphabet).ReshapedCopy(seq.Length - 1, alphabet));
        }
        // The recipe's model (MemoryDemonstration.BuildModel with the tutorial's options).
        Sequential model = MemoryDemonstration.BuildModel(new MemoryOptions(Epochs: epochs, Seed: seed));

        long updates = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach ((Tensor x, Tensor y) in data)
            {
                model.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
                model.ResetStates();
                updates += x.Dim(0);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;

        int correct = 0, total = 0;
        foreach ((Tensor x, Tensor y) in data)
        {
            int[] predicted = model.PredictClasses(x, batchSize: 1);
            int[] expected = OneHot.Decode(y);
            model.ResetStates();
            correct += predicted.Zip(expected).Count(p => p.First == p.Second);
            total += expected.Length;
        }
        return new WorkloadResult(MemoryDemo, updates, seconds, 1, null, (double)correct / total, null);
    }

    /// <summary>
    /// Seed 001's base configuration on the Shampoo Sales series (<see cref="ForecastOptions"/> defaults:
    /// stateful LSTM(1) at batch 1, 1000 epochs over the 22 training rows with a reset after each, then the
    /// 12-step walk-forward forecast), once; reports its RMSE. Timed: training and forecast, as the anchor.
    /// </summary>
    public static WorkloadResult RunShampooStateful(long seed = 1)
    {
        TimeSeries series = Datasets.ShampooSales();
        var options = new ForecastOptions { Seed = seed };
        var clock = Stopwatch.StartNew();
        ForecastResult result = WalkForward.Run(series, options);
        double seconds = clock.Elapsed.TotalSeconds;
        int trainRows = series.Values.Length - 2 - options.Test; // lag-1 differencing and lag-1 framing each drop a row
        return new WorkloadResult(ShampooStateful, (long)trainRows * options.Epochs, seconds, 1, null, null, result.Rmse);
    }

    /// <summary>
    /// Seed 002's echo with context: each epoch a fresh random sequence of 25 integers in 0..99, one-hot
    /// encoded, windows of 5 steps ending at steps 5..24 whose target is the step before the window's last
    /// (20 samples); stateful LSTM(50) at batch 5, Dense(100, softmax), categorical cross-entropy, Adam; one
    /// fit over the 4 batches, then a state reset; built through the recipe (<see cref="EchoExperiment.BuildModel"/>,
    /// <see cref="EchoExperiment.NewSequence"/>, <see cref="EchoExperiment.Frame"/>, whose model also tracks
    /// the training accuracy). Accuracy on one more fresh sequence after training.
    /// </summary>
    public static WorkloadResult RunEchoLagContext(int epochs = 2000, long seed = 1)
    {
        // The recipe's model, data and framing (EchoExperiment with the lag-context variant's defaults).
        var options = new EchoOptions { Variant = EchoVariant.LagContext, Epochs = epochs, Seed = seed };
        int batch = options.ResolvedBatchSize;
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "echo-data"));
        Sequential model = EchoExperiment.BuildModel(options);

        long updates = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            EchoExperiment.Framed train = EchoExperiment.Frame(EchoExperiment.NewSequence(random, options), options);
            model.Fit(train.X, train.Y, epochs: 1, batchSize: batch, shuffle: false, verbose: 0);
            model.ResetStates();
            updates += train.X.Dim(0) / batch;
        }
        double seconds = clock.Elapsed.TotalSeconds;

        EchoExperiment.Framed test = EchoExperiment.Frame(EchoExperiment.NewSequence(random, options), options);
        int[] predicted = model.PredictClasses(test.X, batchSize: batch);
        model.ResetStates();
        int correct = predicted.Zip(test.Expected).Count(p => p.First == p.Second[0]);
        return new WorkloadResult(EchoLagContext, updates, seconds, 1, null, (double)correct / predicted.Length, null);
    }

    /// <summary>
    /// Large batched training steps: stateless LSTM(256) over a batch of 64 sequences of 100 steps × 64
    /// standard-normal features, Dense(10, softmax) on the last output, categorical cross-entropy, Adam;
    /// 3 untimed warm-up steps, then <paramref name="steps"/> timed ones.
    /// GFLOP/s = steps · 3 · 2·B·T·4u·(in + u) / seconds: the forward matrix products and the two
    /// backward ones (input/state gradients, weight gradients), as the anchor counts them.
    /// </summary>
    public static WorkloadResult RunBatched(int steps = 20, long seed = 1, int batch = 64, int timesteps = 100, int inputs = 64, int units = 256)
    {
        const int classes = 10;
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "batched-data"));
        var x = new Tensor(batch, timesteps, inputs);
        Span<float> xs = x.Span;
        for (int i = 0; i < xs.Length; i++)
            xs[i] = (float)random.NextNormal();
        var y = new Tensor(batch, classes);
        for (int b = 0; b < batch; b++)
            y[b, random.NextInt(classes)] = 1f;
        var model = new Sequential(SampleShape.Sequence(timesteps, inputs), seed: seed);
        model.Add(new Lstm(units));
        model.Add(new Dense(classes, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam());

        for (int i = 0; i < 3; i++)
            model.TrainOnBatch(x, y);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
            model.TrainOnBatch(x, y);
        double seconds = clock.Elapsed.TotalSeconds;
        double flops = (double)steps * 3 * 2 * batch * timesteps * 4 * units * (inputs + units);
        string name = $"batched-b{batch}-t{timesteps}-in{inputs}-h{units}";
        return new WorkloadResult(name, steps, seconds, 1, flops / seconds / 1e9, null, null);
    }

    private static Tensor ReshapedCopy(this Tensor t, params ReadOnlySpan<int> shape)
    {
        var copy = new Tensor(shape);
        t.Span.CopyTo(copy.Span);
        return copy;
    }
}
