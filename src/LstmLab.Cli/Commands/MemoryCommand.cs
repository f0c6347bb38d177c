using System.CommandLine;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Reproduce;
using LstmLab.Experiments.Store;
using LstmLab.Experiments.Trials;
using LstmLab.Numerics;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab run memory</c>: the memory demonstration of seed tutorial 000.</summary>
internal static class MemoryCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (each fits both sequences).", DefaultValueFactory = _ => 250 };
        var units = new Option<int>("--units") { Description = "LSTM units (with --model mlp: the hidden Dense layer's units).", DefaultValueFactory = _ => 20 };
        var seed = CommonOptions.Seed("Random seed (the first seed when --trials > 1).");
        var recurrent = CommonOptions.RecurrentActivation();
        var trials = CommonOptions.Trials("Run N seeds (seed, seed+1, ...) and report the success rate with a 95% Wilson interval.");
        var parallel = CommonOptions.Parallel("Trials");
        var json = CommonOptions.Json();
        var alphabet = new Option<int>("--alphabet") { Description = "Values 0..N-1: the sequences start and end with N-2 or N-1; the middle uses the others.", DefaultValueFactory = _ => 5 };
        var length = new Option<int>("--length")
        {
            Description = "Values per sequence P: (x, a1..a(P-2), x) and (y, a1..a(P-2), y), the value to recall P-1 steps back (the tutorial's 3,0,1,2,3 is P = 5).",
            DefaultValueFactory = _ => 5,
        };
        var randomMiddle = new Option<bool>("--random-middle") { Description = "A fresh random middle (shared by both sequences) every epoch; success is then recalling the first value at the last step of both." };
        var batchLearning = new Option<bool>("--batch-learning")
        {
            Description = "One update per sequence: the sequence as one sample of P-1 time steps through a stateless LSTM with return_sequences and a per-step Dense, with full back-propagation through time. (Fitting the steps as one batch of one-step samples cannot work: a stateful batch is parallel streams, no sample sees the step before it.)",
        };
        var shuffle = new Option<bool>("--shuffle") { Description = "Fit the two sequences in a random order each epoch." };
        var optimizer = new OptimizerOptions();
        var tbptt = new Option<int?>("--tbptt")
        {
            Description = "Truncated back-propagation through time in windows of K steps: each sequence one sample through a stateful LSTM with return_sequences, one update per window, the state carried between windows (implies --batch-learning).",
        };
        var forgetBias = new Option<double?>("--forget-bias") { Description = "Initial forget-gate bias of the LSTM (default: Keras's unit_forget_bias, 1); a larger value lets the first gradients reach further back." };
        var chrono = new Option<double?>("--chrono") { Description = "Chrono initialization (Tallec & Ollivier 2018) for dependencies up to T_MAX steps: each unit's forget bias ln U[1, T_MAX-1], its input bias the negative (instead of --forget-bias)." };
        var recallWeight = new Option<double?>("--recall-weight") { Description = "Weight of the training loss at the last step of each sequence, the recall of the first value; every other step weighs 1 (Keras's sample_weight). Not with --tbptt." };
        var stopWhenSolved = new Option<bool>("--stop-when-solved") { Description = "Stop training after the first epoch at which every step is right (an early stop on the test run after each epoch); the run then ends solved." };
        var model = new Option<string>("--model") { Description = "lstm, or mlp: Dense(units, relu) -> Dense(N, sigmoid) on the same one-hot inputs, which has no memory.", DefaultValueFactory = _ => "lstm" };
        var verbose = new Option<bool>("--verbose") { Description = "Print the loss after every epoch (default: every 10th epoch)." };
        var save = ModelCommand.SaveOption();
        var command = new Command("memory", "Seed 000: an LSTM learns 3,0,1,2,3 and 4,0,1,2,4, which need memory of the first value.")
        {
            epochs, units, seed, recurrent, trials, parallel, json, alphabet, length, randomMiddle, batchLearning, shuffle, model, verbose, save, tbptt, forgetBias, chrono, recallWeight, stopWhenSolved,
        };
        optimizer.AddTo(command);
        var decay = new LearningRateDecayOptions();
        decay.AddTo(command);
        Option<string?> store = CommandStore.AddTo(command);
        command.SetAction(parse => Guard(() =>
        {
            CommandStore.Check(parse, store);
            var options = new MemoryOptions(parse.GetValue(epochs), parse.GetValue(units), parse.GetValue(seed),
                Activations.ParseRecurrent(parse.GetValue(recurrent)!))
            {
                Alphabet = parse.GetValue(alphabet),
                Length = parse.GetValue(length),
                RandomMiddle = parse.GetValue(randomMiddle),
                BatchLearning = parse.GetValue(batchLearning),
                Shuffle = parse.GetValue(shuffle),
                Model = ParseModel(parse.GetValue(model)),
                Optimizer = optimizer.Read(parse),
                LearningRateDecay = decay.Read(parse),
                Tbptt = parse.GetValue(tbptt),
                ForgetBias = parse.GetValue(forgetBias),
                Chrono = parse.GetValue(chrono),
                StopWhenSolved = parse.GetValue(stopWhenSolved),
                RecallWeight = parse.GetValue(recallWeight),
            };
            options.Validate();
            int n = parse.GetValue(trials);
            if (n < 1)
                throw new ArgumentException($"--trials must be at least 1 (got {n}).");
            ModelCommand.CheckSavePath(parse.GetValue(save), n);
            Action<IReadOnlyList<MemoryResult>> record = r => CommandStore.Record(parse, store, "run memory", null, ["run"], n, options.Seed, CommandUnits.Of(r));
            return n == 1 ? RunOnce(options, parse.GetValue(json), parse.GetValue(verbose), parse.GetValue(save), record) : RunTrials(options, n, parse.GetValue(parallel), parse.GetValue(json), record);
        }));
        return command;
    }

    private static MemoryModel ParseModel(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "lstm" => MemoryModel.Lstm,
        "mlp" => MemoryModel.Mlp,
        _ => throw new ArgumentException($"Unknown --model '{name}': expected lstm or mlp."),
    };

    private static string Describe(MemoryOptions o)
    {
        string network = o.Model == MemoryModel.Mlp
            ? F($"MLP: Dense({o.Units}, relu){(o.BatchLearning ? " per step" : "")}")
            : o.OneSamplePerSequence ? F($"LSTM({o.Units}, return_sequences), one sample of {o.Length - 1} steps") : F($"stateful LSTM({o.Units}), batch 1");
        string extras = o.IsTutorial ? "" : F($"; sequences of {o.Length} values over {o.Alphabet}{(o.RandomMiddle ? ", random middle" : "")}{(o.Tbptt is int k ? F($", truncated BPTT in windows of {k}") : o.BatchLearning ? ", one update per sequence" : "")}{(o.Shuffle ? ", shuffled order" : "")}{(o.ForgetBias is double fb ? F($", forget bias {fb}") : "")}{(o.Chrono is double tm ? F($", chrono init T_max {tm}") : "")}{(o.RecallWeight is double rw ? F($", last step weighted {rw}") : "")}{(o.StopWhenSolved ? ", stop when solved" : "")}{(o.LearningRateDecay is { } d ? ", " + d : "")}");
        return F($"Memory demonstration: {network}, Dense({o.Alphabet}, sigmoid), binary cross-entropy, {(o.Optimizer.IsDefaultAdam ? "Adam" : o.Optimizer.ToString())}; {o.Epochs} epochs; recurrent activation {Activations.Name(o.RecurrentActivation)}; seed {o.Seed}{extras}");
    }

    private static int RunOnce(MemoryOptions options, bool json, bool verbose, string? save = null, Action<IReadOnlyList<MemoryResult>>? record = null)
    {
        TextWriter progress = json ? Console.Error : Console.Out;
        progress.WriteLine(Describe(options));
        // The tutorial's per-epoch loss is behind --verbose; by default every 10th epoch and the last.
        MemoryResult result = MemoryDemonstration.Run(options, e =>
        {
            if (verbose || e.Epoch % 10 == 0 || e.Epoch == e.Epochs)
                progress.WriteLine(F($"Epoch {e.Epoch}/{e.Epochs} - loss: {e.Loss:F4}"));
        });
        ModelCommand.SaveTrained(result.Model, save, progress);
        record?.Invoke([result]);
        for (int s = 0; s < result.Sequences.Count; s++)
        {
            SequencePrediction p = result.Sequences[s];
            Console.WriteLine(F($"Sequence {s + 1}"));
            // Long sequences: the first and last three steps (the recall is the last).
            for (int i = 0; i < p.X.Length; i++)
            {
                if (p.X.Length > 12 && i == 3)
                    Console.WriteLine(F($"... ({p.X.Length - 6} steps; {p.Correct}/{p.Y.Length} correct in all)"));
                if (p.X.Length > 12 && i >= 3 && i < p.X.Length - 3)
                    continue;
                Console.WriteLine(F($"X={p.X[i]:F1} y={p.Y[i]:F1}, yhat={p.Predicted[i]:F1}"));
            }
        }
        string recall = options.IsTutorial ? "" : F($"; recall of the first value at the last step: {result.RecallCorrect}/2");
        Console.WriteLine(F($"Accuracy: {result.Correct}/{result.Total} ({result.Accuracy:P0}){recall} in {result.Seconds:F2} s"));
        if (result.Solved)
        {
            string what = options.RandomMiddle ? "Both recalls are right" : "Every step is right";
            Console.WriteLine(F($"{what}, including the recall of the first input, {options.Length - 2} steps earlier (first solved after epoch {result.FirstSolvedEpoch ?? options.Epochs})."));
        }
        foreach (string line in MemoryOutcome.Explain(result))
            Console.WriteLine(line);
        if (json)
        {
            WriteJsonLine(new
            {
                Experiment = "memory",
                result.Accuracy,
                result.Correct,
                result.Total,
                options.Epochs,
                result.Seconds,
                options.Seed,
                options.Units,
                RecurrentActivation = Activations.Name(options.RecurrentActivation),
                FirstSolvedEpoch = result.FirstSolvedEpoch,
                result.Solved,
                result.RecallCorrect,
                options.Alphabet,
                options.Length,
                options.RandomMiddle,
                options.BatchLearning,
                options.Shuffle,
                Model = ParseName(options.Model),
                Training = TrainingJson(options),
                Sequences = result.Sequences.Select(p => new { p.X, p.Y, Yhat = p.Predicted }),
            });
        }
        return 0;
    }

    private static string ParseName(MemoryModel model) => model == MemoryModel.Mlp ? "mlp" : "lstm";

    /// <summary>The training options of issue 13 (null where not given), as the JSON line's <c>training</c> object.</summary>
    private static object TrainingJson(MemoryOptions options) => new
    {
        Optimizer = options.Optimizer.ToString(),
        LearningRateDecay = options.LearningRateDecay?.ToString(),
        options.ForgetBias,
        options.Chrono,
        options.RecallWeight,
        options.Tbptt,
        options.StopWhenSolved,
    };

    private static int RunTrials(MemoryOptions options, int trials, int parallel, bool json, Action<IReadOnlyList<MemoryResult>>? record = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Console.Error.WriteLine(Describe(options));
        var bar = new ProgressBar(F($"{trials} trials"), (long)trials * options.Epochs);
        MemoryResult[] results = RecipeTrials.Run(trials, parallel, i =>
        {
            MemoryResult r = MemoryDemonstration.Run(options with { Seed = options.Seed + i }, _ => bar.Advance());
            bar.Advance(options.Epochs - r.FirstLoss.Count);   // epochs an early stop skipped
            return r;
        });
        record?.Invoke(results);
        foreach (MemoryResult r in results)
        {
            string what = options.RandomMiddle ? "both recalls correct" : "all-correct";
            string solved = (r.FirstSolvedEpoch, r.Solved) switch
            {
                (int e, true) => F($"first {what} after epoch {e}"),
                (int e, false) => F($"{what} after epoch {e}, lost again by epoch {options.Epochs}"),
                _ => F($"never {what}"),
            };
            IReadOnlyList<WrongStep> wrong = MemoryOutcome.WrongSteps(r);
            string where = wrong.Count == 0 ? ""
                : wrong.All(w => w.Recall) ? F($"; wrong: the recall step of sequence {string.Join(" and ", wrong.Select(w => w.Sequence))}")
                : F($"; wrong: {wrong.Count} steps, {wrong.Count(w => !w.Recall)} of them need no memory");
            Console.WriteLine(F($"seed {r.Options.Seed}: {r.Correct}/{r.Total} correct at the end; {solved}{where}"));
        }
        TrialSummary summary = TrialSummary.From(results.Select(r => (r.Solved, r.FirstSolvedEpoch)).ToArray());
        string median = summary.MedianEpochsToSuccess is double m ? F($"; median epochs to first success {m:F0}") : "";
        int steps = 2 * (options.Length - 1);
        string criterion = options.RandomMiddle ? "both recalls correct" : F($"{steps}/{steps}");
        Console.WriteLine(F($"Solved ({criterion} after {options.Epochs} epochs): {summary.Successes}/{summary.Trials} = {summary.Rate:P0}, 95% Wilson interval [{summary.IntervalLow:P0}, {summary.IntervalHigh:P0}]{median}; {clock.Elapsed.TotalSeconds:F1} s"));
        int lost = results.Count(r => !r.Solved && r.FirstSolvedEpoch is not null);
        if (lost > 0)
            Console.WriteLine(F($"{lost} of the {summary.Trials - summary.Successes} unsolved seeds had it at some epoch and lost it again by epoch {options.Epochs}."));
        if (json)
        {
            WriteJsonLine(new
            {
                Experiment = "memory",
                Trials = trials,
                summary.Successes,
                SuccessRate = summary.Rate,
                WilsonLow = summary.IntervalLow,
                WilsonHigh = summary.IntervalHigh,
                MedianEpochsToSuccess = summary.MedianEpochsToSuccess,
                Accuracy = results.Average(r => r.Accuracy),
                options.Epochs,
                Seconds = clock.Elapsed.TotalSeconds,
                FirstSeed = options.Seed,
                options.Units,
                RecurrentActivation = Activations.Name(options.RecurrentActivation),
                RecallRate = results.Average(r => r.RecallCorrect / 2.0),
                options.Alphabet,
                options.Length,
                options.RandomMiddle,
                options.BatchLearning,
                options.Shuffle,
                Model = ParseName(options.Model),
                Training = TrainingJson(options),
                PerSeed = results.Select(r => new { r.Options.Seed, r.Accuracy, r.FirstSolvedEpoch, r.Solved, r.RecallCorrect }),
            });
        }
        return 0;
    }
}
