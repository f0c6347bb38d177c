using LstmLab.Numerics;

namespace LstmLab.Experiments.Recipes;

/// <summary>The three experiments of the echo tutorial (seed 002).</summary>
public enum EchoVariant
{
    /// <summary>Echo the current value: one time step per sample, LSTM(15), 500 epochs.</summary>
    Current,

    /// <summary>The beginner's mistake: echo X(t-1) from X(t) alone, trusting a stateful LSTM(50) at batch 6 to remember.</summary>
    LagNoContext,

    /// <summary>Echo X(t-1) with the last 5 values as time steps: stateful LSTM(50) at batch 5.</summary>
    LagContext,
}

/// <summary>
/// Settings of an echo run (seed tutorial 002). Leave a nullable setting null for the variant's tutorial
/// value; the <c>Resolved…</c> properties say what a run uses.
/// </summary>
public sealed partial record EchoOptions
{
    /// <summary>Which experiment.</summary>
    public EchoVariant Variant { get; init; } = EchoVariant.Current;

    /// <summary>Training epochs, each on a fresh random sequence (default 500 for current, else 2000).</summary>
    public int? Epochs { get; init; }

    /// <summary>Seed of the weights and of every random sequence.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The integers are drawn from 0 .. Alphabet-1 and one-hot encoded over Alphabet values.</summary>
    public int Alphabet { get; init; } = 100;

    /// <summary>Values per random sequence.</summary>
    public int Length { get; init; } = 25;

    /// <summary>How many steps back the echoed value lies (default 0 for current, else 1).</summary>
    public int? Lag { get; init; }

    /// <summary>Lag-context: time steps per sample (default 5).</summary>
    public int? Window { get; init; }

    /// <summary>LSTM units (default 15 for current, else 50).</summary>
    public int? Units { get; init; }

    /// <summary>Batch size (default 1 for current, 6 for lag-no-context, 5 for lag-context).</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Lag-context extension: each sample is the whole sequence so far, pre-padded with -1 to the full length
    /// and read through a <see cref="Layers.Masking"/>(-1) layer, so the padding is skipped.
    /// </summary>
    public bool WholeSequence { get; init; }

    /// <summary>
    /// Lag-context extension: echo the last N values at once. Each sample is a window of N + lag steps; the
    /// LSTM returns its whole output sequence and Dense gives one prediction per step; step k echoes the
    /// value lag steps before it. The first lag steps of a window have nothing to echo inside the window:
    /// their targets are all-zero vectors, which add nothing to the categorical cross-entropy or its gradient
    /// (a loss mask), and they are not scored.
    /// </summary>
    public int? LagSequence { get; init; }

    /// <summary>A stateless LSTM instead of the tutorial's stateful one (the "ignore internal state" extension).</summary>
    public bool Stateless { get; init; }

    /// <summary>The LSTM's gate activation.</summary>
    public RecurrentActivation RecurrentActivation { get; init; } = RecurrentActivation.Sigmoid;

    /// <summary>Every this many epochs, check whether a fixed probe sequence is echoed perfectly, to find the first epoch of success (0 = never check).</summary>
    public int ProbeEvery { get; init; } = 10;

    public int ResolvedEpochs => Epochs ?? (Variant == EchoVariant.Current ? 500 : 2000);

    public int ResolvedLag => Lag ?? (Variant == EchoVariant.Current ? 0 : 1);

    public int ResolvedUnits => Units ?? (Variant == EchoVariant.Current ? 15 : 50);

    public int ResolvedBatchSize => BatchSize ?? Variant switch
    {
        EchoVariant.Current => 1,
        EchoVariant.LagNoContext => 6,
        _ => 5,
    };

    /// <summary>Time steps per sample: 1; the lag-context window; the whole length; or N + lag for a lag sequence.</summary>
    public int ResolvedWindow => Variant != EchoVariant.LagContext ? 1
        : WholeSequence ? Length
        : LagSequence is int n ? n + ResolvedLag
        : Window ?? 5;

    /// <summary>
    /// Whether the LSTM carries state between batches: as the tutorial for the lag variants, unless
    /// <see cref="Stateless"/>. The extensions whose samples hold their whole context (whole sequence,
    /// lag sequence) are stateless: carried state would only leak the previous sample in.
    /// </summary>
    public bool ResolvedStateful => Variant != EchoVariant.Current && !Stateless && !WholeSequence && LagSequence is null;

    /// <summary>Values echoed per sample: N for a lag sequence, else 1.</summary>
    public int EchoedPerSample => LagSequence ?? 1;

