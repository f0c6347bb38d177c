using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Task 2b of Hochreiter &amp; Schmidhuber (1997), "no local regularities": task 2a with the middle
/// a_{i₁} … a_{i_{p−1}} drawn uniformly from a₁ … a_{p−1} for every sequence, so nothing in the middle can
/// be predicted. Targets at every step as in 2a; success is judged at the sequence end: the maximal absolute
/// error of all outputs at the last step below 0.25 for 10,000 successive sequences. Paper (p = 100): 5,680 sequences.
/// </summary>
public sealed class Task2b(int p) : Task2a(p)
{
    public override string Name => "2b";

    public override string Description => FormattableString.Invariant($"task 2b: (x, random middle of {P - 1}, x) and (y, …, y) over {P + 1} one-hot symbols, lag p = {P}");

    public override string CriterionText => "max |error| of all outputs at the last step < 0.25 for 10,000 successive sequences";

    public override double? PaperSequences => P == 100 ? 5680 : null;

    public override string? PaperResult => P == 100 ? "100% (trials not stated here)" : null;

    protected override int Middle(RandomGenerator random, int i) => random.NextInt(P - 1);

    public override SuccessCriterion NewCriterion(long seed) =>
        new SuccessiveCriterion(10_000, (s, o) => Errors.MaxAbsAtEnd(o, s.Targets, Outputs) < 0.25);
}
