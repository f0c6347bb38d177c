using System.Diagnostics;
using System.Globalization;
using LstmLab.Numerics;

namespace LstmLab.Experiments.Benchmarks;

/// <summary>
/// One workload's timing: how many gradient updates it made, the wall-clock seconds they took, and
/// the skill reached (so a fast but broken engine shows). Mirrors a JSON line of the PyTorch anchor
/// script <c>torch_seed_workloads.py</c>.
/// </summary>
/// <param name="Workload">The workload's name (the anchor script's name).</param>
/// <param name="Updates">Gradient updates (optimizer steps) timed, over all copies.</param>
/// <param name="Seconds">Wall-clock seconds of the timed part.</param>
/// <param name="Copies">Independent copies run at once (1 unless asked for more).</param>
/// <param name="Gflops">Matrix-multiply GFLOP/s of the batched workload, else null.</param>
/// <param name="Accuracy">Accuracy after training (classification workloads), else null.</param>
/// <param name="Rmse">Forecast RMSE (shampoo), else null.</param>
public sealed record WorkloadResult(string Workload, long Updates, double Seconds, int Copies, double? Gflops, double? Accuracy, double? Rmse)
{
    /// <summary>Microseconds of wall-clock time per update (over all copies when several run at once).</summary>
    public double UsPerUpdate => Updates == 0 ? 0 : 1e6 * Seconds / Updates;

    /// <summary>
    /// CPU seconds the whole process used during the timed part (all threads: engine helpers, the garbage
    /// collector and the JIT included). On a loaded machine it moves less than <see cref="Seconds"/>.
    /// </summary>
    public double CpuSeconds { get; init; }

    /// <summary>Engine threads each model split its work over (<see cref="EngineThreads"/>).</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>How <see cref="BenchMeasurement.Measure"/> times a workload.</summary>
/// <param name="Copies">Independent copies run at once, one per thread (1: a single model).</param>
/// <param name="Runs">Timed runs after the warm-up; the median is reported.</param>
/// <param name="WarmUpSeconds">
/// Untimed runs first, until this many seconds have passed (at least one run), so that the timed runs
/// execute fully optimised machine code rather than the JIT's first tiers; 0 times the very first run
/// in the process, start-up compilation included, as the anchor script's single runs are.
/// </param>
/// <param name="Seed">Seed of the first copy.</param>
/// <param name="Threads">Engine threads per model (1: the figure to compare with peers run on one thread).</param>
public sealed record BenchSettings(int Copies = 1, int Runs = 5, double WarmUpSeconds = 1.0, long Seed = 1, int Threads = 1)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Copies < 1)
            throw new ArgumentException($"--copies must be at least 1 (got {Copies}).");
        if (Threads < 1)
            throw new ArgumentException($"--threads must be at least 1 (got {Threads}).");
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
public sealed record BenchResult(WorkloadResult Median, double SecondsMin, double SecondsMax, int Runs, double FirstRunSeconds)
{
    /// <summary>
    /// The process's peak resident memory while this workload's runs went on, in bytes (Linux: the peak is
    /// reset before the workload); null where the operating system does not tell it.
    /// </summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The instruction set the kernels ran with (<see cref="KernelInstructionSet.Name"/>).</summary>
    public string InstructionSet { get; init; } = KernelInstructionSet.Name;
}

/// <summary>Wall-clock and process CPU time of one timed part.</summary>
internal readonly struct WorkloadClock
{
    private readonly long _start;
    private readonly TimeSpan _cpu;

    private WorkloadClock(long start, TimeSpan cpu) => (_start, _cpu) = (start, cpu);

    public static WorkloadClock Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>(wall-clock seconds, CPU seconds) since <see cref="Start"/>.</summary>
    public (double Seconds, double CpuSeconds) Stop()
    {
        double seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        return (seconds, (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds);
    }
}

/// <summary>Times the seed workloads over several runs (<see cref="SeedWorkloads"/> runs each once).</summary>
public static class BenchMeasurement
{
    /// <summary>
    /// Times workload <paramref name="name"/>: one first run, untimed warm-up runs while
    /// <see cref="BenchSettings.WarmUpSeconds"/> have not passed, then <see cref="BenchSettings.Runs"/>
    /// timed runs, of which the median is reported. With a warm-up of 0 the first run is the only one
    /// (and the result), as in the anchor script. Before each run the previous runs' models are collected,
    /// so the peak memory is that of one run (a few of them when copies run at once).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or invalid settings.</exception>
    public static BenchResult Measure(string name, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        bool peakReset = PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        WorkloadResult first = Run(name, settings);
        BenchResult result;
        if (settings.WarmUpSeconds == 0)
        {
            result = new BenchResult(first, first.Seconds, first.Seconds, 1, first.Seconds);
        }
        else
        {
            while (clock.Elapsed.TotalSeconds < settings.WarmUpSeconds)
                Run(name, settings);
            var runs = new WorkloadResult[settings.Runs];
            for (int i = 0; i < runs.Length; i++)
                runs[i] = Run(name, settings);
            WorkloadResult[] sorted = [.. runs.OrderBy(r => r.Seconds)];
            result = new BenchResult(sorted[sorted.Length / 2], sorted[0].Seconds, sorted[^1].Seconds, runs.Length, first.Seconds);
        }
        return result with { PeakMemoryBytes = peakReset ? PeakMemory.Read() : null };
    }

    private static WorkloadResult Run(string name, BenchSettings settings)
    {
        // The last run's model and data are garbage now: collect them (untimed) rather than let runs pile up.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return SeedWorkloads.Run(name, settings.Copies, settings.Seed, settings.Threads);
    }
}

/// <summary>The process's peak resident memory (Linux: VmHWM in /proc/self/status, reset through /proc/self/clear_refs).</summary>
internal static class PeakMemory
{
    /// <summary>Resets the peak to the current resident size; false where that is not possible.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return Read() is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The peak resident bytes since the last reset, or null.</summary>
    public static long? Read()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    continue;
                string kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
