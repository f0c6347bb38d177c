using System.Globalization;

namespace LstmLab.Training;

/// <summary>
/// Training stopped because the loss became NaN or infinite: the weights can no longer be trusted, and
/// every later step would only spread the NaN. Thrown by <see cref="Sequential.Fit"/> and
/// <see cref="Sequential.TrainOnBatch(Numerics.Tensor, Numerics.Tensor)"/> as soon as one batch's loss is not finite, before that batch's
/// update is applied, so <see cref="Epoch"/> and <see cref="Batch"/> say exactly where it happened.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>An exception with a generic message and no position; <see cref="Create"/> makes the informative one.</summary>
    public TrainingDivergedException()
        : this("Training diverged: the loss is not a finite number.")
    {
    }

    /// <summary>An exception with <paramref name="message"/> and no position.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TrainingDivergedException(string message, double loss, int? epoch, int batch, int batches, long update)
        : base(message)
    {
        Loss = loss;
        Epoch = epoch;
        Batch = batch;
        Batches = batches;
        Update = update;
    }

    /// <summary>The loss that was not finite (NaN, +∞ or −∞).</summary>
    public double Loss { get; }

    /// <summary>The 1-based epoch of this <c>Fit</c> call, or null from <c>TrainOnBatch</c>.</summary>
    public int? Epoch { get; }

    /// <summary>The 1-based batch within the epoch (1 from <c>TrainOnBatch</c>).</summary>
    public int Batch { get; }

    /// <summary>Batches per epoch (1 from <c>TrainOnBatch</c>).</summary>
    public int Batches { get; }

    /// <summary>The optimizer update that would have followed (1-based, over the model's life: Keras <c>iterations</c> + 1).</summary>
    public long Update { get; }

    /// <summary>Builds the exception with a message that says where, the likely causes and the settings to change.</summary>
    /// <param name="learningRate">The optimizer's learning rate, named in the message.</param>
    public static TrainingDivergedException Create(double loss, int? epoch, int batch, int batches, long update, double learningRate)
    {
        string value = double.IsNaN(loss) ? "NaN" : loss > 0 ? "+infinity" : "-infinity";
        string where = epoch is int e
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {e}, batch {batch} of {batches}")
            : string.Create(CultureInfo.InvariantCulture, $"a TrainOnBatch call");
        string message = string.Create(CultureInfo.InvariantCulture,
            $"Training diverged: the loss became {value} at {where} (update {update}); training stopped before applying it. ") +
            string.Create(CultureInfo.InvariantCulture,
            $"Likely causes: a learning rate too high for this model (LearningRate is {learningRate:G6}; try 10 times smaller), ") +
            "inputs or targets on a large scale (scale them, e.g. to [-1, 1]), or values already NaN or infinite in the data.";
        return new TrainingDivergedException(message, loss, epoch, batch, batches, update);
    }
}
