namespace LstmLab;

/// <summary>
/// What <see cref="Sequential.Fit"/> records per epoch, like Keras's <c>History.history</c>: the training loss,
/// each compiled metric by name, and with validation data <c>val_loss</c> and <c>val_</c> + each metric.
/// </summary>
public sealed class History
{
    /// <summary>The mean training loss of each epoch (weighted by batch size).</summary>
    public List<double> Loss { get; } = [];

    /// <summary>
    /// Each compiled metric's per-epoch value, by name (e.g. <c>accuracy</c>), and with validation data
    /// <c>val_loss</c> and <c>val_accuracy</c> (<c>val_</c> + each metric's name).
    /// </summary>
    public Dictionary<string, List<double>> Metrics { get; } = [];

    /// <summary>The per-epoch validation loss (<c>val_loss</c>), empty without validation data.</summary>
    public IReadOnlyList<double> ValidationLoss => Metrics.TryGetValue("val_loss", out List<double>? v) ? v : [];

    /// <summary>The number of epochs run (fewer than asked when a callback stopped training).</summary>
    public int Epochs => Loss.Count;

    /// <summary>The values of <paramref name="name"/> per epoch: <c>loss</c>, a metric, or a <c>val_</c> entry.</summary>
    /// <exception cref="KeyNotFoundException">Nothing of that name was recorded.</exception>
    public IReadOnlyList<double> this[string name] => name == "loss" ? Loss
        : Metrics.TryGetValue(name, out List<double>? values) ? values
        : throw new KeyNotFoundException($"History has no '{name}'; it has loss{string.Concat(Metrics.Keys.Select(k => ", " + k))}.");
}

/// <summary>The loss and metrics of one epoch, passed to an epoch callback.</summary>
/// <param name="Epoch">The 1-based epoch number within this <c>Fit</c> call.</param>
/// <param name="Epochs">The number of epochs of this <c>Fit</c> call.</param>
/// <param name="Loss">The mean loss of the epoch.</param>
/// <param name="Accuracy">The accuracy when compiled with it, else null.</param>
public readonly record struct EpochResult(int Epoch, int Epochs, double Loss, double? Accuracy)
{
    /// <summary>Everything Keras's <c>logs</c> holds at the end of the epoch: <c>loss</c>, each metric, <c>val_</c> entries, <c>learning_rate</c>.</summary>
    public IReadOnlyDictionary<string, double> Logs { get; init; } = new Dictionary<string, double>();
}

/// <summary>The result of <see cref="Sequential.Evaluate"/>.</summary>
/// <param name="Loss">The mean loss.</param>
/// <param name="Accuracy">The accuracy when compiled with it, else null.</param>
public readonly record struct Evaluation(double Loss, double? Accuracy)
{
    /// <summary>Each compiled metric's value, by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
