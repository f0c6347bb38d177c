using LstmLab.Training;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Settings of a long-time-lag run (<c>lstmlab run long-lag</c>). The network is LSTM(units) → Dense(outputs)
/// with the task's output and loss, trained online as in the paper: one update per training sequence
/// (full BPTT through it), for at most <see cref="MaxSequences"/> sequences or until the task's criterion is met.
/// </summary>
public sealed record LongLagOptions
{
    /// <summary>The task names <see cref="CreateTask"/> knows.</summary>
    public static IReadOnlyList<string> TaskNames { get; } = ["reber", "2a", "2b", "2c", "adding", "multiplication", "temporal-order", "adding-tcn", "copy-memory"];

    /// <summary>The task (see <see cref="TaskNames"/>).</summary>
    public string Task { get; init; } = "2a";

    /// <summary>Tasks 2a/2b: the lag p; task 2c: the number of distractors p (default 100).</summary>
    public int P { get; init; } = 100;

    /// <summary>Task 2c: the minimal lag q (default 100).</summary>
    public int Q { get; init; } = 100;

    /// <summary>Adding and multiplication: the minimal length T (default 100); adding-tcn: the length (null: 600); copy-memory: the blank length (null: 1000).</summary>
    public int? T { get; init; }

    /// <summary>Temporal order: 2 or 3 relevant symbols.</summary>
    public int Symbols { get; init; } = 2;

    /// <summary>LSTM units.</summary>
    public int Units { get; init; } = 16;

    /// <summary>copy-memory: the digits to copy (the TCN paper's 10).</summary>
    public int Digits { get; init; } = 10;

    /// <summary>The optimizer (default Adam with learning rate 0.01, see <see cref="DefaultOptimizer"/>).</summary>
    public OptimizerSettings Optimizer { get; init; } = DefaultOptimizer;

    /// <summary>Adam, learning rate 0.01, global_clipnorm 1: the default for every task.</summary>
    public static OptimizerSettings DefaultOptimizer { get; } = new("adam", 0.01, GlobalClipNorm: 1);

    /// <summary>A decay of the learning rate per update (one per sequence), Keras's ExponentialDecay; null (default): a constant rate.</summary>
    public LearningRateDecay? LearningRateDecay { get; init; }

    /// <summary>The LSTM's initial forget-gate bias (null: Keras's unit_forget_bias, 1).</summary>
    public double? ForgetBias { get; init; }

    /// <summary>Chrono initialization of the gate biases with this T_max (<see cref="GateBiasInit.Chrono"/>); null for none. Excludes <see cref="ForgetBias"/>.</summary>
    public double? Chrono { get; init; }

    /// <summary>Stop a trial unsolved after this many training sequences.</summary>
    public long MaxSequences { get; init; } = 200_000;

    /// <summary>
    /// The training loss's weight on the task's recall steps (<see cref="LongLagTask.RecallSteps"/>; every other step
    /// weighs 1), given to the model as Keras's temporal <c>sample_weight</c>; null = unweighted. With Adam the one
    /// recall step among p otherwise contributes too little to be learned at long lags.
    /// </summary>
    public double? RecallWeight { get; init; }

    /// <summary>The first trial's seed; trial i uses Seed + i.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The task these settings name.</summary>
    /// <exception cref="ArgumentException">Unknown task or a parameter out of range; the message names the option.</exception>
    public LongLagTask CreateTask() => Task.Trim().ToLowerInvariant() switch
    {
        "reber" => new ReberTask(),
        "2a" => new Task2a(P),
        "2b" => new Task2b(P),
        "2c" => new Task2c(Q, P),
        "adding" => new AddingTask(T ?? 100),
        "multiplication" => new MultiplicationTask(T ?? 100),
        "temporal-order" => new TemporalOrderTask(Symbols),
        "adding-tcn" => new AddingTcnTask(T ?? 600),
        "copy-memory" => new CopyMemoryTask(T ?? 1000, Digits),
        _ => throw new ArgumentException($"Unknown --task '{Task}': expected one of {string.Join(", ", TaskNames)}."),
    };

    /// <summary>Checks every setting; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (Units < 1)
            throw new ArgumentException($"--units must be at least 1 (got {Units}).");
        if (MaxSequences < 1)
            throw new ArgumentException($"--max-sequences must be at least 1 (got {MaxSequences}).");
        if (ForgetBias is double fb && !double.IsFinite(fb))
            throw new ArgumentException($"--forget-bias must be a finite number (got {fb}).");
        if (Chrono is double tMax)
        {
            GateBiasInit.ValidateChrono(tMax);
            if (ForgetBias is not null)
                throw new ArgumentException("--chrono sets the forget biases itself: give --forget-bias or --chrono, not both.");
        }
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        _ = Optimizer.Create();
        LearningRateDecay?.Validate();
        LongLagTask task = CreateTask();
        if (RecallWeight is double w)
        {
            if (!(w > 0) || !double.IsFinite(w))
                throw new ArgumentException($"--recall-weight must be a finite number > 0 (got {w}).");
            if (task.RecallSteps == 0)
                throw new ArgumentException($"--recall-weight applies to tasks with a target at every step and a recall among them (2a, 2b, copy-memory), not to --task {task.Name}.");
        }
    }
}
