namespace LstmLab.Training;

/// <summary>
/// Keras's <c>LearningRateScheduler(schedule)</c>: before each epoch, sets the optimizer's learning rate to
/// <c>schedule(epoch, current learning rate)</c> (epoch 0-based). <see cref="StepDecay"/> makes the common step schedule.
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double> _schedule;

    public LearningRateScheduler(Func<int, double, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    public override void OnEpochBegin(int epoch)
    {
        Optimizer optimizer = RequireModel().Optimizer!;
        optimizer.LearningRate = _schedule(epoch, optimizer.LearningRate);
    }

    /// <summary>
    /// Step decay: lr = initial · drop^⌊epoch / epochsPerDrop⌋ (e.g. halve every 10 epochs: drop 0.5, epochsPerDrop 10).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive rate or interval.</exception>
    public static LearningRateScheduler StepDecay(double initial, double drop, int epochsPerDrop)
    {
        if (!(initial > 0) || !(drop > 0))
            throw new ArgumentOutOfRangeException(nameof(drop), $"StepDecay needs a positive initial rate and drop (got {initial}, {drop}).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochsPerDrop);
        return new LearningRateScheduler((epoch, _) => initial * Math.Pow(drop, epoch / epochsPerDrop));
    }
}

/// <summary>
/// Keras's <c>ExponentialDecay</c> schedule, applied per update: before each batch, lr = initial ·
/// rate^(step / decaySteps), with step the optimizer's update count so far, and the exponent floored when
/// <see cref="Staircase"/>.
/// </summary>
public sealed class ExponentialDecay : Callback
{
    /// <exception cref="ArgumentOutOfRangeException">A non-positive rate or decay steps.</exception>
    public ExponentialDecay(double initialLearningRate, int decaySteps, double decayRate, bool staircase = false)
    {
        if (!(initialLearningRate > 0) || !(decayRate > 0))
            throw new ArgumentOutOfRangeException(nameof(decayRate), $"ExponentialDecay needs a positive initial rate and decay rate (got {initialLearningRate}, {decayRate}).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    public double InitialLearningRate { get; }

    public int DecaySteps { get; }

    public double DecayRate { get; }

    public bool Staircase { get; }

    /// <summary>The learning rate at update <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        double p = (double)step / DecaySteps;
        return InitialLearningRate * Math.Pow(DecayRate, Staircase ? Math.Floor(p) : p);
    }

    public override void OnBatchBegin()
    {
        Optimizer optimizer = RequireModel().Optimizer!;
        optimizer.LearningRate = At(optimizer.Iterations);
    }
}

/// <summary>
/// Keras's <c>ReduceLROnPlateau</c>: when <see cref="Monitor"/> has not improved by more than min_delta for
/// <see cref="Patience"/> epochs, multiplies the learning rate by <see cref="Factor"/> (not below
/// <see cref="MinLearningRate"/>), then waits <see cref="Cooldown"/> epochs before counting again.
/// Defaults as Keras: monitor val_loss, factor 0.1, patience 10, mode auto (max when the name contains
/// "acc"), min_delta 1e-4, cooldown 0, min_lr 0.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private double _best;
    private int _cooldownCounter;
    private bool _maximise;

    /// <exception cref="ArgumentException">factor not in (0, 1), a negative patience, cooldown or min_lr, or an unknown mode.</exception>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), $"ReduceLROnPlateau does not support a factor ≥ 1 or ≤ 0 (got {factor}).");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        Mode = CheckMode(mode);
        MinDelta = minDelta;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Reset();
    }

    public string Monitor { get; }

    public double Factor { get; }

    public int Patience { get; }

    public string Mode { get; }

    public double MinDelta { get; }

    public int Cooldown { get; }

    public double MinLearningRate { get; }

    /// <summary>Epochs without improvement since the last reduction or improvement.</summary>
    public int Wait { get; private set; }

    public override void OnTrainBegin() => Reset();

    private void Reset()
    {
        // Keras decides the direction by the name alone here: max when it contains "acc".
        _maximise = Mode == "max" || (Mode == "auto" && Monitor.Contains("acc", StringComparison.Ordinal));
        _best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
        _cooldownCounter = 0;
        Wait = 0;
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        Optimizer optimizer = RequireModel().Optimizer!;
        if (!logs.TryGetValue(Monitor, out double current))
            throw new ArgumentException($"ReduceLROnPlateau monitors '{Monitor}', which the logs do not have (they have {string.Join(", ", logs.Keys)}).");
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            Wait = 0;
        }
        if (_maximise ? current > _best + MinDelta : current < _best - MinDelta)
        {
            _best = current;
            Wait = 0;
        }
        else if (_cooldownCounter == 0)
        {
            Wait++;
            if (Wait >= Patience)
            {
                double old = optimizer.LearningRate;
                if (old > (float)MinLearningRate)
                {
                    optimizer.LearningRate = Math.Max(old * Factor, MinLearningRate);
                    _cooldownCounter = Cooldown;
                    Wait = 0;
                }
            }
        }
    }
}
