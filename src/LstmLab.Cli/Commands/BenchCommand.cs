using System.CommandLine;
using LstmLab.Experiments.Benchmarks;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>lstmlab bench</c>: times the seed tutorials' training workloads, under the names and with the
/// same work as the PyTorch anchor script, so the two can be compared in one run on one machine.
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
            Description = "The engine trains one model on one thread; it has no threading inside a model. "
                + "With N > 1, N independent copies of each workload run at once (one per thread, seeds 1..N) and the figures are "
                + "their combined throughput: the updates of all copies over the wall-clock time. No single model gets faster. "
                + "Default 1: the figure to compare with the PyTorch anchor run on one thread.",
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
            Description = "Write one JSON line per workload to standard output (workload, updates, seconds, us_per_update, "
                + "and gflops, accuracy or rmse where they apply); the table then goes to standard error.",
        };
        var command = new Command("bench",
            "Time the tutorials' training workloads (memory-demo, shampoo-stateful, echo-lag-context, batched-b64-t100-in64-h256) "
            + "with the same work as the PyTorch anchor script. Build in Release for figures worth quoting.")
        {
            workload, threads, runs, noWarmUp, json,
        };
        command.SetAction(parse => Guard(() =>
        {
            string? only = parse.GetValue(workload);
            if (only is not null && !SeedWorkloads.Names.Contains(only))
                throw new ArgumentException($"Unknown workload '{only}': expected one of {string.Join(", ", SeedWorkloads.Names)}.");
            var settings = new BenchSettings(parse.GetValue(threads), parse.GetValue(runs), parse.GetValue(noWarmUp) ? 0 : 1.0);
            settings.Validate();
            bool asJson = parse.GetValue(json);
            TextWriter table = asJson ? Console.Error : Console.Out;
            table.WriteLine(F($"{"workload",-28} {"updates",9} {"seconds",9} {"us/update",11} {"GFLOP/s",8} {"first run s",11}  skill"));
            foreach (string name in only is null ? SeedWorkloads.Names : [only])
            {
                BenchResult r = SeedWorkloads.Measure(name, settings);
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

    private static string Row(BenchResult result)
    {
        WorkloadResult r = result.Median;
        string gflops = r.Gflops is double g ? F($"{g,8:F1}") : $"{"-",8}";
        string skill = r.Accuracy is double a ? F($"accuracy {a:F3}") : r.Rmse is double e ? F($"rmse {e:F3}") : "";
        return F($"{r.Workload,-28} {r.Updates,9} {r.Seconds,9:F3} {r.UsPerUpdate,11:F2} {gflops} {result.FirstRunSeconds,11:F3}  {skill}");
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
        line["threads"] = r.Copies;
        line["runs"] = result.Runs;
        line["seconds_min"] = result.SecondsMin;
        line["seconds_max"] = result.SecondsMax;
        line["first_run_seconds"] = result.FirstRunSeconds;
        return line;
    }
}
