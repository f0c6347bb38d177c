using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// The copy-memory task as the TCN paper generates it (locuslab/TCN, copy_memory/utils.py; after Arjovsky
/// et al. 2016): a sequence of T + 20 digits, one-hot over 0 … 9 (10 inputs): ten digits drawn from 1 … 8,
/// T − 1 zeros, then eleven 9s (the first is the signal to recall). The target is a digit at every step: 0
/// for the first T + 10 steps, then the ten digits again. Output softmax over 10, categorical cross-entropy.
/// A memoryless model that outputs 0 and then a uniform guess over 1 … 8 scores the cross-entropy
/// 10·ln 8 / (T + 20). Success (LstmLab's): all ten recalled digits right in each of 50 held-out sequences,
/// checked every 500 training sequences. With <c>--digits N</c> (LstmLab's, default the paper's 10) N digits
/// are copied: length T + 2N, baseline N·ln 8 / (T + 2N), as the copy task of Graves et al. (2014) varies it.
/// </summary>
public sealed class CopyMemoryTask : LongLagTask
{
    /// <param name="t">The blank length T ≥ 1 (default 1000).</param>
    /// <param name="digits">The digits to copy, 1 … 10 (default 10, the TCN paper's).</param>
    public CopyMemoryTask(int t, int digits = 10)
    {
        Require(t >= 1, $"--T must be at least 1 (got {t}).");
        Require(digits is >= 1 and <= 10, $"--digits must be from 1 to 10 (got {digits}).");
        T = t;
        Memory = digits;
    }

    public int T { get; }

    /// <summary>The digits to copy (10 in the TCN paper).</summary>
    public int Memory { get; }

    public override string Name => "copy-memory";

    public override string Description => FormattableString.Invariant($"copy memory (TCN form): {Memory} digits of 1..8, {T - 1} blanks, {Memory + 1} markers; recall the {Memory} digits at the end ({T + 2 * Memory} steps)");

    public override int Inputs => 10;

    public override int Outputs => 10;

    public override bool TargetAtEveryStep => true;

    public override LongLagOutput Output => LongLagOutput.Softmax;

    /// <summary>The last N steps (ten in the paper), where the digits are recalled.</summary>
    public override int RecallSteps => Memory;

    public override string CriterionText => FormattableString.Invariant($"all {Memory} recalled digits right in each of 50 held-out sequences (checked every 500 training sequences)");

    /// <summary>The memoryless baseline cross-entropy N·ln 8 / (T + 2N), N the digits (10 ln 8 / (T + 20) in the paper).</summary>
    public double BaselineLoss => Memory * Math.Log(8) / (T + 2 * Memory);

    public override string? Baseline => FormattableString.Invariant($"memoryless cross-entropy {Memory} ln 8 / (T + {2 * Memory}) = {BaselineLoss:F5}");

    /// <summary>Draws a sequence and returns it with the digits to recall.</summary>
    public (LongLagSequence Sequence, int[] Digits) GenerateWithDigits(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int length = T + 2 * Memory;
        var digits = new int[Memory];
        for (int i = 0; i < Memory; i++)
            digits[i] = random.NextInt(1, 8);
        var x = new float[length * 10];
        var y = new float[length * 10];
        for (int t = 0; t < length; t++)
        {
            int input = t < Memory ? digits[t] : t < Memory + T - 1 ? 0 : 9;
            int target = t < T + Memory ? 0 : digits[t - T - Memory];
            SetOneHot(x, t, 10, input);
            SetOneHot(y, t, 10, target);
        }
        return (new LongLagSequence(length, x, y), digits);
    }

    public override LongLagSequence Generate(RandomGenerator random) => GenerateWithDigits(random).Sequence;

    public override SuccessCriterion NewCriterion(long seed)
    {
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "copy-memory-test"));
        return new HeldOutCriterion(Enumerable.Range(0, 50).Select(_ => Generate(random)).ToArray(), 500, (set, outputs) =>
        {
            int right = 0;
            for (int s = 0; s < set.Length; s++)
            {
                for (int t = T + Memory; t < T + 2 * Memory; t++)
                    right += ArgMax(outputs[s].AsSpan(t * 10, 10)) == ArgMax(set[s].Targets.AsSpan(t * 10, 10)) ? 1 : 0;
            }
            int total = set.Length * Memory;
            return (right == total, FormattableString.Invariant($"{right:N0} of {total:N0} recalled digits right (chance 1/8)"));
        });
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
                best = i;
        }
        return best;
    }
}
