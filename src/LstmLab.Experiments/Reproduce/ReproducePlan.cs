using System.Globalization;
using LstmLab.Experiments.Recipes;

namespace LstmLab.Experiments.Reproduce;

/// <summary>
/// How much of each seed's headline result <c>lstmlab reproduce</c> runs. The defaults are the report's:
/// the tutorials' own models and epochs throughout; 20 seeds for the memory demonstration, its MLP and each
/// echo variant; 30 repeats (the tutorial ran 10) of seed 001's stateful-vs-stateless and reset-regimes
/// experiments; 20 seeds of seed 000's long-sequence extension (P = 100 with the recipe of "Long time lags",
/// <see cref="LongSequence"/>). Together about a minute of two cores.
/// </summary>
public sealed record ReproducePlan
{
    /// <summary>Seed 001's experiments in the report (built-in experiment names).</summary>
    public static IReadOnlyList<string> ShampooExperiments { get; } = ["stateful-vs-stateless", "reset-regimes"];

    /// <summary>Seed 002's variants, in the tutorial's order.</summary>
    public static IReadOnlyList<EchoVariant> EchoVariants { get; } = [EchoVariant.Current, EchoVariant.LagNoContext, EchoVariant.LagContext];

    /// <summary>Seeds of the memory demonstration (seed, seed + 1, …).</summary>
    public int MemoryTrials { get; init; } = 20;

    /// <summary>Seeds of the MLP on the same task.</summary>
    public int MlpTrials { get; init; } = 20;

    /// <summary>Memory and MLP training epochs (the tutorial's 250).</summary>
    public int MemoryEpochs { get; init; } = 250;

    /// <summary>Repeats of each seed 001 configuration.</summary>
    public int ShampooRepeats { get; init; } = 30;

    /// <summary>Seed 001 training epochs; null keeps the experiments' 1000 (the tutorial's).</summary>
    public int? ShampooEpochs { get; init; }

    /// <summary>Seeds of each echo variant.</summary>
    public int EchoTrials { get; init; } = 20;

    /// <summary>Echo training epochs; null keeps each variant's tutorial value (500, 2000, 2000).</summary>
    public int? EchoEpochs { get; init; }

    /// <summary>Seeds of the long-sequence memory run (P = <see cref="LongLength"/>, <see cref="LongSequence"/>); 0 leaves it out.</summary>
    public int LongTrials { get; init; } = 20;

    /// <summary>Values per sequence of the long-sequence run (the README's P = 100 row).</summary>
    public int LongLength { get; init; } = 100;

    /// <summary>Most epochs of a long-sequence trial (it stops at the first epoch after which every step is right).</summary>
    public int LongEpochs { get; init; } = 1500;

    /// <summary>The first seed of every section (trial i uses seed + i; seed 001's repeats derive theirs from it).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Checks the counts; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        Require(MemoryTrials >= 1, $"memory trials must be at least 1 (got {MemoryTrials}).");
        Require(MlpTrials >= 1, $"MLP trials must be at least 1 (got {MlpTrials}).");
        Require(MemoryEpochs >= 1, $"memory epochs must be at least 1 (got {MemoryEpochs}).");
        Require(ShampooRepeats >= 2, $"seed 001 repeats must be at least 2, to have a spread (got {ShampooRepeats}).");
        Require(ShampooEpochs is null or >= 1, $"seed 001 epochs must be at least 1 (got {ShampooEpochs}).");
        Require(EchoTrials >= 1, $"echo trials must be at least 1 (got {EchoTrials}).");
        Require(LongTrials >= 0, $"long-sequence trials must be 0 (left out) or more (got {LongTrials}).");
        Require(LongLength >= 3, $"the long-sequence length must be at least 3 (got {LongLength}).");
        Require(LongEpochs >= 1, $"long-sequence epochs must be at least 1 (got {LongEpochs}).");
        Require(EchoEpochs is null or >= 1, $"echo epochs must be at least 1 (got {EchoEpochs}).");
    }

    /// <summary>The memory demonstration's options for trial <paramref name="index"/>.</summary>
    public MemoryOptions Memory(int index, MemoryModel model = MemoryModel.Lstm) =>
        new MemoryOptions(MemoryEpochs, 20, Seed + index) { Model = model };

    /// <summary>
    /// The long-sequence options for trial <paramref name="index"/>: the README's recipe R for P = 100 ("Long time
    /// lags" in the memory section): one update per sequence (full BPTT), LSTM(64), forget-gate bias 10, Adam at
    /// learning rate 0.01 with global clipnorm 1, stopped at the first epoch after which every step is right.
    /// </summary>
    public MemoryOptions LongSequence(int index) => new MemoryOptions(LongEpochs, 64, Seed + index)
    {
        Length = LongLength,
        BatchLearning = true,
        ForgetBias = 10,
        Optimizer = new LstmLab.Training.OptimizerSettings("adam", LearningRate: 0.01, GlobalClipNorm: 1),
        StopWhenSolved = true,
    };

    /// <summary>The echo options of <paramref name="variant"/> for trial <paramref name="index"/>.</summary>
    public EchoOptions Echo(EchoVariant variant, int index) => new() { Variant = variant, Seed = Seed + index, Epochs = EchoEpochs };

    /// <summary>The plan in one line, for the report.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"memory {MemoryTrials} seeds and MLP {MlpTrials} seeds at {MemoryEpochs} epochs; seed 001 {ShampooRepeats} repeats at {(ShampooEpochs is int e ? e.ToString(CultureInfo.InvariantCulture) : "1000")} epochs; echo {EchoTrials} seeds per variant at {(EchoEpochs is int x ? x.ToString(CultureInfo.InvariantCulture) : "the tutorial's")} epochs; {(LongTrials == 0 ? "no long-sequence run" : $"long sequences (P = {LongLength}) {LongTrials} seeds, at most {LongEpochs} epochs")}; first seed {Seed}");

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }
}
