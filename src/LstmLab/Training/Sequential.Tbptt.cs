using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

// Truncated back-propagation through time: long sequences trained in windows of k steps, the state
// carried from window to window (what Keras users build by hand from a stateful model and a loop).
public sealed partial class Sequential
{
    private readonly Tensor _windowX = new(0), _windowY = new(0);

    /// <summary>
    /// Trains on long sequences with truncated back-propagation through time (BPTT(k), Williams &amp; Peng
    /// 1990 with k₁ = k₂ = k): each batch of sequences starts from a zero state, is cut along time into
    /// windows of <paramref name="window"/> steps (the last may be shorter), and each window is one
    /// update (<see cref="TrainOnBatch(Numerics.Tensor, Numerics.Tensor)"/>) whose gradient stops at the window's first step; the state at
    /// the end of a window is the start of the next. Memory then grows with k, not T, and a sequence of
    /// T steps gives ⌈T/k⌉ updates. Each window's loss is the mean over its own rows.
    /// <para>
    /// Needs what Keras needs to carry state: a fixed batch size, every <see cref="Lstm"/> layer stateful,
    /// an input shape with any number of time steps (timesteps 0) unless every window has the same length,
    /// and a sequence output (the LSTM before the output with return_sequences), so every window has
    /// targets. Samples are taken in order (no shuffle: shuffling would break the carry); states are reset
    /// before each batch of sequences and after the last.
    /// </para>
    /// </summary>
    /// <param name="x">(samples, T, features), samples a multiple of the batch size.</param>
    /// <param name="y">(samples, T, outputs).</param>
    /// <param name="window">k ≥ 1 time steps per update.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="onEpochEnd">Called after each epoch with its loss: the mean over windows, weighted by their steps.</param>
    /// <exception cref="ArgumentException">The model cannot carry state, the window is not positive, or shapes do not fit.</exception>
    public History FitTruncated(Tensor x, Tensor y, int window, int epochs = 1, Action<EpochResult>? onEpochEnd = null)
    {
        RequireCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (window < 1)
            throw new ArgumentOutOfRangeException(nameof(window), $"The truncated-BPTT window must be at least 1 time step (got {window}).");
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be non-negative (got {epochs}).");
        if (BatchSize is not int batch)
            throw new ArgumentException("Truncated BPTT carries the state from window to window, so the model needs a fixed batch size (Keras batch_input_shape).", nameof(x));
        foreach (Layer layer in _layers)
        {
            if (layer is Lstm { Stateful: false })
                throw new ArgumentException($"Truncated BPTT needs every LSTM layer stateful, so the state is carried from window to window; layer '{layer.Name}' is not.", nameof(x));
        }
        if (!OutputShape.IsSequence)
            throw new ArgumentException($"Truncated BPTT needs a target at every time step (a sequence output, e.g. return_sequences on the last LSTM); this model outputs {OutputShape}.", nameof(y));
        int samples = CheckData(x, y);
        int steps = x.Shape[1];
        if (InputShape.Timesteps != 0 && (InputShape.Timesteps != window || steps % window != 0))
            throw new ArgumentException($"The model's input has a fixed {InputShape.Timesteps} time steps, so windows of {window} over {steps} steps do not fit; build it with any number of time steps (SampleShape.Sequence(0, features)).", nameof(x));
        if (samples % batch != 0)
            throw new ArgumentException($"This model has a fixed batch size of {batch}, which does not divide the {samples} samples given.", nameof(x));
        var history = new History();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double lossSum = 0;
            for (int start = 0; start < samples; start += batch)
            {
                ResetStates();
                for (int t = 0; t < steps; t += window)
                {
                    int length = Math.Min(window, steps - t);
                    TimeSlice(x, start, batch, t, length, _windowX);
                    TimeSlice(y, start, batch, t, length, _windowY);
                    lossSum += Step(_windowX, _windowY, [], train: true) * length;
                }
            }
            ResetStates();
            double meanLoss = lossSum / ((double)steps * (samples / batch));
            history.Loss.Add(meanLoss);
            onEpochEnd?.Invoke(new EpochResult(epoch, epochs, meanLoss, null));
        }
        return history;
    }

    /// <summary>Copies samples [first, first+count) and steps [t, t+length) of (samples, T, features) into destination.</summary>
    private static void TimeSlice(Tensor source, int first, int count, int t, int length, Tensor destination)
    {
        int steps = source.Shape[1], features = source.Shape[2];
        destination.Reshape(count, length, features);
        ReadOnlySpan<float> src = source.Span;
        Span<float> dst = destination.Span;
        for (int b = 0; b < count; b++)
            src.Slice(((first + b) * steps + t) * features, length * features).CopyTo(dst.Slice(b * length * features, length * features));
    }
}