    /// <summary>The index of the first sample's last step (lag-context and lag-no-context drop the rows without full history).</summary>
    internal int FirstEnd => Variant switch
    {
        EchoVariant.Current => 0,
        EchoVariant.LagNoContext => ResolvedLag,
        // The tutorial's values[5:] drops the first W rows, leaving 20 samples that batch 5 divides.
        _ when WholeSequence => ResolvedLag,
        _ when LagSequence is not null => ResolvedWindow - 1,
        _ => Math.Max(ResolvedWindow, ResolvedLag),
    };

    /// <summary>Samples made from one sequence.</summary>
    public int SamplesPerSequence => Length - FirstEnd;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        Require(Alphabet >= 2, $"Alphabet must be at least 2 (got {Alphabet}).", nameof(Alphabet));
        Require(Length >= 2, $"Length must be at least 2 (got {Length}).", nameof(Length));
        Require(Epochs is null or >= 0, $"Epochs must be 0 or more (got {Epochs}).", nameof(Epochs));
        Require(Units is null or >= 1, $"Units must be at least 1 (got {Units}).", nameof(Units));
        Require(BatchSize is null or >= 1, $"BatchSize must be at least 1 (got {BatchSize}).", nameof(BatchSize));
        Require(Lag is null or >= 0, $"Lag must be 0 or more (got {Lag}).", nameof(Lag));
        Require(ProbeEvery >= 0, $"ProbeEvery must be 0 or more (got {ProbeEvery}).", nameof(ProbeEvery));
        string variant = Name(Variant);
        if (Variant != EchoVariant.LagContext)
        {
            Require(Window is null, $"Window applies to Variant lag-context (this is {variant}).", nameof(Window));
            Require(!WholeSequence, $"WholeSequence extends Variant lag-context (this is {variant}).", nameof(WholeSequence));
            Require(LagSequence is null, $"LagSequence extends Variant lag-context (this is {variant}).", nameof(LagSequence));
        }
        if (Variant == EchoVariant.Current)
        {
            Require(ResolvedLag == 0, $"Variant current echoes the current value; use Variant lag-no-context or lag-context for Lag {Lag}.", nameof(Lag));
            Require(!Stateless, "Stateless applies to the lag variants; the current-echo model is already stateless.", nameof(Stateless));
        }
        Require(!(WholeSequence && LagSequence is not null), "Choose one of WholeSequence and LagSequence.", nameof(WholeSequence));
        Require(LagSequence is null or >= 1, $"LagSequence must be at least 1 (got {LagSequence}).", nameof(LagSequence));
        Require(Window is null or >= 1, $"Window must be at least 1 (got {Window}).", nameof(Window));
        Require(Window is null || (!WholeSequence && LagSequence is null),
            WholeSequence ? "WholeSequence uses the whole sequence so far as the window; drop Window." : "LagSequence N uses a window of N + lag steps; drop Window.", nameof(Window));
        int samples = SamplesPerSequence;
        Require(samples >= 1, $"A sequence of Length {Length} leaves no sample for {Describe()}; use a longer sequence.", nameof(Length));
        if (ResolvedStateful && ValidationSplit == 0)
        {
            Require(samples % ResolvedBatchSize == 0,
                $"A stateful model trains in whole batches, but BatchSize {ResolvedBatchSize} does not divide the {samples} samples per sequence ({Describe()}); choose another BatchSize or Length, or set Stateless.", nameof(BatchSize));
        }
        ValidateTraining(samples);
    }

    /// <summary>A one-line description of the framing.</summary>
    public string Describe() => Variant switch
    {
        EchoVariant.Current => "echo X(t) from X(t)",
        EchoVariant.LagNoContext => $"echo {X(ResolvedLag)} from X(t) alone",
        _ when WholeSequence => $"echo {X(ResolvedLag)} from the whole sequence so far, padded with -1 and masked",
        _ when LagSequence is int n => $"echo the {n} values {X(ResolvedLag + n - 1)}..{X(ResolvedLag)} at once from windows of {ResolvedWindow} steps",
        _ => $"echo {X(ResolvedLag)} from windows of the last {ResolvedWindow} values",
    };

    private static string X(int back) => back == 0 ? "X(t)" : $"X(t-{back})";

    /// <summary>The command-line name of a variant.</summary>
    public static string Name(EchoVariant variant) => variant switch
    {
        EchoVariant.Current => "current",
        EchoVariant.LagNoContext => "lag-no-context",
        EchoVariant.LagContext => "lag-context",
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>Parses a command-line variant name.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static EchoVariant ParseVariant(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "current" => EchoVariant.Current,
        "lag-no-context" => EchoVariant.LagNoContext,
        "lag-context" => EchoVariant.LagContext,
        _ => throw new ArgumentException($"Unknown --variant '{name}': expected current, lag-no-context or lag-context."),
    };

    // The message names settings as this record does (Units, BatchSize); the command line maps them to its options.
    private static void Require(bool condition, string message, string setting = "")
    {
        if (!condition)
            throw new ArgumentException(message, setting.Length == 0 ? null : setting);
    }
}
