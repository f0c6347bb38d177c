using LstmLab.Experiments.LongLag;
using LstmLab.Experiments.Recipes;

namespace LstmLab.Experiments.Store;

/// <summary>The units <see cref="CommandRecord"/> records for the recipes' trials: each trial's final figures (step 0) and its per-epoch curves.</summary>
public static class CommandUnits
{
    /// <summary>
    /// <c>run memory</c> trials: accuracy, correct, total, solved (1/0), first_solved_epoch (when solved at some epoch), seconds; the
    /// training loss on the first sequence by epoch (<c>loss</c>).
    /// </summary>
    public static IReadOnlyList<CommandUnit> Of(IReadOnlyList<MemoryResult> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return [.. trials.Select((r, i) => new CommandUnit("run", i, r.Options.Seed, CommandUnit.MetricsOf(
            Finals(r.Accuracy, r.Correct, r.Total, r.Solved, ("first_solved_epoch", r.FirstSolvedEpoch), r.Seconds), ("loss", r.FirstLoss))))];
    }

    /// <summary>
    /// <c>run echo</c> trials: accuracy, correct, total, solved (1/0), first_success_epoch, seconds; by epoch the training
    /// <c>loss</c>, <c>train_accuracy</c> and, with a validation split, <c>val_loss</c>.
    /// </summary>
    public static IReadOnlyList<CommandUnit> Of(IReadOnlyList<EchoResult> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return [.. trials.Select((r, i) => new CommandUnit("run", i, r.Options.Seed, CommandUnit.MetricsOf(
            Finals(r.Accuracy, r.Correct, r.Total, r.Solved, ("first_success_epoch", r.FirstSuccessEpoch), r.Seconds),
            ("loss", r.Loss), ("train_accuracy", r.TrainAccuracy), ("val_loss", r.ValidationLoss))))];
    }

    /// <summary><c>run long-lag</c> trials: solved (1/0), sequences_to_success (when solved), sequences (trained), seconds.</summary>
    public static IReadOnlyList<CommandUnit> Of(IReadOnlyList<LongLagTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return [.. trials.Select((t, i) => new CommandUnit("run", i, t.Seed, CommandUnit.MetricsOf(
            [("solved", t.Solved ? 1 : 0), .. t.SequencesToSuccess is long s ? [("sequences_to_success", (double)s)] : Array.Empty<(string, double)>(),
                ("sequences", t.SequencesTrained), ("seconds", t.Seconds)])))];
    }

    private static IEnumerable<(string Name, double Value)> Finals(double accuracy, int correct, int total, bool solved, (string Name, int? Epoch) first, double seconds)
    {
        yield return ("accuracy", accuracy);
        yield return ("correct", correct);
        yield return ("total", total);
        yield return ("solved", solved ? 1 : 0);
        if (first.Epoch is int epoch)
            yield return (first.Name, epoch);
        yield return ("seconds", seconds);
    }
}
