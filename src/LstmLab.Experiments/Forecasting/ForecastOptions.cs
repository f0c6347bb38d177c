using LstmLab.Numerics;

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

    /// <summary>LSTM units.</summary>
    public int Neurons { get; init; } = 1;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 1000;

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

    /// <summary>Checks the settings on their own; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        Require(Test >= 1, $"--test must be at least 1 (got {Test}).");
        Require(Lag >= 1, $"--lag must be at least 1 (got {Lag}).");
        Require(Neurons >= 1, $"--neurons must be at least 1 (got {Neurons}).");
        Require(Epochs >= 0, $"--epochs must be 0 or more (got {Epochs}).");
        Require(BatchSize >= 1, $"--batch-size must be at least 1 (got {BatchSize}).");
        Require(TrainRows is null or >= 1, $"--train-rows must be at least 1 (got {TrainRows}).");
        Require(AdamEpsilon >= 0, $"--adam-epsilon must be non-negative (got {AdamEpsilon}).");
        if (Stateful)
        {
            Require(Test % BatchSize == 0, $"A stateful model forecasts in batches of exactly {BatchSize}: --test {Test} is not a multiple of --batch-size {BatchSize}.");
            Require(!SeedState || BatchSize == 1, "--seed-state predicts the training rows one at a time, so it needs --batch-size 1.");
        }
        else
        {
            Require(!SeedState && !ResetEachPrediction && ResetEachEpoch, "--seed-state, --reset-each-prediction and --no-reset-each-epoch only apply to a stateful model; a stateless one starts every batch from zero.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }
}
