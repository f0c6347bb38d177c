using System.CommandLine;
using LstmLab.Experiments.Recipes;
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
        var units = new Option<int>("--units") { Description = "LSTM units.", DefaultValueFactory = _ => 20 };
        var seed = new Option<long>("--seed") { Description = "Random seed (the first seed when --trials > 1).", DefaultValueFactory = _ => 1 };
        var recurrent = new Option<string>("--recurrent-activation")
        {
            Description = "Gate activation: sigmoid (Keras >= 2.3), hard_sigmoid_keras2 (Keras 2.0, the tutorial's) or hard_sigmoid_keras3.",
            DefaultValueFactory = _ => "sigmoid",
        };
        var trials = new Option<int>("--trials") { Description = "Run N seeds (seed, seed+1, ...) and report the success rate with a 95% Wilson interval.", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Trials run at once (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Make the last line of standard output one JSON object with the results." };
        var command = new Command("memory", "Seed 000: an LSTM learns 3,0,1,2,3 and 4,0,1,2,4, which need memory of the first value.")
        {
            epochs, units, seed, recurrent, trials, parallel, json,
        };
        command.SetAction(parse => Guard(() =>
        {
            var options = new MemoryOptions(parse.GetValue(epochs), parse.GetValue(units), parse.GetValue(seed),
                Activations.ParseRecurrent(parse.GetValue(recurrent)!));
            options.Validate();
            int n = parse.GetValue(trials);
            if (n < 1)
                throw new ArgumentException($"--trials must be at least 1 (got {n}).");
            return n == 1 ? RunOnce(options, parse.GetValue(json)) : RunTrials(options, n, parse.GetValue(parallel), parse.GetValue(json));
        }));
        return command;
    }

    private static int RunOnce(MemoryOptions options, bool json)
    {
        TextWriter progress = json ? Console.Error : Console.Out;
        progress.WriteLine(F($"Memory demonstration: stateful LSTM({options.Units}), batch 1, Dense(5, sigmoid), binary cross-entropy, Adam; {options.Epochs} epochs; recurrent activation {Activations.Name(options.RecurrentActivation)}; seed {options.Seed}"));
        MemoryResult result = MemoryDemonstration.Run(options, e => progress.WriteLine(F($"Epoch {e.Epoch}/{e.Epochs} - loss: {e.Loss:F4}")));
        for (int s = 0; s < result.Sequences.Count; s++)
        {
            SequencePrediction p = result.Sequences[s];
            Console.WriteLine(F($"Sequence {s + 1}"));
            for (int i = 0; i < p.X.Length; i++)
                Console.WriteLine(F($"X={p.X[i]:F1} y={p.Y[i]:F1}, yhat={p.Predicted[i]:F1}"));
        }
        Console.WriteLine(F($"Accuracy: {result.Correct}/{result.Total} ({result.Accuracy:P0}) in {result.Seconds:F2} s"));
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
                Sequences = result.Sequences.Select(p => new { p.X, p.Y, Yhat = p.Predicted }),
            });
        }
        return 0;
    }

    private static int RunTrials(MemoryOptions options, int trials, int parallel, bool json)
    {
        if (parallel < 1)
            throw new ArgumentException($"--parallel must be at least 1 (got {parallel}).");
        var results = new MemoryResult[trials];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, trials, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            results[i] = MemoryDemonstration.Run(options with { Seed = options.Seed + i });
        });
        foreach (MemoryResult r in results)
        {
            string solved = r.FirstSolvedEpoch is int e ? F($"first all-correct after epoch {e}") : "never all-correct";
            Console.WriteLine(F($"seed {r.Options.Seed}: {r.Correct}/{r.Total} correct at the end; {solved}"));
        }
        TrialSummary summary = TrialSummary.From(results.Select(r => (r.Solved, r.FirstSolvedEpoch)).ToArray());
        string median = summary.MedianEpochsToSuccess is double m ? F($"; median epochs to first success {m:F0}") : "";
        Console.WriteLine(F($"Solved (8/8 after {options.Epochs} epochs): {summary.Successes}/{summary.Trials} = {summary.Rate:P0}, 95% Wilson interval [{summary.IntervalLow:P0}, {summary.IntervalHigh:P0}]{median}; {clock.Elapsed.TotalSeconds:F1} s"));
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
                PerSeed = results.Select(r => new { r.Options.Seed, r.Accuracy, r.FirstSolvedEpoch }),
            });
        }
        return 0;
    }
}
