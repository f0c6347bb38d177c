using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// Settings of an LSTM walk-forward forecast (seed tutorial 001 and its experiments). The defaults are
/// the tutorial's base configuration: lag-1 differencing and framing, the last 12 rows as test, a
/// stateful LSTM(1) at batch size 1, 1000 epochs, MSE, Adam, state reset after each training epoch.
/// </summary>
public sealed record ForecastOptions
{
    /// <summary>How many final observations are forecast, one step at a time.</summary>
    public int Test { get; init; } = 12;

    /// <summary>Lagged (differenced) observations given to the model as input features.</summary>
    public int Lag { get; init; } = 1;

    /// <summary>Units of each recurrent layer.</summary>
    public int Neurons { get; init; } = 1;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>The recurrent layer: <c>lstm</c> (the seed's) or <c>gru</c>.</summary>
    public string Cell { get; init; } = "lstm";

    /// <summary>The recurrent layer's input dropout in training (Keras <c>dropout</c>).</summary>
    public double Dropout { get; init; }

    /// <summary>The recurrent layer's recurrent dropout in training (Keras <c>recurrent_dropout</c>).</summary>
    public double RecurrentDropout { get; init; }

    /// <summary>Stacked recurrent layers; all but the last return sequences (default 1, the seed's).</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Wrap each recurrent layer in <see cref="LstmLab.Layers.Bidirectional"/> (merge mode concat).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>The optimizer by Keras name: adam (the seed's), sgd, rmsprop or adagrad (<see cref="OptimizerSettings.Names"/>).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>The optimizer's learning rate; null for Keras's default (0.001; sgd 0.01).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Keras <c>clipnorm</c> (per weight), or null.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Keras <c>clipvalue</c>, or null.</summary>
    public double? ClipValue { get; init; }

    /// <summary>Keras <c>global_clipnorm</c>, or null.</summary>
    public double? GlobalClipNorm { get; init; }

    /// <summary>The training loss by Keras name: mean_squared_error (the seed's), mean_absolute_error or huber.</summary>
    public string Loss { get; init; } = "mean_squared_error";

    /// <summary>The last fraction of each fit's training rows held out for <c>val_loss</c> (Keras <c>validation_split</c>); 0 for none.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Patience of early stopping on <c>val_loss</c> with the best weights restored; null for none. Needs <see cref="ValidationSplit"/>.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary>Batch size for training and forecasting.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Use only the last N training rows (seed 001's batch-12 experiment trains on the last 12); null = all.</summary>
    public int? TrainRows { get; init; }

    /// <summary>Stateful LSTM (state carried across batches) or stateless (reset every batch).</summary>
    public bool Stateful { get; init; } = true;

    /// <summary>Shuffle training samples each epoch.</summary>
    public bool Shuffle { get; init; }

    /// <summary>Stateful only: reset the state after each training epoch (else never during training).</summary>
    public bool ResetEachEpoch { get; init; } = true;

    /// <summary>Stateful only: reset the state after each one-step prediction.</summary>
    public bool ResetEachPrediction { get; init; }

    /// <summary>Stateful only: build up state by predicting over the training rows before forecasting the test rows.</summary>
    public bool SeedState { get; init; }

    /// <summary>Seed of the weights and shuffles.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The LSTM's gate activation (the tutorial's Keras 2.0 used hard_sigmoid_keras2).</summary>
    public RecurrentActivation RecurrentActivation { get; init; } = RecurrentActivation.Sigmoid;

    /// <summary>Adam's epsilon (Keras ≥ 2.3: 1e-7; Keras 2.0: 1e-8).</summary>
    public double AdamEpsilon { get; init; } = 1e-7;

    /// <summary>Steps forecast from each origin (<c>forecast --horizon</c>: the future steps after the last observation).</summary>
    public int Horizon { get; init; } = 1;

    /// <summary>How multi-step forecasts are made: a one-step model fed its own forecasts, or one model with <see cref="Horizon"/> outputs.</summary>
    public ForecastStrategy Strategy { get; init; } = ForecastStrategy.Recursive;

    /// <summary>Differencing interval per column (0 = none, 1 = the seed's lag-1 differencing, m = a season of m steps).</summary>
    public PerColumn Difference { get; init; } = new("1");

    /// <summary>Scaling per column: <c>minmax</c> (to [-1, 1], fitted on the training rows only, the seed's) or <c>none</c>.</summary>
    public PerColumn Scale { get; init; } = new("minmax");

    /// <summary>
    /// Threads one model splits its matrix products and element-wise kernels over (<see cref="Sequential.Threads"/>);
    /// null = all cores when one model trains alone, one per model when repeats or backtest windows train side by
    /// side. The results are bit-identical whatever the count, so it is not part of a repeat's identity.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Season length m of the seasonal naive baseline and of MASE's scale; null = none (naive, m = 1).</summary>
    public int? Season { get; init; }

    /// <summary>Backtest forecast origins; null = the one-step protocol over the last <see cref="Test"/> rows (forecast, experiments) or 1 (backtest).</summary>
    public int? Windows { get; init; }

    /// <summary>Steps between backtest origins; null = <see cref="Horizon"/> (windows side by side).</summary>
    public int? Stride { get; init; }

    /// <summary>Say explicitly that each origin trains on every observation before it (the default); refused with <see cref="Sliding"/>.</summary>
    public bool Expanding { get; init; }

    /// <summary>Train on the last W observations before each origin (a sliding window); null = all of them (expanding).</summary>
    public int? Sliding { get; init; }

    /// <summary>Retrain every K origins; 0 = train once, at the first origin (the seed's protocol).</summary>
    public int Refit { get; init; } = 1;

    /// <summary>
    /// Experiment files: record the training loss into the results store every N epochs (epochs N, 2N, ... and the
    /// last one); 1 (the default) records every epoch. It thins what is recorded, not what is trained: results do not depend on it.
    /// </summary>
    public int LossEvery { get; init; } = 1;

    /// <summary>Checks the settings on their own; throws <see cref="SettingException"/> naming the settings.</summary>
    public void Validate()
    {
        foreach (Setting<ForecastOptions> row in ForecastSettings.All)
            row.Check(row.Get(this));
        Require(!(Expanding && Sliding is not null), "Choose one of {0} and {1}.", nameof(Expanding), nameof(Sliding));
        Require(Dropout < 1, "{0} must be below 1" + F($" (got {Dropout})."), nameof(Dropout));
        Require(RecurrentDropout < 1, "{0} must be below 1" + F($" (got {RecurrentDropout})."), nameof(RecurrentDropout));
        Require(EarlyStopping is null || ValidationSplit > 0, "{0} watches the validation loss: set {1} too.", nameof(EarlyStopping), nameof(ValidationSplit));
        Require(new[] { ClipNorm, ClipValue, GlobalClipNorm }.Count(c => c is not null) <= 1, "Only one of {0}, {1} and {2} can be set (as in Keras).", nameof(ClipNorm), nameof(ClipValue), nameof(GlobalClipNorm));
        if (Stateful)
        {
            Require(Test % BatchSize == 0 || Windows is not null, "A stateful model forecasts in batches of exactly {1} " + F($"({BatchSize})") + ": {0} " + F($"{Test}") + " is not a multiple of it.", nameof(Test), nameof(BatchSize));
            Require(!SeedState || BatchSize == 1, "{0} predicts the training rows one at a time, so it needs {1} 1.", nameof(SeedState), nameof(BatchSize));
        }
        else
        {
            Require(!SeedState && !ResetEachPrediction && ResetEachEpoch, "{0}, {1} and {2} only apply to a stateful model; a stateless one starts every batch from zero.",
                nameof(SeedState), nameof(ResetEachPrediction), nameof(ResetEachEpoch));
        }
    }

    /// <summary>
    /// The network in words, e.g. <c>stateful LSTM(1)</c>, <c>stateless 2 × Bidirectional(GRU(8))</c>, with the
    /// optimizer and loss when they are not the seed's (Adam, MSE).
    /// </summary>
    public string DescribeNetwork()
    {
        string cell = F($"{Cell.ToUpperInvariant()}({Neurons})");
        string layer = Bidirectional ? $"Bidirectional({cell})" : cell;
        string training = Optimizer == "adam" && LearningRate is null && ClipNorm is null && ClipValue is null && GlobalClipNorm is null
            ? "" : ", " + new OptimizerSettings(Optimizer, LearningRate, ClipNorm, ClipValue, GlobalClipNorm);
        training += Loss == "mean_squared_error" ? "" : ", " + Loss;
        return (Stateful ? "stateful " : "stateless ") + (Layers > 1 ? F($"{Layers} × ") : "") + layer + training;
    }

    /// <summary>The one-step walk-forward of the seed: horizon 1, <see cref="Test"/> windows one step apart, one fit.</summary>
    public ForecastOptions SeedProtocol() => this with { Horizon = 1, Windows = Test, Stride = 1, Refit = 0 };

    private static void Require(bool condition, string template, params string[] settings)
    {
        if (!condition)
            throw new SettingException(template, settings);
    }

    private static string F(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How a multi-step forecast is made.</summary>
public enum ForecastStrategy
{
    /// <summary>A one-step model (it forecasts the next value of every input column) fed its own forecasts H times.</summary>
    Recursive,

    /// <summary>One model with H × targets outputs: all H steps at once from the observed lags.</summary>
    Direct,
}
