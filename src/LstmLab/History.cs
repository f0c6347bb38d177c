namespace LstmLab;

/// <summary>What <see cref="Sequential.Fit"/> records per epoch, like Keras's <c>History.history</c>.</summary>
public sealed class History
{
    /// <summary>The mean training loss of each epoch (weighted by batch size).</summary>
    public List<double> Loss { get; } = [];

    /// <summary>Each compiled metric's per-epoch value, by name (e.g. <c>accuracy</c>).</summary>
    public Dictionary<string, List<double>> Metrics { get; } = [];
}

/// <summary>The loss and metrics of one epoch, passed to an epoch callback.</summary>
/// <param name="Epoch">The 1-based epoch number within this <c>Fit</c> call.</param>
/// <param name="Epochs">The number of epochs of this <c>Fit</c> call.</param>
/// <param name="Loss">The mean loss of the epoch.</param>
/// <param name="Accuracy">The accuracy when compiled with it, else null.</param>
public readonly record struct EpochResult(int Epoch, int Epochs, double Loss, double? Accuracy);

/// <summary>The result of <see cref="Sequential.Evaluate"/>.</summary>
/// <param name="Loss">The mean loss.</param>
/// <param name="Accuracy">The accuracy when compiled with it, else null.</param>
public readonly record struct Evaluation(double Loss, double? Accuracy);
