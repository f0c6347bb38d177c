using System.CommandLine;
using LstmLab.Experiments.Benchmarks;
using LstmLab.Experiments.Harness;
using LstmLab.Numerics;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>lstmlab bench</c>: times the seed tutorials' training workloads, under the names and with the
/// same work as the PyTorch anchor script, so the two can be compared in one run on one machine; with
/// <c>--gemm</c> or <c>--sweep</c>, matrix products or the anchors' step-time sweep instead.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var workload = new Option<string?>("--workload")
        {
            Description = $"Run only this workload: {string.Join(", ", SeedWorkloads.Names)} (default: all, in that order).",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Engine threads each model splits its matrix products and element-wise kernels over (bit-identical results "
                + "at any count). Default 1: the figure to compare with the peers run on one thread.",
            DefaultValueFactory = _ => 1,
        };
        var copies = new Option<int>("--copies")
        {
            Description = "Run N independent copies of each workload at once (one per thread, seeds 1..N) and report their combined "
                + "throughput: the updates of all copies over the wall-clock time. No single model gets faster. Default 1.",
            DefaultValueFactory = _ => 1,
        };
        var runs = new Option<int>("--runs")
        {
            Description = "Timed runs per workload after the warm-up; the median is reported (min and max go into --json).",
            DefaultValueFactory = _ => 5,
        };
        var noWarmUp = new Option<bool>("--no-warmup")
        {
            Description = "Time only the first run of each workload, just-in-time compilation included (the anchor script's "
                + "runs are single and cold too, but PyTorch's kernels are compiled ahead of time). By default untimed runs "
                + "come first for about a second, so that the timed runs execute fully optimised code.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Write one JSON line per workload to standard output (workload, updates, seconds, us_per_update, cpu_seconds, "
                + "peak_memory_mb, isa, threads, and gflops, accuracy or rmse where they apply); the table then goes to standard error.",
        };
        var gemm = new Option<string[]>("--gemm")
        {
            Description = "Time matrix products C = A·B instead of the workloads, one per MxKxN shape (e.g. 2048x2048x2048 6400x64x1024): "
                + "the median of 5 rounds after a warm-up, in GFLOP/s.",
            AllowMultipleArgumentsPerToken = true,
        };
        var sweep = new Option<string[]>("--sweep")
        {
            Description = "Time training steps of a stateless LSTM(h) -> Dense(1), MSE, Adam instead of the workloads, one per h,T,B[,in] "
                + "point (in defaults to 32): the protocol of the anchors' torch_sweep.py, one JSON line per point.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("bench",
            "Time the tutorials' training workloads (memory-demo, shampoo-stateful, echo-lag-context, batched-b64-t100-in64-h256) "
            + "with the same work as the PyTorch anchor script. Build in Release for figures worth quoting.")
        {
            workload, threads, copies, runs, noWarmUp, json, gemm, sweep,
        };
        command.SetAction(parse => Guard(() =>
        {
            string? only = parse.GetValue(workload);
            if (only is not null && !SeedWorkloads.Names.Contains(only))
                throw new ArgumentException($"Unknown workload '{only}': expected one of {string.Join(", ", SeedWorkloads.Names)}.");
            var settings = new BenchSettings(parse.GetValue(copies), parse.GetValue(runs), parse.GetValue(noWarmUp) ? 0 : 1.0, Threads: parse.GetValue(threads));
            settings.Validate();
            string[] shapes = parse.GetValue(gemm) ?? [], points = parse.GetValue(sweep) ?? [];
            if (shapes.Length > 0 && points.Length > 0)
                throw new ArgumentException("--gemm and --sweep cannot be combined: run them one at a time.");
            if (shapes.Length > 0)
                return Gemm(shapes, settings.Threads);
            if (points.Length > 0)
                return Sweep(points, settings.Threads);
            bool asJson = parse.GetValue(json);
            TextWriter table = asJson ? Console.Error : Console.Out;
            table.WriteLine(F($"Kernels: {KernelInstructionSet.Name}; {settings.Threads} engine thread(s) per model; machine: {MachineInfo.Current().Cpu ?? "CPU not reported"}, {Environment.ProcessorCount} cores."));
            table.WriteLine(F($"{"workload",-28} {"updates",9} {"seconds",9} {"us/update",11} {"GFLOP/s",8} {"cpu s",8} {"peak MB",8} {"first run s",11}  skill"));
            foreach (string name in only is null ? SeedWorkloads.Names : [only])
            {
                BenchResult r = BenchMeasurement.Measure(name, settings);
                table.WriteLine(Row(r));
                if (asJson)
                    WriteJsonLine(ToJson(r));
            }
            string timing = settings.WarmUpSeconds == 0
                ? "Each figure is one cold run (JIT compilation included)."
                : F($"Each figure is the median of {settings.Runs} runs after about {settings.WarmUpSeconds:0.#} s of untimed warm-up runs; 'first run s' is the cold first run.");
            table.WriteLine(timing);
            if (settings.Copies > 1)
                table.WriteLine(F($"{settings.Copies} copies of each workload ran at once: the figures are combined throughput, not one model's speed."));
            return 0;
        }));
        return command;
    }

    private static int Gemm(string[] shapes, int threads)
    {
        var parsed = shapes.Select(KernelBenchmarks.ParseShape).ToArray();
        foreach ((int m, int k, int n) in parsed)
        {
            GemmTiming t = KernelBenchmarks.TimeGemm(m, k, n, threads);
            WriteJsonLine(new Dictionary<string, object>
            {
                ["tool"] = "lstmlab",
                ["gemm"] = F($"{m}x{k}x{n}"),
                ["m"] = m,
                ["k"] = k,
                ["n"] = n,
                ["seconds"] = t.Seconds,
                ["gflops"] = t.Gflops,
                ["cpu_seconds"] = t.CpuSeconds,
                ["threads"] = t.Threads,
                ["isa"] = KernelInstructionSet.Name,
            });
        }
        return 0;
    }

    private static int Sweep(string[] points, int threads)
    {
        var parsed = points.Select(KernelBenchmarks.ParsePoint).ToArray();
        foreach ((int h, int steps, int batch, int inputs) in parsed)
        {
            SweepPoint p = KernelBenchmarks.Sweep(h, steps, batch, inputs, threads);
            WriteJsonLine(new Dictionary<string, object>
            {
                ["tool"] = "lstmlab",
                ["h"] = p.Units,
                ["T"] = p.Timesteps,
                ["B"] = p.Batch,
                ["in"] = p.Inputs,
                ["steps"] = p.Steps,
                ["ms_per_step"] = p.MsPerStep,
                ["gflops"] = p.Gflops,
                ["loss"] = p.Loss,
                ["threads"] = p.Threads,
                ["isa"] = KernelInstructionSet.Name,
            });
        }
        return 0;
    }

    private static string Row(BenchResult result)
    {
        WorkloadResult r = result.Median;
        string gflops = r.Gflops is double g ? F($"{g,8:F1}") : $"{"-",8}";
        string peak = result.PeakMemoryBytes is long b ? F($"{b / 1048576.0,8:F0}") : $"{"-",8}";
        string skill = r.Accuracy is double a ? F($"accuracy {a:F3}") : r.Rmse is double e ? F($"rmse {e:F3}") : "";
        return F($"{r.Workload,-28} {r.Updates,9} {r.Seconds,9:F3} {r.UsPerUpdate,11:F2} {gflops} {r.CpuSeconds,8:F3} {peak} {result.FirstRunSeconds,11:F3}  {skill}");
    }

    private static Dictionary<string, object> ToJson(BenchResult result)
    {
        WorkloadResult r = result.Median;
        var line = new Dictionary<string, object>
        {
            ["workload"] = r.Workload,
            ["updates"] = r.Updates,
            ["seconds"] = r.Seconds,
            ["us_per_update"] = r.UsPerUpdate,
        };
        if (r.Gflops is double g)
            line["gflops"] = g;
        if (r.Accuracy is double a)
            line["accuracy"] = a;
        if (r.Rmse is double e)
            line["rmse"] = e;
        line["cpu_seconds"] = r.CpuSeconds;
        if (result.PeakMemoryBytes is long bytes)
            line["peak_memory_mb"] = Math.Round(bytes / 1048576.0, 1);
        line["isa"] = result.InstructionSet;
        line["threads"] = r.Threads;
        line["copies"] = r.Copies;
        line["runs"] = result.Runs;
        line["seconds_min"] = result.SecondsMin;
        line["seconds_max"] = result.SecondsMax;
        line["first_run_seconds"] = result.FirstRunSeconds;
        return line;
    }
}
