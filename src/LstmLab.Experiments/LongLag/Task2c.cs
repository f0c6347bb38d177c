using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Task 2c of Hochreiter &amp; Schmidhuber (1997), "very long time lags, no local regularities": p + 4 symbols,
/// one-hot: the distractors a₁ … a_p (inputs 0 … p−1), then b (p), e (p+1), x (p+2), y (p+3); 2 outputs (x, y).
/// A sequence is b, then x or y (½ each), then a prefix of q random distractors, then more random distractors,
/// each followed by another with probability 9/10 or ended with probability 1/10 by the trigger e, then the
/// same x or y again: (b, x, a_{i₁}, …, a_{i_{q+k}}, e, x) of length q + k + 4 with P(k) = 0.1·0.9^k (mean length
/// q + 13). The net sees all but the last symbol and must say x or y at the end: the error is given only
/// there, and it must keep the second symbol for at least q + 1 steps. Success: the absolute error of both
/// outputs at the end below 0.2 for 10,000 successive sequences. Paper: q = p = 100 in 31,000 sequences,
/// q = p = 1000 in 49,000.
/// </summary>
public sealed class Task2c : LongLagTask
{
    /// <param name="q">The minimal lag q ≥ 1.</param>
    /// <param name="p">The distractors p ≥ 1.</param>
    public Task2c(int q, int p)
    {
        Require(q >= 1, $"--q must be at least 1 (got {q}).");
        Require(p >= 1, $"--p must be at least 1 (got {p}).");
        Q = q;
        P = p;
    }

    public int Q { get; }

    public int P { get; }

    /// <summary>Input index of b, e, x, y.</summary>
    public int B => P;

    public int E => P + 1;

    public int X => P + 2;

    public int Y => P + 3;

    public override string Name => "2c";

    public override string Description => FormattableString.Invariant($"task 2c: (b, x|y, {Q}+k random of {P} distractors, e, x|y), k geometric (mean 9), output at the end only");

    public override int Inputs => P + 4;

    public override int Outputs => 2;

    public override bool TargetAtEveryStep => false;

    public override LongLagOutput Output => LongLagOutput.Sigmoid;

    public override string CriterionText => "|error| of both outputs at the end < 0.2 for 10,000 successive sequences";

    public override double? PaperSequences => (Q, P) switch
    {
        (100, 100) => 31_000,
        (1000, 1000) => 49_000,
        _ => null,
    };

    public override string? PaperResult => PaperSequences is null ? null : "100% of the trials";

    public override string? Baseline => "without memory the answer is a coin flip: error 0.5 on both outputs";

    public override LongLagSequence Generate(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        bool isX = random.NextInt(2) == 0;
        var symbols = new List<int>(Q + 16) { B, isX ? X : Y };
        for (int i = 0; i < Q; i++)
            symbols.Add(random.NextInt(P));
        // The suffix: another distractor with probability 9/10, else the trigger e.
        while (random.NextDouble() < 0.9)
            symbols.Add(random.NextInt(P));
        symbols.Add(E);
        // The inputs are every symbol but the final x|y, which is the target.
        int n = symbols.Count;
        var x = new float[n * Inputs];
        for (int t = 0; t < n; t++)
            SetOneHot(x, t, Inputs, symbols[t]);
        float[] y = isX ? [1f, 0f] : [0f, 1f];
        return new LongLagSequence(n, x, y);
    }

    public override SuccessCriterion NewCriterion(long seed) =>
        new SuccessiveCriterion(10_000, (s, o) => Errors.MaxAbs(o, s.Targets) < 0.2);
}
