namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Experiment 5 of Hochreiter &amp; Schmidhuber (1997), the multiplication problem: the adding problem's
/// sequences with values uniform in [0, 1] (X₁ set to 1 if the first pair is marked) and the target X₁·X₂ at
/// the end. Success: fewer than 140 of the 2,000 most recent training sequences off by more than 0.04 (the
/// paper's n_seq = 140). Paper: T = 100 in 482,000 sequences.
/// </summary>
public sealed class MultiplicationTask(int t) : AddingTask(t)
{
    public override string Name => "multiplication";

    public override string Description => FormattableString.Invariant($"multiplication problem: pairs (U[0,1], marker), length {T}..{T + T / 10}, target X1 * X2 at the end");

    public override string CriterionText => "fewer than 140 of the last 2,000 sequences off by more than 0.04 at the end";

    public override double? PaperSequences => T == 100 ? 482_000 : null;

    public override string? PaperResult => T == 100 ? "100% of 10 trials (n_seq = 140)" : null;

    public override string? Baseline => "the constant 0.25 (the mean of X1 * X2): mean |error| ≈ 0.18, within 0.04 for about 11% of sequences";

    protected override double Low => 0;

    protected override float FirstPairValue => 1f;

    public override float Target(float x1, float x2) => x1 * x2;

    public override SuccessCriterion NewCriterion(long seed) =>
        new RecentWindowCriterion(2000, 0.04, 139, null, (s, o) => Math.Abs(o[0] - s.Targets[0]));
}
