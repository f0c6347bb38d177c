using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// The adding problem as the TCN paper (Bai, Kolter &amp; Koltun 2018; locuslab/TCN, adding_problem/utils.py)
/// and most papers since 2015 use it: T steps of (value, marker), values uniform in [0, 1], exactly two
/// markers at two distinct positions drawn uniformly from the whole sequence, the target at the end their
/// sum. Output linear, loss mean squared error. Predicting the constant 1 (the mean of the sum) scores
/// MSE = Var(X₁ + X₂) = 1/6 ≈ 0.167. Success (LstmLab's, the TCN paper states none): held-out MSE below
/// 0.01 on 200 fresh sequences, checked every 1,000 training sequences.
/// </summary>
public sealed class AddingTcnTask : LongLagTask
{
    /// <param name="t">Sequence length T ≥ 2 (default 600).</param>
    public AddingTcnTask(int t)
    {
        Require(t >= 2, $"--T must be at least 2 (got {t}).");
        T = t;
    }

    public int T { get; }

    public override string Name => "adding-tcn";

    public override string Description => FormattableString.Invariant($"adding problem (TCN form): {T} pairs (U[0,1], marker), two marks anywhere, target X1 + X2");

    public override int Inputs => 2;

    public override int Outputs => 1;

    public override bool TargetAtEveryStep => false;

    public override LongLagOutput Output => LongLagOutput.Linear;

    public override string CriterionText => "held-out MSE < 0.01 on 200 fresh sequences (checked every 1,000 training sequences)";

    public override string? Baseline => "predicting the constant 1 scores MSE 1/6 ≈ 0.167";

    /// <summary>Draws a sequence and returns it with its two marked positions.</summary>
    public (LongLagSequence Sequence, int First, int Second) GenerateWithMarks(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = new float[T * 2];
        for (int t = 0; t < T; t++)
            x[2 * t] = (float)random.NextDouble();
        int first = random.NextInt(T), second;
        do
        {
            second = random.NextInt(T);
        }
        while (second == first);
        x[2 * first + 1] = 1f;
        x[2 * second + 1] = 1f;
        return (new LongLagSequence(T, x, [x[2 * first] + x[2 * second]]), first, second);
    }

    public override LongLagSequence Generate(RandomGenerator random) => GenerateWithMarks(random).Sequence;

    public override SuccessCriterion NewCriterion(long seed)
    {
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "adding-tcn-test"));
        return new HeldOutCriterion(Enumerable.Range(0, 200).Select(_ => Generate(random)).ToArray(), 1000, (set, outputs) =>
        {
            double mse = set.Select((s, i) => Math.Pow(outputs[i][0] - s.Targets[0], 2)).Average();
            return (mse < 0.01, FormattableString.Invariant($"held-out MSE {mse:F4} (constant guess 0.167)"));
        });
    }
}

/// <summary>
/// Success once <paramref name="judge"/> accepts the outputs on a fixed held-out set, tried every <paramref name="interval"/>
/// sequences; the judge also says in words how the set scored (the progress of an unsolved trial: its last check).
/// </summary>
public sealed class HeldOutCriterion(LongLagSequence[] set, int interval, Func<LongLagSequence[], float[][], (bool Solved, string Score)> judge) : SuccessCriterion
{
    private string _last = "";

    public override int EvaluationInterval => interval;

    public override string Progress => _last.Length == 0 ? "" : FormattableString.Invariant($"last check: {_last}");

    protected override void ObserveCore(LongLagSequence sequence, ReadOnlySpan<float> output)
    {
    }

    public override void Evaluate(Func<LongLagSequence, float[]> predict)
    {
        ArgumentNullException.ThrowIfNull(predict);
        (bool solved, string score) = judge(set, set.Select(predict).ToArray());
        _last = score;
        if (solved)
            SequencesToSuccess = Seen;
    }
}
