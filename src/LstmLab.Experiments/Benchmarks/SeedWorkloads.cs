using System.Diagnostics;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Recipes;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Benchmarks;

/// <summary>
/// The seed tutorials' training workloads, the same work as the PyTorch anchor script
/// (<c>shared/anchors/torch_seed_workloads.py</c>) under the same names, so that the two can be put
/// side by side in one run on one machine. Each workload builds its own model and data from a seed;
/// the timed part is the training loop (plus, for shampoo, the walk-forward forecast, which the anchor
/// times too). Each model runs on the engine threads given (<see cref="EngineThreads"/>; 1 by default, as
/// the peers are run); <see cref="BenchMeasurement.Measure"/> times a workload over several runs.
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
    /// Runs workload <paramref name="name"/> once. With <paramref name="copies"/> above 1, that many independent
    /// copies (seeds <paramref name="seed"/>, <paramref name="seed"/>+1, …) run at once, one per thread; the
    /// result then counts the updates of all copies against the wall-clock time of the slowest
    /// (a throughput figure: no single model gets faster). Skill figures are those of the first copy. Each
    /// model splits its work over <paramref name="threads"/> engine threads.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or <paramref name="copies"/> below 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> below 1.</exception>
    public static WorkloadResult Run(string name, int copies = 1, long seed = 1, int threads = 1)
    {
        EngineThreads.Check(threads, nameof(threads));
        Func<long, WorkloadResult> workload = name switch
        {
            MemoryDemo => s => RunMemoryDemo(seed: s),
            ShampooStateful => s => RunShampooStateful(seed: s),
            EchoLagContext => s => RunEchoLagContext(seed: s),
            Batched => s => RunBatched(seed: s),
            _ => throw new ArgumentException($"Unknown workload '{name}': expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
        // Every model a workload builds (the recipes build their own) takes this thread count.
        WorkloadResult body(long s)
        {
            using EngineThreads.Scope scope = EngineThreads.UseDefault(threads);
            return workload(s) with { Threads = threads };
        }
        if (copies < 1)
            throw new ArgumentException($"The number of copies must be at least 1 (got {copies}).", nameof(copies));
        if (copies == 1)
            return body(seed);
        var results = new WorkloadResult[copies];
        var workers = new Thread[copies];
        using var start = new Barrier(copies + 1);
        for (int i = 0; i < copies; i++)
        {
            int index = i;
            workers[i] = new Thread(() =>
            {
                start.SignalAndWait();
                results[index] = body(seed + index);
            });
            workers[i].Start();
        }
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (Thread t in workers)
            t.Join();
        double wall = clock.Elapsed.TotalSeconds;
        // Each copy timed only its own measured part; the aggregate uses the slowest copy's time
        // (set-up and untimed warm-up excluded), so overlapping copies are not double-counted.
        double seconds = Math.Min(wall, results.Max(r => r.Seconds));
        long updates = results.Sum(r => r.Updates);
        double? gflops = results[0].Gflops is null ? null : results.Sum(r => r.Gflops!.Value * r.Seconds) / seconds;
        return results[0] with { Updates = updates, Seconds = seconds, Copies = copies, Gflops = gflops, CpuSeconds = results.Max(r => r.CpuSeconds) };
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
        var clock = WorkloadClock.Start();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach ((Tensor x, Tensor y) in data)
            {
                model.Fit(x, y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
                model.ResetStates();
                updates += x.Dim(0);
            }
        }
        (double seconds, double cpu) = clock.Stop();

        int correct = 0, total = 0;
        foreach ((Tensor x, Tensor y) in data)
        {
            int[] predicted = model.PredictClasses(x, batchSize: 1);
            int[] expected = OneHot.Decode(y);
            model.ResetStates();
            correct += predicted.Zip(expected).Count(p => p.First == p.Second);
            total += expected.Length;
        }
        return new WorkloadResult(MemoryDemo, updates, seconds, 1, null, (double)correct / total, null) { CpuSeconds = cpu };
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
        var clock = WorkloadClock.Start();
        ForecastResult result = WalkForward.Run(series, options);
        (double seconds, double cpu) = clock.Stop();
        int trainRows = series.Values.Length - 2 - options.Test; // lag-1 differencing and lag-1 framing each drop a row
        return new WorkloadResult(ShampooStateful, (long)trainRows * options.Epochs, seconds, 1, null, null, result.Rmse) { CpuSeconds = cpu };
    }

    /// <summary>
    /// Seed 002's echo with context: each epoch a fresh random sequence of 25 integers in 0..99, one-hot
    /// encoded, windows of 5 steps ending at steps 5..24 whose target is the step before the window's last
    /// (20 samples); stateful LSTM(50) at batch 5, Dense(100, softmax), categorical cross-entropy, Adam; one
    /// fit over the 4 batches, then a state reset; built through the recipe (<see cref="EchoExperiment.BuildModel"/>,
    /// whose model also tracks the training accuracy, and <see cref="EchoExperiment.EpochData"/>: the recipe's
    /// sequences and framing, written in place each epoch). Accuracy on one more fresh sequence after training.
    /// </summary>
    public static WorkloadResult RunEchoLagContext(int epochs = 2000, long seed = 1)
    {
        // The recipe's model, data and framing (EchoExperiment with the lag-context variant's defaults).
        var options = new EchoOptions { Variant = EchoVariant.LagContext, Epochs = epochs, Seed = seed };
        int batch = options.ResolvedBatchSize;
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "echo-data"));
        Sequential model = EchoExperiment.BuildModel(options);

        long updates = 0;
        var train = new EchoExperiment.EpochData(options);
        var clock = WorkloadClock.Start();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            train.Next(random);
            model.Fit(train.X, train.Y, epochs: 1, batchSize: batch, shuffle: false, verbose: 0);
            model.ResetStates();
            updates += train.X.Dim(0) / batch;
        }
        (double seconds, double cpu) = clock.Stop();

        EchoExperiment.Framed test = EchoExperiment.Frame(EchoExperiment.NewSequence(random, options), options);
        int[] predicted = model.PredictClasses(test.X, batchSize: batch);
        model.ResetStates();
        int correct = predicted.Zip(test.Expected).Count(p => p.First == p.Second[0]);
        return new WorkloadResult(EchoLagContext, updates, seconds, 1, null, (double)correct / predicted.Length, null) { CpuSeconds = cpu };
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
        var clock = WorkloadClock.Start();
        for (int i = 0; i < steps; i++)
            model.TrainOnBatch(x, y);
        (double seconds, double cpu) = clock.Stop();
        double flops = (double)steps * 3 * 2 * batch * timesteps * 4 * units * (inputs + units);
        string name = $"batched-b{batch}-t{timesteps}-in{inputs}-h{units}";
        return new WorkloadResult(name, steps, seconds, 1, flops / seconds / 1e9, null, null) { CpuSeconds = cpu };
    }

    private static Tensor ReshapedCopy(this Tensor t, params ReadOnlySpan<int> shape)
    {
        var copy = new Tensor(shape);
        t.Span.CopyTo(copy.Span);
        return copy;
    }
}
