using System.Diagnostics;
using System.Globalization;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Benchmarks;

/// <summary>One matrix product's timing: C[m,n] = A[m,k]·B[k,n] (row-major, <see cref="Gemm.MatMul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>).</summary>
/// <param name="M">Rows of A and C.</param>
/// <param name="K">Columns of A, rows of B.</param>
/// <param name="N">Columns of B and C.</param>
/// <param name="Repeats">Products timed.</param>
/// <param name="Seconds">Wall-clock seconds per product (the median of the timed rounds).</param>
/// <param name="Threads">Engine threads the product split over.</param>
/// <param name="CpuSeconds">Process CPU seconds per product over all timed rounds (on a loaded machine it moves less than the wall-clock time).</param>
public sealed record GemmTiming(int M, int K, int N, int Repeats, double Seconds, int Threads, double CpuSeconds)
{
    /// <summary>2·m·k·n / seconds, in GFLOP/s.</summary>
    public double Gflops => 2.0 * M * K * N / Seconds / 1e9;
}

/// <summary>One point of the step-time sweep (the protocol of the anchors' <c>torch_sweep.py</c>).</summary>
/// <param name="Units">h: LSTM units.</param>
/// <param name="Timesteps">T.</param>
/// <param name="Batch">B.</param>
/// <param name="Inputs">Input features.</param>
/// <param name="Steps">Training steps timed.</param>
/// <param name="Seconds">Wall-clock seconds of the timed steps.</param>
/// <param name="Loss">The last step's loss.</param>
/// <param name="Threads">Engine threads.</param>
public sealed record SweepPoint(int Units, int Timesteps, int Batch, int Inputs, int Steps, double Seconds, double Loss, int Threads)
{
    /// <summary>Milliseconds per training step.</summary>
    public double MsPerStep => 1e3 * Seconds / Steps;

    /// <summary>3·2·B·T·4h·(in + h) per step / seconds, as the anchor counts.</summary>
    public double Gflops => 3.0 * 2 * Batch * Timesteps * 4.0 * Units * (Inputs + Units) * Steps / Seconds / 1e9;
}

/// <summary>The matrix-multiply timing and the step-time sweep that <c>benchmarks/compare-with-pytorch.sh</c> compares with OpenBLAS, PyTorch and TorchSharp.</summary>
public static class KernelBenchmarks
{
    /// <summary>
    /// Times C = A·B for an m×k A and a k×n B of uniform values in [−1, 1): warm-up products for about
    /// 0.3 s, then 5 rounds of products for about 0.2 s each; the median round's time per product.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or the thread count below 1.</exception>
    public static GemmTiming TimeGemm(int m, int k, int n, int threads = 1)
    {
        if (m < 1 || k < 1 || n < 1)
            throw new ArgumentOutOfRangeException(nameof(m), $"A product needs positive dimensions (got {m}×{k}×{n}).");
        EngineThreads.Check(threads, nameof(threads));
        var random = new RandomGenerator(1);
        float[] a = Uniform(random, (long)m * k), b = Uniform(random, (long)k * n), c = new float[(long)m * n];
        using EngineThreads.Scope scope = EngineThreads.Use(threads);
        var clock = Stopwatch.StartNew();
        int perRound = 0;
        while (clock.Elapsed.TotalSeconds < 0.3 || perRound < 1)
        {
            Gemm.MatMul(a, b, c, m, k, n, accumulate: false);
            perRound++;
        }
        perRound = Math.Max(1, (int)(perRound * 0.2 / clock.Elapsed.TotalSeconds));
        var rounds = new double[5];
        var cpu = WorkloadClock.Start();
        for (int r = 0; r < rounds.Length; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perRound; i++)
                Gemm.MatMul(a, b, c, m, k, n, accumulate: false);
            rounds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / perRound;
        }
        double cpuSeconds = cpu.Stop().CpuSeconds / (perRound * rounds.Length);
        Array.Sort(rounds);
        return new GemmTiming(m, k, n, perRound * rounds.Length, rounds[rounds.Length / 2], threads, cpuSeconds);
    }

    /// <summary>
    /// One sweep point, the work of <c>torch_sweep.py</c>: a stateless LSTM(h) over a batch of B sequences of T
    /// steps × <paramref name="inputs"/> features uniform in [−1, 1), Dense(1) on the last output, MSE, Adam
    /// (learning rate 0.001, ε 1e-7); untimed steps for at least 0.5 s (and 2 steps), then timed steps for at
    /// least 1 s (and 3 steps).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or the thread count below 1.</exception>
    public static SweepPoint Sweep(int units, int timesteps, int batch, int inputs = 32, int threads = 1)
    {
        if (units < 1 || timesteps < 1 || batch < 1 || inputs < 1)
            throw new ArgumentOutOfRangeException(nameof(units), $"A sweep point needs positive sizes (got h={units}, T={timesteps}, B={batch}, in={inputs}).");
        EngineThreads.Check(threads, nameof(threads));
        var random = new RandomGenerator(1);
        var x = new Tensor(batch, timesteps, inputs);
        var y = new Tensor(batch, 1);
        Fill(random, x.Span);
        Fill(random, y.Span);
        var model = new Sequential(SampleShape.Sequence(timesteps, inputs), seed: 1) { Threads = threads };
        model.Add(new Lstm(units));
        model.Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Adam());
        var clock = Stopwatch.StartNew();
        for (int warm = 0; warm < 2 || clock.Elapsed.TotalSeconds < 0.5; warm++)
            model.TrainOnBatch(x, y);
        long start = Stopwatch.GetTimestamp();
        int steps = 0;
        double loss = 0;
        while (steps < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 1.0)
        {
            loss = model.TrainOnBatch(x, y);
            steps++;
        }
        return new SweepPoint(units, timesteps, batch, inputs, steps, Stopwatch.GetElapsedTime(start).TotalSeconds, loss, threads);
    }

    /// <summary>Parses <c>h,T,B[,in]</c> (in defaults to 32, as the anchor).</summary>
    /// <exception cref="ArgumentException">Not three or four positive integers.</exception>
    public static (int Units, int Timesteps, int Batch, int Inputs) ParsePoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int[] p = ParseInts(text, ',', "--sweep", "h,T,B or h,T,B,in");
        if (p.Length is not (3 or 4))
            throw new ArgumentException($"--sweep: '{text}' is not h,T,B or h,T,B,in (expected 3 or 4 positive integers, got {p.Length}).");
        return (p[0], p[1], p[2], p.Length == 4 ? p[3] : 32);
    }

    /// <summary>Parses <c>MxKxN</c>.</summary>
    /// <exception cref="ArgumentException">Not three positive integers.</exception>
    public static (int M, int K, int N) ParseShape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int[] p = ParseInts(text, 'x', "--gemm", "MxKxN");
        if (p.Length != 3)
            throw new ArgumentException($"--gemm: '{text}' is not MxKxN (expected 3 positive integers, got {p.Length}).");
        return (p[0], p[1], p[2]);
    }

    private static int[] ParseInts(string text, char separator, string option, string form)
    {
        string[] parts = text.Split(separator);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                throw new ArgumentException($"{option}: '{text}' is not {form}: '{parts[i]}' is not a positive integer.");
        }
        return values;
    }

    private static float[] Uniform(RandomGenerator random, long count)
    {
        var values = new float[count];
        Fill(random, values);
        return values;
    }

    private static void Fill(RandomGenerator random, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(2 * random.NextDouble() - 1);
    }
}
