namespace LstmLab.Training;

/// <summary>
/// Keras's <c>EarlyStopping</c>: stops training when <see cref="Monitor"/> has not improved for
/// <see cref="Patience"/> epochs. An epoch improves when (value − min_delta) &lt; best for a minimised quantity
/// (value + min_delta &gt; best when maximised). With a <see cref="Baseline"/>, the patience counter restarts only
/// on improvements that also beat the baseline. With <see cref="RestoreBestWeights"/>, the weights of the best
/// epoch are put back when training ends (Keras 3: also when stopped by another callback or at the last epoch).
/// Defaults as Keras: monitor val_loss, min_delta 0, patience 0, mode auto, no baseline, start_from_epoch 0.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private double _best, _delta;
    private bool _maximise, _ready;
    private float[][]? _bestWeights;

    /// <exception cref="ArgumentException">A negative patience or start epoch, or an unknown mode.</exception>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, string mode = "auto",
        double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(startFromEpoch);
        Monitor = monitor;
        MinDelta = Math.Abs(minDelta);
        Patience = patience;
        Mode = CheckMode(mode);
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
    }

    public string Monitor { get; }

    public double MinDelta { get; }

    public int Patience { get; }

    public string Mode { get; }

    public double? Baseline { get; }

    public bool RestoreBestWeights { get; }

    public int StartFromEpoch { get; }

    /// <summary>Epochs since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <summary>The 0-based epoch at which training was stopped, 0 when it was not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The 0-based epoch of the best value so far.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value so far.</summary>
    public double Best => _best;

    public override void OnTrainBegin()
    {
        Wait = 0;
        StoppedEpoch = 0;
        BestEpoch = 0;
        _bestWeights = null;
        _ready = false;
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        Sequential model = RequireModel();
        if (!_ready)
        {
            _maximise = Maximise(Monitor, Mode);
            _delta = _maximise ? MinDelta : -MinDelta;
            _best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
            _ready = true;
        }
        if (!logs.TryGetValue(Monitor, out double current))
            throw new ArgumentException($"EarlyStopping monitors '{Monitor}', which the logs do not have (they have {string.Join(", ", logs.Keys)}); add validation data for val_ entries or compile the metric.");
        if (epoch < StartFromEpoch)
            return;
        if (RestoreBestWeights && _bestWeights is null)
        {
            _bestWeights = model.GetWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (IsImprovement(current, _best))
        {
            _best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights)
                _bestWeights = model.GetWeights();
            if (Baseline is not double baseline || IsImprovement(current, baseline))
                Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            model.StopTraining = true;
        }
    }

    public override void OnTrainEnd()
    {
        if (RestoreBestWeights && _bestWeights is not null)
            RequireModel().SetWeights(_bestWeights);
    }

    private bool IsImprovement(double value, double reference) =>
        _maximise ? value - _delta > reference : value - _delta < reference;
}
