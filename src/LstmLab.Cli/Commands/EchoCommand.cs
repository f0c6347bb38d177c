using System.CommandLine;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Trials;
using LstmLab.Numerics;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab run echo</c>: the echo experiments of seed tutorial 002, and their extensions.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var variant = new Option<string>("--variant")
        {
            Description = "current (echo X(t), LSTM 15, 500 epochs), lag-no-context (echo X(t-1) from X(t) alone, stateful LSTM 50 at batch 6, 2000 epochs: the beginner's mistake) or lag-context (X(t-1) from the last 5 values as time steps, stateful LSTM 50 at batch 5, 2000 epochs).",
            DefaultValueFactory = _ => "current",
        };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs, each on a fresh random sequence (default 500 for current, 2000 for the lag variants)." };
        var seed = CommonOptions.Seed("Random seed of the weights and sequences (the first seed when --trials > 1).");
        var lag = new Option<int?>("--lag") { Description = "Echo X(t-N) (lag variants; default 1)." };
        var alphabet = new Option<int>("--alphabet") { Description = "Integers in [0, N-1], one-hot over N values.", DefaultValueFactory = _ => 100 };
        var length = new Option<int>("--length") { Description = "Values per random sequence.", DefaultValueFactory = _ => 25 };
        var window = new Option<int?>("--window") { Description = "lag-context: time steps per sample (default 5)." };
        var wholeSequence = new Option<bool>("--whole-sequence")
        {
            Description = "lag-context: each sample is the whole sequence so far, pre-padded with -1 to the full length and read through Masking(-1), so the padding is skipped; stateless.",
        };
        var lagSequence = new Option<int?>("--lag-sequence")
        {
            Description = "lag-context: echo the last N values at once. Windows of N + lag steps, LSTM with return_sequences and a per-step Dense; step k echoes the value lag steps before it (the first lag steps, with nothing to echo in the window, have zero targets and are not scored); stateless.",
        };
        var units = new Option<int?>("--units") { Description = "LSTM units (default 15 for current, 50 for the lag variants)." };
        var batch = new Option<int?>("--batch-size") { Description = "Batch size (default 1, 6 or 5 as the tutorial); a stateful model needs it to divide the samples per sequence." };
        var stateless = new Option<bool>("--stateless") { Description = "Lag variants: a stateless LSTM instead of the tutorial's stateful one (does the carried state help?)." };
        var recurrent = CommonOptions.RecurrentActivation();
        var trials = CommonOptions.Trials("Run N seeds (seed, seed+1, ...) in parallel and report how often the new sequence is echoed perfectly, with a 95% Wilson interval.");
        var parallel = CommonOptions.Parallel("Trials");
        var json = CommonOptions.Json();
        var save = ModelCommand.SaveOption();
        var command = new Command("echo", "Seed 002: an LSTM learns to echo random integers: the current value, or a past one with and without context.")
        {
            variant, epochs, seed, lag, alphabet, length, window, wholeSequence, lagSequence, units, batch, stateless, recurrent, trials, parallel, json, save,
        };
        command.SetAction(parse => Guard(() =>
        {
            var options = new EchoOptions
            {
                Variant = EchoOptions.ParseVariant(parse.GetValue(variant)),
                Epochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
                Lag = parse.GetValue(lag),
                Alphabet = parse.GetValue(alphabet),
                Length = parse.GetValue(length),
                Window = parse.GetValue(window),
                WholeSequence = parse.GetValue(wholeSequence),
                LagSequence = parse.GetValue(lagSequence),
                Units = parse.GetValue(units),
                BatchSize = parse.GetValue(batch),
                Stateless = parse.GetValue(stateless),
                RecurrentActivation = Activations.ParseRecurrent(parse.GetValue(recurrent)!),
            };
            options.Validate();
            int n = parse.GetValue(trials);
            if (n < 1)
                throw new ArgumentException($"--trials must be at least 1 (got {n}).");
            int threads = parse.GetValue(parallel);
            if (threads < 1)
                throw new ArgumentException($"--parallel must be at least 1 (got {threads}).");
            Console.WriteLine(Header(options));
            if (options.Variant == EchoVariant.LagContext && !options.WholeSequence && options.LagSequence is null && options.ResolvedLag >= options.ResolvedWindow)
                Console.Error.WriteLine(F($"note: X(t-{options.ResolvedLag}) lies outside the window of the last {options.ResolvedWindow} values, so the model cannot see it; expect chance-level accuracy."));
            ModelCommand.CheckSavePath(parse.GetValue(save), n);
            return n == 1 ? RunOnce(options, parse.GetValue(json), parse.GetValue(save)) : RunTrials(options, n, threads, parse.GetValue(json));
        }));
        return command;
    }

    private static string Header(EchoOptions o)
    {
        string model = o.WholeSequence ? "Masking(-1), " : "";
        model += F($"{(o.ResolvedStateful ? "stateful " : "")}LSTM({o.ResolvedUnits}{(o.LagSequence is null ? "" : ", return_sequences")})");
        return F($"Echo (seed 002), {EchoOptions.Name(o.Variant)}: {o.Describe()}; input ({o.ResolvedWindow}, {o.Alphabet}), {model}, Dense({o.Alphabet}, softmax){(o.LagSequence is null ? "" : " per step")}; categorical cross-entropy, Adam; batch {o.ResolvedBatchSize}; {o.ResolvedEpochs} epochs, each on a fresh sequence of {o.Length} integers in [0, {o.Alphabet - 1}] ({o.SamplesPerSequence} samples); recurrent activation {Activations.Name(o.RecurrentActivation)}; seed {o.Seed}");
    }

    private static int RunOnce(EchoOptions options, bool json, string? save = null)
    {
        var bar = new ProgressBar("Training", options.ResolvedEpochs);
        EchoResult result = EchoExperiment.Run(options, e => bar.Advance(1, F($"loss {e.Loss:F4}, accuracy {e.Accuracy ?? 0:F3}")));
        ModelCommand.SaveTrained(result.Model, save, Console.Error);
        Console.WriteLine("Expected: " + List(result.Expected));
        Console.WriteLine("Predicted: " + List(result.Predicted));
        Console.WriteLine(F($"Accuracy: {result.Correct}/{result.Total} ({result.Accuracy:P0}) on a new sequence; {FirstSuccess(result)}; {result.Seconds:F2} s"));
        if (json)
        {
            bool flat = options.LagSequence is null;
            WriteJsonLine(new
            {
                Experiment = "echo",
                Variant = EchoOptions.Name(options.Variant),
                result.Accuracy,
                result.Correct,
                result.Total,
                Expected = flat ? (object)result.Expected.Select(e => e[0]) : result.Expected,
                Predicted = flat ? (object)result.Predicted.Select(e => e[0]) : result.Predicted,
                result.Sequence,
                FirstSuccessEpoch = result.FirstSuccessEpoch,
                FinalTrainLoss = result.Loss.Count > 0 ? result.Loss[^1] : (double?)null,
                FinalTrainAccuracy = result.TrainAccuracy.Count > 0 ? result.TrainAccuracy[^1] : (double?)null,
                result.Seconds,
                Settings(options).Epochs,
                Settings = Settings(options),
            });
        }
        return 0;
    }

    private static int RunTrials(EchoOptions options, int trials, int parallel, bool json)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bar = new ProgressBar(F($"{trials} trials"), (long)trials * options.ResolvedEpochs);
        EchoResult[] results = RecipeTrials.Run(trials, parallel, i => EchoExperiment.Run(options with { Seed = options.Seed + i }, _ => bar.Advance()));
        foreach (EchoResult r in results)
            Console.WriteLine(F($"seed {r.Options.Seed}: {r.Correct}/{r.Total} correct on a new sequence; {FirstSuccess(r)}"));
        TrialSummary summary = TrialSummary.From(results.Select(r => (r.Solved, r.FirstSuccessEpoch)).ToArray());
        string median = summary.MedianEpochsToSuccess is double m ? F($"; median epochs to a perfect probe {m:F0}") : "";
        double meanAccuracy = results.Average(r => r.Accuracy);
        Console.WriteLine(F($"Solved (every value of a new sequence echoed after {options.ResolvedEpochs} epochs): {summary.Successes}/{summary.Trials} = {summary.Rate:P0}, 95% Wilson interval [{summary.IntervalLow:P0}, {summary.IntervalHigh:P0}]; mean accuracy {meanAccuracy:P1}{median}; {clock.Elapsed.TotalSeconds:F1} s"));
        if (json)
        {
            WriteJsonLine(new
            {
                Experiment = "echo",
                Variant = EchoOptions.Name(options.Variant),
                Trials = trials,
                summary.Successes,
                SuccessRate = summary.Rate,
                WilsonLow = summary.IntervalLow,
                WilsonHigh = summary.IntervalHigh,
                MedianEpochsToSuccess = summary.MedianEpochsToSuccess,
                Accuracy = meanAccuracy,
                Seconds = clock.Elapsed.TotalSeconds,
                FirstSeed = options.Seed,
                Settings(options).Epochs,
                Settings = Settings(options),
                PerSeed = results.Select(r => new
                {
                    r.Options.Seed,
                    r.Accuracy,
                    r.FirstSuccessEpoch,
                    Expected = r.Expected,
                    Predicted = r.Predicted,
                }),
            });
        }
        return 0;
    }

    private static string FirstSuccess(EchoResult r) => r.FirstSuccessEpoch is int e
        ? F($"a probe sequence was first echoed perfectly after epoch {e}")
        : "the probe sequence was never echoed perfectly";

    private static string List(IReadOnlyList<int[]> values) =>
        values.All(v => v.Length == 1)
            ? "[" + string.Join(", ", values.Select(v => v[0])) + "]"
            : "[" + string.Join(", ", values.Select(v => "[" + string.Join(", ", v) + "]")) + "]";

    private static EchoSettings Settings(EchoOptions o) => new(
        o.ResolvedEpochs, o.ResolvedLag, o.Alphabet, o.Length, o.ResolvedWindow, o.ResolvedUnits, o.ResolvedBatchSize, o.ResolvedStateful,
        o.WholeSequence, o.LagSequence, o.SamplesPerSequence, Activations.Name(o.RecurrentActivation));

    private sealed record EchoSettings(int Epochs, int Lag, int Alphabet, int Length, int Window, int Units, int BatchSize, bool Stateful,
        bool WholeSequence, int? LagSequence, int SamplesPerSequence, string RecurrentActivation);
}
