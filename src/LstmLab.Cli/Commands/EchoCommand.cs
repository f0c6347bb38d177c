using System.CommandLine;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Store;
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
        var cell = new Option<string>("--cell") { Description = "The recurrent layer: lstm (the tutorial's) or gru (Keras 3's GRU, reset_after).", DefaultValueFactory = _ => "lstm" };
        var layers = new Option<int>("--layers") { Description = "Stacked recurrent layers; all but the last return sequences.", DefaultValueFactory = _ => 1 };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Wrap each recurrent layer in Bidirectional (merge concat)." };
        var dropout = new Option<double>("--dropout") { Description = "The recurrent layers' input dropout in training (Keras dropout; one mask per sample for all its steps).", DefaultValueFactory = _ => 0 };
        var recurrentDropout = new Option<double>("--recurrent-dropout") { Description = "The recurrent layers' dropout of h(t-1) in the recurrent product (Keras recurrent_dropout).", DefaultValueFactory = _ => 0 };
        var validationSplit = new Option<double>("--validation-split") { Description = "Hold out this last fraction of each epoch's samples (Keras validation_split) and report the validation loss.", DefaultValueFactory = _ => 0 };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "PATIENCE: stop when the validation loss has not improved for PATIENCE epochs and restore the best epoch's weights (needs --validation-split)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam (default, lr 0.001) or sgd (lr 0.01), Keras's defaults.", DefaultValueFactory = _ => "adam" };
        var loss = new Option<string>("--loss") { Description = "categorical_crossentropy (default), categorical_crossentropy(from_logits=true) (a linear output layer), mean_squared_error, mean_absolute_error or huber.", DefaultValueFactory = _ => "categorical_crossentropy" };
        var trials = CommonOptions.Trials("Run N seeds (seed, seed+1, ...) in parallel and report how often the new sequence is echoed perfectly, with a 95% Wilson interval.");
        var parallel = CommonOptions.Parallel("Trials");
        var json = CommonOptions.Json();
        var save = ModelCommand.SaveOption();
        var command = new Command("echo", "Seed 002: an LSTM learns to echo random integers: the current value, or a past one with and without context.")
        {
            variant, epochs, seed, lag, alphabet, length, window, wholeSequence, lagSequence, units, batch, stateless, recurrent,
            cell, layers, bidirectional, dropout, recurrentDropout, validationSplit, earlyStopping, optimizer, loss, trials, parallel, json, save,
        };
        Option<string?> store = CommandStore.AddTo(command);
        command.SetAction(parse => Guard(() =>
        {
            CommandStore.Check(parse, store);
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
                Cell = parse.GetValue(cell)?.Trim().ToLowerInvariant() switch
                {
                    "lstm" => RecurrentCell.Lstm,
                    "gru" => RecurrentCell.Gru,
                    string other => throw new ArgumentException($"Unknown --cell '{other}': expected lstm or gru."),
                    null => RecurrentCell.Lstm,
                },
                Layers = parse.GetValue(layers),
                Bidirectional = parse.GetValue(bidirectional),
                Dropout = parse.GetValue(dropout),
                RecurrentDropout = parse.GetValue(recurrentDropout),
                ValidationSplit = parse.GetValue(validationSplit),
                EarlyStopping = parse.GetValue(earlyStopping),
                Optimizer = parse.GetValue(optimizer)!,
                Loss = parse.GetValue(loss)!,
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
            Action<IReadOnlyList<EchoResult>> record = r => CommandStore.Record(parse, store, "run echo", null, ["run"], n, options.Seed, CommandUnits.Of(r));
            return n == 1 ? RunOnce(options, parse.GetValue(json), parse.GetValue(save), record) : RunTrials(options, n, threads, parse.GetValue(json), record);
        }));
        return command;
    }

    private static string Header(EchoOptions o)
    {
        string model = o.WholeSequence ? "Masking(-1), " : "";
        string cell = o.Cell == RecurrentCell.Gru ? "GRU" : "LSTM";
        string drop = o.Dropout > 0 || o.RecurrentDropout > 0 ? F($", dropout {o.Dropout}, recurrent_dropout {o.RecurrentDropout}") : "";
        string one = F($"{(o.ResolvedStateful ? "stateful " : "")}{cell}({o.ResolvedUnits}{(o.LagSequence is null ? "" : ", return_sequences")}{drop})");
        if (o.Bidirectional)
            one = $"Bidirectional({one})";
        model += o.Layers > 1 ? F($"{o.Layers} × {one}") : one;
        bool standard = o.Loss == "categorical_crossentropy" && o.Optimizer == "adam";
        string training = standard ? "categorical cross-entropy, Adam" : F($"loss {o.Loss}, {o.Optimizer}");
        string validation = o.ValidationSplit > 0
            ? F($"; validation split {o.ValidationSplit} ({o.TrainingSamples} training, {o.SamplesPerSequence - o.TrainingSamples} validation samples per epoch){(o.EarlyStopping is int p ? F($", early stopping with patience {p}") : "")}")
            : "";
        string output = o.ResolveLoss().FromLogits ? "linear" : "softmax";
        return F($"Echo (seed 002), {EchoOptions.Name(o.Variant)}: {o.Describe()}; input ({o.ResolvedWindow}, {o.Alphabet}), {model}, Dense({o.Alphabet}, {output}){(o.LagSequence is null ? "" : " per step")}; {training}; batch {o.ResolvedBatchSize}; {o.ResolvedEpochs} epochs, each on a fresh sequence of {o.Length} integers in [0, {o.Alphabet - 1}] ({o.SamplesPerSequence} samples){validation}; recurrent activation {Activations.Name(o.RecurrentActivation)}; seed {o.Seed}");
    }

    private static int RunOnce(EchoOptions options, bool json, string? save = null, Action<IReadOnlyList<EchoResult>>? record = null)
    {
        var bar = new ProgressBar("Training", options.ResolvedEpochs);
        EchoResult result = EchoExperiment.Run(options, e => bar.Advance(1, F($"loss {e.Loss:F4}, accuracy {e.Accuracy ?? 0:F3}")));
        ModelCommand.SaveTrained(result.Model, save, Console.Error);
        record?.Invoke([result]);
        Console.WriteLine("Expected: " + List(result.Expected));
        Console.WriteLine("Predicted: " + List(result.Predicted));
        Console.WriteLine(F($"Accuracy: {result.Correct}/{result.Total} ({result.Accuracy:P0}) on a new sequence; {FirstSuccess(result)}{Stopping(result)}; {result.Seconds:F2} s"));
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
                FinalValidationLoss = result.ValidationLoss.Count > 0 ? result.ValidationLoss[^1] : (double?)null,
                result.StoppedEpoch,
                result.BestEpoch,
                result.Seconds,
                Settings(options).Epochs,
                Settings = Settings(options),
            });
        }
        return 0;
    }

    private static int RunTrials(EchoOptions options, int trials, int parallel, bool json, Action<IReadOnlyList<EchoResult>>? record = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bar = new ProgressBar(F($"{trials} trials"), (long)trials * options.ResolvedEpochs);
        EchoResult[] results = RecipeTrials.Run(trials, parallel, i => EchoExperiment.Run(options with { Seed = options.Seed + i }, _ => bar.Advance()));
        record?.Invoke(results);
        foreach (EchoResult r in results)
            Console.WriteLine(F($"seed {r.Options.Seed}: {r.Correct}/{r.Total} correct on a new sequence; {FirstSuccess(r)}{Stopping(r)}"));
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
                    r.StoppedEpoch,
                    r.BestEpoch,
                    Expected = r.Expected,
                    Predicted = r.Predicted,
                }),
            });
        }
        return 0;
    }

    private static string Stopping(EchoResult r) => r.StoppedEpoch is int stopped
        ? F($"; early stopping after epoch {stopped}, weights of epoch {r.BestEpoch} restored")
        : r.BestEpoch is int best ? F($"; no early stop, weights of epoch {best} (the lowest validation loss) restored") : "";

    private static string FirstSuccess(EchoResult r) => r.FirstSuccessEpoch is int e
        ? F($"a probe sequence was first echoed perfectly after epoch {e}")
        : "the probe sequence was never echoed perfectly";

    private static string List(IReadOnlyList<int[]> values) =>
        values.All(v => v.Length == 1)
            ? "[" + string.Join(", ", values.Select(v => v[0])) + "]"
            : "[" + string.Join(", ", values.Select(v => "[" + string.Join(", ", v) + "]")) + "]";

    private static EchoSettings Settings(EchoOptions o) => new(
        o.ResolvedEpochs, o.ResolvedLag, o.Alphabet, o.Length, o.ResolvedWindow, o.ResolvedUnits, o.ResolvedBatchSize, o.ResolvedStateful,
        o.WholeSequence, o.LagSequence, o.SamplesPerSequence, Activations.Name(o.RecurrentActivation),
        o.Cell == RecurrentCell.Gru ? "gru" : "lstm", o.Layers, o.Bidirectional, o.Dropout, o.RecurrentDropout, o.ValidationSplit, o.EarlyStopping, o.Optimizer, o.Loss);

    private sealed record EchoSettings(int Epochs, int Lag, int Alphabet, int Length, int Window, int Units, int BatchSize, bool Stateful,
        bool WholeSequence, int? LagSequence, int SamplesPerSequence, string RecurrentActivation,
        string Cell, int Layers, bool Bidirectional, double Dropout, double RecurrentDropout, double ValidationSplit, int? EarlyStopping, string Optimizer, string Loss);
}
