using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>How a task's outputs are read: the output layer's activation and the loss it is trained with.</summary>
public enum LongLagOutput
{
    /// <summary>Dense(sigmoid), binary cross-entropy: one-hot or several-hot targets in {0, 1}.</summary>
    Sigmoid,

    /// <summary>Dense(linear), mean squared error: real-valued targets.</summary>
    Linear,

    /// <summary>Dense(softmax), categorical cross-entropy: one class per step.</summary>
    Softmax,
}

/// <summary>
/// One training or test sequence: <see cref="Inputs"/> (Length, features) row-major, and
/// <see cref="Targets"/>: (Length, outputs) when the task has a target at every step, else (outputs) for the end.
/// </summary>
public sealed record LongLagSequence(int Length, float[] Inputs, float[] Targets)
{
    /// <summary>The index of the active input at step t (one-hot inputs), or −1 when none is active.</summary>
    public int SymbolAt(int t, int features)
    {
        for (int f = 0; f < features; f++)
        {
            if (Inputs[t * features + f] != 0f)
                return f;
        }
        return -1;
    }
}

/// <summary>
/// A long-time-lag task: its generator, its network's output, its success criterion and the published
/// result it is compared with. One class per task (Hochreiter &amp; Schmidhuber 1997, Section 5; and the
/// two modern variants from Bai, Kolter &amp; Koltun 2018).
/// </summary>
public abstract class LongLagTask
{
    /// <summary>The task's name on the command line (<c>reber</c>, <c>2a</c>, …).</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description with the task's parameters.</summary>
    public abstract string Description { get; }

    /// <summary>Input features per step.</summary>
    public abstract int Inputs { get; }

    /// <summary>Outputs (per step or at the end).</summary>
    public abstract int Outputs { get; }

    /// <summary>Whether there is a target at every step (the LSTM returns sequences) or only at the end.</summary>
    public abstract bool TargetAtEveryStep { get; }

    /// <summary>The output layer and loss.</summary>
    public abstract LongLagOutput Output { get; }

    /// <summary>
    /// How many final steps of a sequence hold the targets that need the long memory (2a and 2b: the last step;
    /// copy-memory: the recalled digits), the steps <see cref="LongLagOptions.RecallWeight"/> weighs; 0 when the
    /// task has no such steps among others (a target only at the end, or a prediction at every step as in Reber).
    /// </summary>
    public virtual int RecallSteps => 0;

    /// <summary>The success criterion in words (printed beside the results).</summary>
    public abstract string CriterionText { get; }

    /// <summary>The paper's training sequences to success for these settings, or null where it reports none.</summary>
    public virtual double? PaperSequences => null;

    /// <summary>The paper's result in words (trials, success rate), or null.</summary>
    public virtual string? PaperResult => null;

    /// <summary>What a model without memory (or a constant guess) scores, in words, or null.</summary>
    public virtual string? Baseline => null;

    /// <summary>Draws one training sequence.</summary>
    public abstract LongLagSequence Generate(RandomGenerator random);

    /// <summary>A fresh success criterion for one trial; <paramref name="seed"/> seeds any fixed data it needs (test sets).</summary>
    public abstract SuccessCriterion NewCriterion(long seed);

    /// <summary>Throws <see cref="ArgumentException"/> naming the option when a parameter is out of range.</summary>
    protected static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }

    /// <summary>Sets the one-hot input <paramref name="symbol"/> at step t.</summary>
    protected static void SetOneHot(float[] rows, int t, int width, int symbol) => rows[t * width + symbol] = 1f;
}
