using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Task 2a of Hochreiter &amp; Schmidhuber (1997), "noise-free sequences with long time lags": p + 1 symbols
/// a₁ … a_{p−1}, x = a_p, y = a_{p+1}, one-hot (inputs 0 … p−2 are a₁ … a_{p−1}, p−1 is x, p is y). The
/// training set is two sequences, (y, a₁, …, a_{p−1}, y) and (x, a₁, …, a_{p−1}, x), each drawn with
/// probability ½. The net predicts the next symbol at every step (p steps), so predicting the last one
/// needs the first, p steps back. Success: the maximal absolute error of all outputs at all steps below
/// 0.25 for 10,000 successive sequences. Paper (p = 100): 100% of 18 trials, 5,040 sequences.
/// </summary>
public class Task2a : LongLagTask
{
    /// <param name="p">The time lag p ≥ 2 (p + 1 symbols, sequences of p + 1 symbols).</param>
    public Task2a(int p)
    {
        Require(p >= 2, $"--p must be at least 2 (got {p}).");
        P = p;
    }

    /// <summary>The lag p.</summary>
    public int P { get; }

    /// <summary>The index of x.</summary>
    public int X => P - 1;

    /// <summary>The index of y.</summary>
    public int Y => P;

    public override string Name => "2a";

    public override string Description => FormattableString.Invariant($"task 2a: (x, a1..a{P - 1}, x) and (y, a1..a{P - 1}, y) over {P + 1} one-hot symbols, next-symbol prediction, lag p = {P}");

    public override int Inputs => P + 1;

    public override int Outputs => P + 1;

    public override bool TargetAtEveryStep => true;

    public override LongLagOutput Output => LongLagOutput.Sigmoid;

    /// <summary>The last step, the prediction of the first symbol again.</summary>
    public override int RecallSteps => 1;

    public override string CriterionText => "max |error| of all outputs at every step < 0.25 for 10,000 successive sequences";

    public override double? PaperSequences => P == 100 ? 5040 : null;

    public override string? PaperResult => P == 100 ? "100% of 18 trials" : null;

    public override string? Baseline => "without memory the last step is a coin flip: error 0.5 on x and y";

    /// <summary>The symbols of the middle, a₁ … a_{p−1} (indices 0 … p−2); 2b draws them at random.</summary>
    protected virtual int Middle(RandomGenerator random, int i) => i;

    public override LongLagSequence Generate(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int first = random.NextInt(2) == 0 ? X : Y;
        var symbols = new int[P + 1];
        symbols[0] = first;
        for (int i = 1; i < P; i++)
            symbols[i] = Middle(random, i - 1);
        symbols[P] = first;
        return Encode(symbols, Inputs);
    }

    /// <summary>Inputs symbols[0..^1], targets symbols[1..], one-hot over <paramref name="width"/>.</summary>
    internal static LongLagSequence Encode(int[] symbols, int width)
    {
        int n = symbols.Length - 1;
        var x = new float[n * width];
        var y = new float[n * width];
        for (int t = 0; t < n; t++)
        {
            SetOneHot(x, t, width, symbols[t]);
            SetOneHot(y, t, width, symbols[t + 1]);
        }
        return new LongLagSequence(n, x, y);
    }

    public override SuccessCriterion NewCriterion(long seed) =>
        new SuccessiveCriterion(10_000, (s, o) => Errors.MaxAbs(o, s.Targets) < 0.25,
            (s, o) => Errors.MaxAbs(o[..^Outputs], s.Targets.AsSpan(0, s.Targets.Length - Outputs)) < 0.25);
}
