using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Trials;

namespace LstmLab.Experiments.Reproduce;

/// <summary>Seed 000's long-sequence extension: the tutorial's claim, the paper's figure and our seeds.</summary>
public sealed partial class ReproduceReport
{
    private void AddLongSequence(ReportDocument doc)
    {
        IReadOnlyList<MemoryTrial> trials = _results.LongSequence;
        ReproducePlan plan = _results.Plan;
        doc.Heading(3, F($"Long sequences: P = {plan.LongLength}"));
        if (trials.Count == 0)
        {
            doc.Note("The long-sequence run was left out of this run (--long-trials 0).");
            return;
        }
        MemoryOptions o = plan.LongSequence(0);
        TrialSummary s = Summarise(trials.Select(t => (t.Solved, t.FirstSolvedEpoch)));
        doc.Paragraph(F($"The tutorial's extension: the same two sequences with {o.Length - 2} middle values, so the first value must be kept {o.Length - 1} steps. ")
            + F($"The recipe of the README's \"At length\" row: one update per sequence (full back-propagation through all {o.Length - 1} steps), LSTM({o.Units}), forget-gate bias {o.ForgetBias}, {o.Optimizer}, ")
            + F($"at most {o.Epochs} epochs, stopped at the first epoch after which every step of both sequences is right; seeds {Seeds(trials)}."));
        (double paperLow, double paperHigh) = TrialSummary.Wilson(TutorialFigures.PaperLongLagTrials, TutorialFigures.PaperLongLagTrials);
        string ours = Rate(s, "seeds") + (s.MedianEpochsToSuccess is double m ? F($"; median {2 * m:N0} sequences until solved ({m:N1} epochs × 2)") : "");
        doc.Table(["source", "result"],
        [
            ["tutorial (seed 000)", TutorialFigures.LongSequences],
            ["paper: Hochreiter & Schmidhuber 1997, task 2a, p = 100", F($"{TutorialFigures.PaperLongLagTrials}/{TutorialFigures.PaperLongLagTrials} trials = {1.0:P0}, 95% Wilson interval [{paperLow:P0}, {paperHigh:P0}]; {TutorialFigures.PaperLongLagSequences:N0} training sequences on average")],
            [F($"LstmLab, P = {o.Length}"), ours],
        ]);
        _headlines.Add(new Headline(F($"seed 000: long sequences, P = {o.Length}, all steps right"), "stated (\"100s and 1000s of time steps\"), not run; paper task 2a: 18/18", ours));
        string seeds = trials.Count == 20
            ? "These are the same 20 seeds as the README's P = 100 row (\"At length\" in the memory section)."
            : F($"These are {trials.Count} seeds, fewer than the 20 of the README's P = 100 row (\"At length\" in the memory section), so the interval is wider.");
        doc.Meaning(s.Successes == s.Trials
            ? F($"With that recipe the LSTM keeps the first value over {o.Length - 1} steps for every seed, as the tutorial claims and the paper found (on its own task, not directly comparable); the tutorial's recipe does not get there (with Keras's default forget bias 1 the cell keeps σ(1)^{o.Length - 2} ≈ {Math.Pow(1 / (1 + Math.Exp(-1)), o.Length - 2):G1} of its content over the {o.Length - 2} middle steps, so the gradient from the recall fades before the first value). ") + seeds
            : F($"{s.Successes} of {s.Trials} seeds keep the first value over {o.Length - 1} steps with that recipe, short of the paper's 18 of 18. ") + seeds);
        doc.Note("Not the paper's experiment: task 2a has p + 1 symbols, one-hot, a middle of p − 1 distinct symbols and its own criterion (every output within 0.25 for 10,000 successive sequences), and the 1997 LSTM had no forget gate; here the middle repeats the tutorial's 0, 1, 2 over 5 values, so the network must also count steps. The tutorial's \"1000s of time steps\" (P = 1000) is not solved by this recipe yet (README, \"At length\").");
        if (trials.FirstOrDefault(t => t.Solved) is MemoryTrial solved)
            doc.Pre(F($"seed {solved.Seed}, all {solved.Total} steps right after epoch {solved.FirstSolvedEpoch}; the two recall steps:\n") + string.Join('\n',
                Enumerable.Range(0, solved.X.Length).Select(q => F($"Sequence {q + 1}, step {solved.X[q].Length}: X={solved.X[q][^1]:F1} y={solved.Y[q][^1]:F1}, yhat={solved.Predicted[q][^1]:F1}"))));
        if (trials.FirstOrDefault(t => !t.Solved) is MemoryTrial unsolved)
            doc.Paragraph(F($"Seed {unsolved.Seed} is not solved: ") + string.Join(" ", unsolved.Explanation));
    }
}
