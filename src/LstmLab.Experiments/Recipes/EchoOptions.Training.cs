using System.Globalization;
using LstmLab.Training;

namespace LstmLab.Experiments.Recipes;

/// <summary>The recurrent layer an echo model is built from.</summary>
public enum RecurrentCell
{
    /// <summary>LSTM (the tutorial's).</summary>
    Lstm,
    /// <summary>GRU as Keras 3 defines it (reset_after).</summary>
    Gru,
}

// The model and training controls of an echo run beyond the tutorial's: the cell, stacking, bidirectional
// layers, dropout, validation split with early stopping, the optimizer and the loss.
public sealed partial record EchoOptions
{
    /// <summary>LSTM (default) or GRU.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Stacked recurrent layers (default 1); all but the last return sequences.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Wrap each recurrent layer in Bidirectional (concat).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>The recurrent layers' input dropout (Keras <c>dropout</c>).</summary>
    public double Dropout { get; init; }

    /// <summary>The recurrent layers' recurrent dropout (Keras <c>recurrent_dropout</c>).</summary>
    public double RecurrentDropout { get; init; }

    /// <summary>
    /// Hold out this last fraction of each epoch's samples (Keras <c>validation_split</c>, before shuffling) and
    /// evaluate on it after the epoch; 0 for none.
    /// </summary>
    public double ValidationSplit { get; init; }

    /// <summary>
    /// Stop when the validation loss has not improved for this many epochs, and go back to the weights of the
    /// best epoch (Keras <c>EarlyStopping(monitor="val_loss", patience=N, restore_best_weights=True)</c>,
    /// kept across the run's epochs); null for none. Needs <see cref="ValidationSplit"/>.
    /// </summary>
    public int? EarlyStopping { get; init; }

    /// <summary>The optimizer's Keras name with its defaults: adam (default) or sgd.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>
    /// The loss's Keras name (default categorical_crossentropy); any loss of one-hot targets. With
    /// <c>(from_logits=true)</c> the output layer is linear (logits) instead of softmax.
    /// </summary>
    public string Loss { get; init; } = "categorical_crossentropy";

    /// <summary>The training samples of an epoch (all of them without a validation split).</summary>
    public int TrainingSamples => (int)Math.Floor(SamplesPerSequence * (1 - ValidationSplit));

    /// <summary>A new optimizer for a run.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public Optimizer CreateOptimizer() => Optimizer.Trim().ToLowerInvariant() switch
    {
        "adam" => new Adam(),
        "sgd" => new Sgd(0.01),
        _ => throw new ArgumentException($"Unknown --optimizer '{Optimizer}': expected adam or sgd (Keras defaults: adam lr 0.001, sgd lr 0.01)."),
    };

    /// <summary>The loss of a run.</summary>
    /// <exception cref="ArgumentException">Unknown name, or a sparse loss (the targets are one-hot).</exception>
    public Loss ResolveLoss()
    {
        Loss loss = Training.Loss.Parse(Loss);
        if (loss.TargetWidth(2) != 2)
            throw new ArgumentException($"--loss {Loss} takes class indices, but the echo targets are one-hot vectors; use categorical_crossentropy.");
        return loss;
    }

    private void ValidateTraining(int samples)
    {
        Check(Layers >= 1, $"--layers must be at least 1 (got {Layers}).");
        Check(Dropout is >= 0 and < 1, F($"--dropout must be in [0, 1) (got {Dropout})."));
        Check(RecurrentDropout is >= 0 and < 1, F($"--recurrent-dropout must be in [0, 1) (got {RecurrentDropout})."));
        Check(ValidationSplit is >= 0 and < 1, F($"--validation-split must be in [0, 1) (got {ValidationSplit})."));
        Check(EarlyStopping is null or >= 0, $"--early-stopping must be 0 or more (got {EarlyStopping}).");
        Check(EarlyStopping is null || ValidationSplit > 0, "--early-stopping watches the validation loss: add --validation-split.");
        CreateOptimizer();
        ResolveLoss();
        if (ValidationSplit > 0)
        {
            int train = TrainingSamples, held = samples - train;
            Check(train >= 1 && held >= 1, F($"--validation-split {ValidationSplit} of the {samples} samples per sequence leaves {train} for training and {held} for validation; both need at least one."));
            if (ResolvedStateful)
            {
                int batch = ResolvedBatchSize;
                Check(train % batch == 0 && held % batch == 0,
                    F($"A stateful model trains and validates in whole batches, but --batch-size {batch} does not divide the {train} training and {held} validation samples (--validation-split {ValidationSplit} of {samples}); choose another --batch-size (e.g. a divisor of both) or add --stateless."));
            }
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void Check(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }
}
