using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Experiment 4 of Hochreiter &amp; Schmidhuber (1997), the adding problem. Each step is a pair (value, marker).
/// Values are uniform in [−1, 1]; the length is uniform in T … T + T/10. One of the first ten pairs is marked
/// (marker 1; its value is X₁), then one of the first T/2 − 1 pairs not yet marked (X₂). The other markers are
/// 0, except the first and the last pair's, which are −1 (unless marked). If the first pair is marked, X₁ is
/// set to 0 (its value too). The target, given only at the end, is 0.5 + (X₁ + X₂)/4. A sequence is correct
/// when the absolute error at the end is below 0.04. Success: the 2,000 most recent training sequences
/// correct and their mean absolute error below 0.01 (the paper's "average training error below 0.01"; we
/// read it as the mean absolute error over the same 2,000). Paper: T = 100 in 74,000 sequences, T = 1000 in 853,000.
/// </summary>
public class AddingTask : LongLagTask
{
    /// <param name="t">The minimal length T ≥ 20.</param>
    public AddingTask(int t)
    {
        Require(t >= 20, $"--T must be at least 20 (got {t}): the second mark lies in the first T/2 - 1 pairs, the first in the first ten.");
        T = t;
    }

    /// <summary>The minimal sequence length T.</summary>
    public int T { get; }

    public override string Name => "adding";

    public override string Description => FormattableString.Invariant($"adding problem: pairs (U[-1,1], marker), length {T}..{T + T / 10}, target 0.5 + (X1 + X2)/4 at the end");

    public override int Inputs => 2;

    public override int Outputs => 1;

    public override bool TargetAtEveryStep => false;

    public override LongLagOutput Output => LongLagOutput.Linear;

    public override string CriterionText => "the last 2,000 sequences within 0.04 at the end, and their mean |error| < 0.01";

    public override double? PaperSequences => T switch
    {
        100 => 74_000,
        1000 => 853_000,
        _ => null,
    };

    public override string? PaperResult => PaperSequences is null ? null : "100% of 10 trials";

    public override string? Baseline => "the constant 0.5 is off by |X1 + X2|/4: mean |error| 1/6 ≈ 0.167, within 0.04 for about 15% of sequences";

    /// <summary>The first value's range is [<see cref="Low"/>, 1].</summary>
    protected virtual double Low => -1;

    /// <summary>X₁ when the first pair is marked (0 for adding, 1 for multiplication).</summary>
    protected virtual float FirstPairValue => 0f;

    /// <summary>The target from the two marked values.</summary>
    public virtual float Target(float x1, float x2) => 0.5f + (x1 + x2) / 4f;

    /// <summary>Draws the sequence and returns it with the two marked positions.</summary>
    public (LongLagSequence Sequence, int First, int Second) GenerateWithMarks(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int length = random.NextInt(T, T + T / 10);
        var x = new float[length * 2];
        for (int t = 0; t < length; t++)
            x[2 * t] = (float)random.NextUniform(Low, 1);
        x[1] = -1f;
        x[2 * (length - 1) + 1] = -1f;
        int first = random.NextInt(10);
        int second;
        do
        {
            second = random.NextInt(T / 2 - 1);
        }
        while (second == first);
        if (first == 0)
            x[0] = FirstPairValue;
        x[2 * first + 1] = 1f;
        x[2 * second + 1] = 1f;
        float target = Target(x[2 * first], x[2 * second]);
        return (new LongLagSequence(length, x, [target]), first, second);
    }

    public override LongLagSequence Generate(RandomGenerator random) => GenerateWithMarks(random).Sequence;

    public override SuccessCriterion NewCriterion(long seed) =>
        new RecentWindowCriterion(2000, 0.04, 0, 0.01, (s, o) => Math.Abs(o[0] - s.Targets[0]));
}
