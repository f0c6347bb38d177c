using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Experiment 6 of Hochreiter &amp; Schmidhuber (1997), temporal order. Symbols E, B, a, b, c, d, X, Y, one-hot
/// (8 inputs). A sequence of length 100 … 110 starts with E, ends with the trigger B, and is otherwise random
/// a–d, except at the relevant positions, which hold X or Y: with 2 symbols t₁ ∈ 10 … 20 and t₂ ∈ 50 … 60
/// (positions counted from 1), 4 classes (XX, XY, YX, YY); with 3 symbols t₁ ∈ 10 … 20, t₂ ∈ 33 … 43,
/// t₃ ∈ 66 … 76, 8 classes. The class is the target (one-hot) at the end only. A sequence is correct when
/// every output is within 0.3 of its target at the end. Success: the 2,000 most recent training sequences
/// correct. Paper: 2 symbols in 31,390 sequences, 3 symbols in 571,100.
/// </summary>
public sealed class TemporalOrderTask : LongLagTask
{
    /// <summary>The input symbols in order.</summary>
    public const string Symbols = "EBabcdXY";

    private static readonly (int From, int To)[][] Positions =
    [
        [(10, 20), (50, 60)],
        [(10, 20), (33, 43), (66, 76)],
    ];

    /// <param name="symbols">2 or 3 relevant symbols.</param>
    public TemporalOrderTask(int symbols)
    {
        Require(symbols is 2 or 3, $"--symbols must be 2 or 3 (got {symbols}).");
        Relevant = symbols;
    }

    /// <summary>The number of relevant X/Y symbols.</summary>
    public int Relevant { get; }

    public override string Name => "temporal-order";

    public override string Description => FormattableString.Invariant($"temporal order, {Relevant} relevant symbols: classify the order of X/Y at {string.Join(", ", Positions[Relevant - 2].Select(p => $"{p.From}..{p.To}"))} among random a-d, length 100..110, {Outputs} classes");

    public override int Inputs => 8;

    public override int Outputs => 1 << Relevant;

    public override bool TargetAtEveryStep => false;

    public override LongLagOutput Output => LongLagOutput.Sigmoid;

    public override string CriterionText => "the last 2,000 sequences with every output within 0.3 of its target at the end";

    public override double? PaperSequences => Relevant == 2 ? 31_390 : 571_100;

    public override string? PaperResult => "100% of 20 trials";

    public override string? Baseline => FormattableString.Invariant($"without memory a guess is right for 1 in {Outputs} sequences");

    /// <summary>Draws a sequence and returns it with its relevant positions (1-based) and class.</summary>
    public (LongLagSequence Sequence, int[] Positions, int Class) GenerateWithClass(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int length = random.NextInt(100, 110);
        var symbols = new int[length];
        symbols[0] = 0;                                  // E
        symbols[length - 1] = 1;                         // B, the trigger
        for (int t = 1; t < length - 1; t++)
            symbols[t] = 2 + random.NextInt(4);          // a, b, c, d
        var at = new int[Relevant];
        int cls = 0;
        for (int r = 0; r < Relevant; r++)
        {
            (int from, int to) = Positions[Relevant - 2][r];
            at[r] = random.NextInt(from, to);
            bool isY = random.NextInt(2) == 1;
            symbols[at[r] - 1] = isY ? 7 : 6;
            cls = 2 * cls + (isY ? 1 : 0);               // XX = 0 (Q), XY = 1 (R), YX = 2 (S), YY = 3 (U)
        }
        var x = new float[length * 8];
        for (int t = 0; t < length; t++)
            SetOneHot(x, t, 8, symbols[t]);
        var y = new float[Outputs];
        y[cls] = 1f;
        return (new LongLagSequence(length, x, y), at, cls);
    }

    public override LongLagSequence Generate(RandomGenerator random) => GenerateWithClass(random).Sequence;

    public override SuccessCriterion NewCriterion(long seed) =>
        new RecentWindowCriterion(2000, 0.3, 0, null, (s, o) => Errors.MaxAbs(o, s.Targets));
}
