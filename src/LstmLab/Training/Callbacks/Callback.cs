namespace LstmLab.Training;

/// <summary>
/// A hook into <see cref="Sequential.Fit"/>, as Keras's <c>keras.callbacks.Callback</c>. Epochs are numbered
/// from 0 here, as Keras passes them. A callback ends training by setting <see cref="Sequential.StopTraining"/>;
/// Fit stops after the current epoch.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained (set by Fit before <see cref="OnTrainBegin"/>; settable to drive a callback by hand).</summary>
    public Sequential? Model { get; set; }

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin()
    {
    }

    /// <summary>Called before epoch <paramref name="epoch"/> (0-based).</summary>
    public virtual void OnEpochBegin(int epoch)
    {
    }

    /// <summary>Called before every batch's update (the optimizer's <see cref="Optimizer.Iterations"/> is the number of updates so far). Must not allocate.</summary>
    public virtual void OnBatchBegin()
    {
    }

    /// <summary>Called after epoch <paramref name="epoch"/> (0-based) with its logs: <c>loss</c>, each metric, <c>val_</c> entries, <c>learning_rate</c>.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
    }

    /// <summary>Called once after the last epoch (also when training was stopped).</summary>
    public virtual void OnTrainEnd()
    {
    }

    /// <summary>The model, or an error naming the callback when it is used before Fit gave it one.</summary>
    protected Sequential RequireModel() =>
        Model ?? throw new InvalidOperationException($"{GetType().Name} has no model: pass it to Fit, or set Model first.");

    /// <summary>Whether to maximise <paramref name="monitor"/>: from <paramref name="mode"/> ("min", "max"), or for "auto" from the metric's direction.</summary>
    /// <exception cref="ArgumentException">"auto" and a quantity whose direction is unknown.</exception>
    protected bool Maximise(string monitor, string mode) => mode switch
    {
        "max" => true,
        "min" => false,
        _ => RequireModel().HigherIsBetter(monitor)
            ?? throw new ArgumentException($"{GetType().Name}: cannot tell whether '{monitor}' should be maximised or minimised; pass mode \"max\" or \"min\"."),
    };

    /// <summary>Checks a mode argument.</summary>
    protected static string CheckMode(string mode) => mode is "auto" or "min" or "max"
        ? mode
        : throw new ArgumentException($"mode must be auto, min or max (got '{mode}').", nameof(mode));
}
