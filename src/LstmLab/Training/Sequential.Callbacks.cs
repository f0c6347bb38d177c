using LstmLab.Layers;
using LstmLab.Training;

namespace LstmLab;

// Fit's callbacks (Keras's order: train begin; per epoch: epoch begin, batch begin per batch, epoch end; train
// end), the stop flag they set, and the weight snapshots EarlyStopping restores.
public sealed partial class Sequential
{
    /// <summary>
    /// Set by a callback or the epoch hook to end <see cref="Fit"/> after the current epoch (Keras
    /// <c>model.stop_training</c>); <see cref="Fit"/> clears it when it starts.
    /// </summary>
    public bool StopTraining { get; set; }

    /// <summary>A copy of every weight, in <see cref="Parameters"/> order (Keras <c>get_weights()</c>).</summary>
    public float[][] GetWeights() => [.. _parameters.Select(p => p.Value.ToArray())];

    /// <summary>Sets every weight from <paramref name="weights"/>, in <see cref="Parameters"/> order (Keras <c>set_weights()</c>).</summary>
    /// <exception cref="ArgumentException">The wrong number of arrays, or one of the wrong size.</exception>
    public void SetWeights(IReadOnlyList<float[]> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != _parameters.Count)
            throw new ArgumentException($"The model has {_parameters.Count} weights but {weights.Count} were given.", nameof(weights));
        for (int i = 0; i < weights.Count; i++)
            _parameters[i].Assign(weights[i]);
    }

    private void BeginCallbacks(IReadOnlyList<Callback>? callbacks)
    {
        if (callbacks is null)
            return;
        for (int i = 0; i < callbacks.Count; i++)
        {
            callbacks[i].Model = this;
            callbacks[i].OnTrainBegin();
        }
    }

    private static void EpochBeginCallbacks(IReadOnlyList<Callback>? callbacks, int epoch)
    {
        if (callbacks is null)
            return;
        for (int i = 0; i < callbacks.Count; i++)
            callbacks[i].OnEpochBegin(epoch);
    }

    private static void BatchBeginCallbacks(IReadOnlyList<Callback>? callbacks)
    {
        if (callbacks is null)
            return;
        for (int i = 0; i < callbacks.Count; i++)
            callbacks[i].OnBatchBegin();
    }

    private static void EpochEndCallbacks(IReadOnlyList<Callback>? callbacks, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (callbacks is null)
            return;
        for (int i = 0; i < callbacks.Count; i++)
            callbacks[i].OnEpochEnd(epoch, logs);
    }

    private static void EndCallbacks(IReadOnlyList<Callback>? callbacks)
    {
        if (callbacks is null)
            return;
        for (int i = 0; i < callbacks.Count; i++)
            callbacks[i].OnTrainEnd();
    }

    /// <summary>Whether a larger value of the logged quantity <paramref name="monitor"/> is better, or null when unknown (Keras's <c>mode="auto"</c>).</summary>
    internal bool? HigherIsBetter(string monitor)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        if (name == "loss")
            return false;
        foreach (Metric m in _metrics)
        {
            if (m.Name == name)
                return m.HigherIsBetter;
        }
        return null;
    }
}
