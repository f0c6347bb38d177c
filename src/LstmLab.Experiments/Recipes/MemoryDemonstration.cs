using System.Diagnostics;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Recipes;

/// <summary>Settings of the memory demonstration (seed tutorial 000).</summary>
/// <param name="Epochs">Training epochs; each epoch fits both sequences once.</param>
/// <param name="Units">LSTM units.</param>
/// <param name="Seed">Seed of the weights (and of anything else random).</param>
/// <param name="RecurrentActivation">The LSTM's gate activation.</param>
public sealed record MemoryOptions(
    int Epochs = 250,
    int Units = 20,
    long Seed = 1,
    RecurrentActivation RecurrentActivation = RecurrentActivation.Sigmoid)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Epochs < 0)
            throw new ArgumentException($"--epochs must be 0 or more (got {Epochs}).");
        if (Units <= 0)
            throw new ArgumentException($"--units must be at least 1 (got {Units}).");
    }
}

/// <summary>One sequence's inputs, targets and predicted classes.</summary>
public sealed record SequencePrediction(int[] X, int[] Y, int[] Predicted)
{
    /// <summary>How many steps were predicted correctly.</summary>
    public int Correct => Y.Zip(Predicted).Count(p => p.First == p.Second);
}

/// <summary>The outcome of one memory run.</summary>
/// <param name="Sequences">Predictions for each sequence after training.</param>
/// <param name="FirstLoss">The per-epoch training loss on the first sequence (what the tutorial prints).</param>
/// <param name="FirstSolvedEpoch">The first epoch after which every step of every sequence was predicted correctly, or null.</param>
/// <param name="Seconds">Wall-clock training and evaluation time.</param>
public sealed record MemoryResult(MemoryOptions Options, IReadOnlyList<SequencePrediction> Sequences, IReadOnlyList<double> FirstLoss, int? FirstSolvedEpoch, double Seconds)
{
    public int Correct => Sequences.Sum(s => s.Correct);

    public int Total => Sequences.Sum(s => s.Y.Length);

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Whether every step of every sequence is predicted correctly.</summary>
    public bool Solved => Correct == Total;
}

/// <summary>
/// "Demonstration of memory with an LSTM" (seed tutorial 000): two sequences, 3,0,1,2,3 and 4,0,1,2,4,
/// share the transition 2 → ? whose answer (3 or 4) depends on the first value, three steps back.
/// One-hot inputs over 5 values; a stateful LSTM(20) at batch size 1 sees one value per step, Dense(5,
/// sigmoid), binary cross-entropy, Adam; each epoch fits sequence 1 then sequence 2 without shuffling,
/// resetting the state after each. Then predict_classes on each sequence, resetting in between.
/// </summary>
public static class MemoryDemonstration
{
    /// <summary>The tutorial's two sequences.</summary>
    public static IReadOnlyList<int[]> Sequences { get; } = [[3, 0, 1, 2, 3], [4, 0, 1, 2, 4]];

    private const int Alphabet = 5;

    /// <summary>Runs the demonstration. <paramref name="onEpoch"/> receives each epoch's loss on sequence 1.</summary>
    public static MemoryResult Run(MemoryOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var data = Sequences.Select(s => ToLstmDataset(s)).ToArray();
        var model = new Sequential(SampleShape.Sequence(1, Alphabet), batchSize: 1, seed: options.Seed);
        model.Add(new Lstm(options.Units, stateful: true, recurrentActivation: options.RecurrentActivation));
        model.Add(new Dense(Alphabet, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, new Adam());

        var firstLoss = new List<double>(options.Epochs);
        int? solvedAt = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            for (int s = 0; s < data.Length; s++)
            {
                History h = model.Fit(data[s].X, data[s].Y, epochs: 1, batchSize: 1, shuffle: false, verbose: 0);
                model.ResetStates();
                if (s == 0)
                {
                    firstLoss.Add(h.Loss[0]);
                    onEpoch?.Invoke(new EpochResult(epoch, options.Epochs, h.Loss[0], null));
                }
            }
            if (solvedAt is null && Predict(model, data).All(p => p.Correct == p.Y.Length))
                solvedAt = epoch;
        }
        var predictions = Predict(model, data);
        return new MemoryResult(options, predictions, firstLoss, solvedAt, clock.Elapsed.TotalSeconds);
    }

    private static SequencePrediction[] Predict(Sequential model, (Tensor X, Tensor Y, int[] Inputs, int[] Targets)[] data)
    {
        var result = new SequencePrediction[data.Length];
        for (int s = 0; s < data.Length; s++)
        {
            int[] classes = model.PredictClasses(data[s].X, batchSize: 1);
            model.ResetStates();
            result[s] = new SequencePrediction(data[s].Inputs, data[s].Targets, classes);
        }
        return result;
    }

    /// <summary>The tutorial's to_lstm_dataset: X = one-hot(seq[:-1]) as (n, 1, alphabet), y = one-hot(seq[1:]) as (n, alphabet).</summary>
    private static (Tensor X, Tensor Y, int[] Inputs, int[] Targets) ToLstmDataset(int[] sequence)
    {
        int n = sequence.Length - 1;
        var x = new Tensor(n, 1, Alphabet);
        var y = new Tensor(n, Alphabet);
        for (int i = 0; i < n; i++)
        {
            x[i, 0, sequence[i]] = 1f;
            y[i, sequence[i + 1]] = 1f;
        }
        return (x, y, sequence[..^1], sequence[1..]);
    }
}
