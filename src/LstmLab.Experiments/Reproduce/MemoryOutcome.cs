using System.Globalization;
using LstmLab.Experiments.Recipes;

namespace LstmLab.Experiments.Reproduce;

/// <summary>One wrongly predicted step of a memory run.</summary>
/// <param name="Sequence">1-based sequence number.</param>
/// <param name="Step">1-based step within the sequence.</param>
/// <param name="Recall">Whether this is the last step, the one whose answer depends on the first value.</param>
public sealed record WrongStep(int Sequence, int Step, int X, int Y, int Predicted, bool Recall);

/// <summary>
/// What happened in one memory run, in words about this run: which steps are wrong, whether it had every
/// step right at some epoch and lost it, and why it failed: the one-time-step-per-batch explanation only
/// where the wrong steps are the ones that need memory and the learning is per step.
/// </summary>
public static class MemoryOutcome
{
    /// <summary>The wrong steps of <paramref name="result"/>; with a random middle only the recall steps count.</summary>
    public static IReadOnlyList<WrongStep> WrongSteps(MemoryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var wrong = new List<WrongStep>();
        for (int s = 0; s < result.Sequences.Count; s++)
        {
            SequencePrediction p = result.Sequences[s];
            for (int i = 0; i < p.Y.Length; i++)
            {
                bool recall = i == p.Y.Length - 1;
                if (p.Predicted[i] != p.Y[i] && (recall || !result.Options.RandomMiddle))
                    wrong.Add(new WrongStep(s + 1, i + 1, p.X[i], p.Y[i], p.Predicted[i], recall));
            }
        }
        return wrong;
    }

    /// <summary>The explanation, one sentence per line; empty when the run solved the task.</summary>
    public static IReadOnlyList<string> Explain(MemoryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Solved)
            return [];
        MemoryOptions o = result.Options;
        IReadOnlyList<WrongStep> wrong = WrongSteps(result);
        var lines = new List<string> { WhichSteps(wrong) };
        lines.Add(result.FirstSolvedEpoch is int e
            ? F($"It had every step right after epoch {e} and lost it again by epoch {o.Epochs}: later updates undid it (the same seed with --epochs {e} stops there, solved).")
            : F($"It never had every step right in {o.Epochs} epochs."));
        int memoryFree = wrong.Count(w => !w.Recall);
        if (memoryFree > 0)
        {
            lines.Add(F($"{memoryFree} of the {wrong.Count} wrong steps need no memory (their input alone decides the answer): the network is under-trained at {o.Epochs} epochs; more --epochs would help before memory matters."));
            return lines;
        }
        // The recall step's input is the (P-1)-th value; the first value came P-2 inputs before it (3 in the tutorial).
        int back = o.Length - 2;
        if (o.Model == MemoryModel.Mlp)
            lines.Add(F($"The MLP has no memory: at the last step it sees the same input in both sequences, so it cannot answer both; only the first input, {back} steps earlier, tells them apart."));
        else if (o.BatchLearning)
            lines.Add(F($"With --batch-learning the gradient does reach the first input (back-propagation through all {back} steps); this seed has not learned to keep it in {o.Epochs} epochs."));
        else
            lines.Add(F($"The wrong step needs the first input, {back} steps earlier. With one time step per batch no gradient reaches back to that input, so only some random starts happen to keep it in the state (--trials 20 shows how often)."));
        return lines;
    }

    private static string WhichSteps(IReadOnlyList<WrongStep> wrong)
    {
        const int Shown = 4;
        IEnumerable<string> parts = wrong.Take(Shown).Select(w =>
            F($"sequence {w.Sequence} step {w.Step} (X={w.X} → y={w.Y}, predicted {w.Predicted}{(w.Recall ? ", the recall of the first value" : "")})"));
        string more = wrong.Count > Shown ? F($" and {wrong.Count - Shown} more") : "";
        return F($"Wrong: {string.Join("; ", parts)}{more}.");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
