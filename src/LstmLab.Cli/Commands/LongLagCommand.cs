using System.CommandLine;
using LstmLab.Experiments.LongLag;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Store;
using LstmLab.Experiments.Trials;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab run long-lag --task NAME</c>: the long-time-lag experiments of Hochreiter &amp; Schmidhuber (1997) and two modern variants.</summary>
internal static class LongLagCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task")
        {
            Description = "reber, 2a, 2b, 2c, adding, multiplication, temporal-order (the 1997 paper's Section 5), adding-tcn or copy-memory (the TCN paper's forms).",
            Required = true,
        };
        var p = new Option<int>("--p") { Description = "2a/2b: the time lag p; 2c: the number of distractor symbols p.", DefaultValueFactory = _ => 100 };
        var q = new Option<int>("--q") { Description = "2c: the minimal time lag q.", DefaultValueFactory = _ => 100 };
        var t = new Option<int?>("--T", "--t") { Description = "adding, multiplication: the minimal length T (default 100); adding-tcn: the length (600); copy-memory: the blank length (1000)." };
        var digits = new Option<int>("--digits") { Description = "copy-memory: the digits to copy, 1 to 10 (the TCN paper's 10).", DefaultValueFactory = _ => 10 };
        var symbols = new Option<int>("--symbols") { Description = "temporal-order: 2 or 3 relevant symbols.", DefaultValueFactory = _ => 2 };
        var units = new Option<int>("--units") { Description = "LSTM units.", DefaultValueFactory = _ => 16 };
        var maxSequences = new Option<long>("--max-sequences") { Description = "Stop a trial unsolved after this many training sequences.", DefaultValueFactory = _ => 200_000 };
        var forgetBias = new Option<double?>("--forget-bias") { Description = "Initial forget-gate bias (default: Keras's unit_forget_bias, 1)." };
        var chrono = new Option<double?>("--chrono") { Description = "Chrono initialization (Tallec & Ollivier 2018) for dependencies up to T_MAX steps: each unit's forget bias ln U[1, T_MAX-1], its input bias the negative (instead of --forget-bias)." };
        var recallWeight = new Option<double?>("--recall-weight") { Description = "2a, 2b, copy-memory: weight of the training loss at the recall steps (the last step; copy-memory's last --digits), every other step 1 (Keras's temporal sample_weight)." };
        var seed = CommonOptions.Seed("Seed of the first trial (trial i uses seed + i - 1).");
        var trials = CommonOptions.Trials("Run N trials (seeds seed .. seed+N-1) and report the success rate with a 95% Wilson interval.");
        var parallel = CommonOptions.Parallel("Trials");
        var json = CommonOptions.Json();
        var optimizer = new OptimizerOptions("0.01 with --global-clipnorm 1 unless a clipping is given");
        var command = new Command("long-lag", "Hochreiter & Schmidhuber (1997) Section 5: long-time-lag tasks, with the paper's generators, success criteria and results beside LstmLab's.")
        {
            task, p, q, t, digits, symbols, units, maxSequences, forgetBias, chrono, recallWeight, seed, trials, parallel, json,
        };
        optimizer.AddTo(command);
        var decay = new LearningRateDecayOptions();
        decay.AddTo(command);
        Option<string?> store = CommandStore.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Guard(() =>
        {
            CommandStore.Check(parse, store);
            var options = new LongLagOptions
            {
                Task = parse.GetValue(task)!,
                P = parse.GetValue(p),
                Q = parse.GetValue(q),
                T = parse.GetValue(t),
                Symbols = parse.GetValue(symbols),
                Digits = parse.GetValue(digits),
                Units = parse.GetValue(units),
                MaxSequences = parse.GetValue(maxSequences),
                ForgetBias = parse.GetValue(forgetBias),
                Chrono = parse.GetValue(chrono),
                RecallWeight = parse.GetValue(recallWeight),
                Seed = parse.GetValue(seed),
                Optimizer = ReadOptimizer(optimizer, parse),
                LearningRateDecay = decay.Read(parse),
            };
            options.Validate();
            int n = parse.GetValue(trials);
            if (n < 1)
                throw new ArgumentException($"--trials must be at least 1 (got {n}).");
            return Run(options, n, parse.GetValue(parallel), parse.GetValue(json), cancel, r => CommandStore.Record(parse, store, "run long-lag", null, ["run"], n, options.Seed, CommandUnits.Of(r)));
        })));
        return command;
    }

    /// <summary>The optimizer options over long-lag's defaults: learning rate 0.01, and global_clipnorm 1 unless a clipping is given.</summary>
    private static LstmLab.Training.OptimizerSettings ReadOptimizer(OptimizerOptions options, ParseResult parse)
    {
        LstmLab.Training.OptimizerSettings given = options.Read(parse);
        bool clipped = given.ClipNorm is not null || given.ClipValue is not null || given.GlobalClipNorm is not null;
        return given with
        {
            LearningRate = given.LearningRate ?? LongLagOptions.DefaultOptimizer.LearningRate,
            GlobalClipNorm = clipped ? given.GlobalClipNorm : LongLagOptions.DefaultOptimizer.GlobalClipNorm,
        };
    }

    private static int Run(LongLagOptions options, int trials, int parallel, bool json, CancellationToken cancel, Action<IReadOnlyList<LongLagTrial>>? record = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        LongLagTask task = options.CreateTask();
        Console.WriteLine(F($"Task {task.Name}: {task.Description}"));
        Console.WriteLine(F($"Network: LSTM({options.Units}) -> Dense({task.Outputs}, {task.Output.ToString().ToLowerInvariant()}), {options.Optimizer}{(options.ForgetBias is double fb ? F($", forget bias {fb}") : "")}{(options.Chrono is double tm ? F($", chrono init T_max {tm}") : "")}{(options.LearningRateDecay is { } d ? ", " + d : "")}{(options.RecallWeight is double rw ? F($", recall steps weighted {rw}") : "")}; one update per sequence, at most {options.MaxSequences:N0} sequences per trial"));
        Console.WriteLine(F($"Success: {task.CriterionText}"));
        if (task.Baseline is string baseline)
            Console.WriteLine(F($"Baseline: {baseline}"));
        var bar = new ProgressBar(F($"{trials} trials"), trials * options.MaxSequences);
        LongLagTrial[] results = RecipeTrials.Run(trials, parallel, i => LongLagRunner.RunTrial(options, options.Seed + i, n => bar.Advance(n), cancel), cancel);
        record?.Invoke(results);
        foreach (LongLagTrial r in results)
        {
            string outcome = r.SequencesToSuccess is long s ? F($"solved after {s:N0} sequences") : F($"not solved in {r.SequencesTrained:N0} sequences{(r.Progress.Length > 0 ? "; " + r.Progress : "")}");
            Console.WriteLine(F($"seed {r.Seed}: {outcome} ({r.Seconds:F1} s)"));
        }
        TrialSummary summary = TrialSummary.From(results.Select(r => (r.Solved, (int?)r.SequencesToSuccess)).ToArray());
        double[] sequences = results.Where(r => r.Solved).Select(r => (double)r.SequencesToSuccess!.Value).ToArray();
        double? mean = sequences.Length == 0 ? null : sequences.Average();
        string stats = mean is double m ? F($"; sequences to success: mean {m:N0}, median {summary.MedianEpochsToSuccess:N0}") : "";
        string paper = task.PaperSequences is double ps ? F($"; the paper: {ps:N0} sequences ({task.PaperResult})") : "; the paper reports no figure for these settings";
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(F($"Solved: {summary.Successes}/{summary.Trials} = {summary.Rate:P0}, 95% Wilson interval [{summary.IntervalLow:P0}, {summary.IntervalHigh:P0}]{stats}{paper}; {seconds:F1} s"));
        if (json)
        {
            WriteJsonLine(new
            {
                Task = task.Name,
                Description = task.Description,
                Trials = trials,
                Solved = summary.Successes,
                SuccessRate = summary.Rate,
                WilsonLow = summary.IntervalLow,
                WilsonHigh = summary.IntervalHigh,
                SequencesMean = mean,
                SequencesMedian = summary.MedianEpochsToSuccess,
                PaperSequences = task.PaperSequences,
                Seconds = seconds,
                options.Units,
                Optimizer = options.Optimizer.ToString(),
                LearningRateDecay = options.LearningRateDecay?.ToString(),
                options.ForgetBias,
                options.Chrono,
                options.RecallWeight,
                options.MaxSequences,
                FirstSeed = options.Seed,
                Criterion = task.CriterionText,
                task.Baseline,
                PerTrial = results.Select(r => new { r.Seed, r.Solved, r.SequencesToSuccess, r.SequencesTrained, r.Seconds }),
            });
        }
        return 0;
    }
}
