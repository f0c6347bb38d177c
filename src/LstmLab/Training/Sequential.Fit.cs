using System.Globalization;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

// The training and evaluation loops of Sequential: Fit, TrainOnBatch, Evaluate, and the step they share
// (forward, loss with its mask and sample weights, backward, optimizer update). Validation data and sample
// weights are prepared in Sequential.Validation.cs, callbacks in Sequential.Callbacks.cs.
public sealed partial class Sequential
{
    private float[] _batchWeights = [];

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over (x, y), as Keras's <c>fit</c>: batches of
    /// <paramref name="batchSize"/> samples (default: the model's fixed batch size, else 32), one update per
    /// batch, samples reshuffled each epoch when <paramref name="shuffle"/>. Stateful layers carry state
    /// from batch to batch; nothing resets it here (call <see cref="ResetStates()"/>).
    /// </summary>
    /// <param name="verbose">0: silent; 1 or 2: one line per epoch to <see cref="Log"/>.</param>
    /// <param name="onEpochEnd">Called after each epoch with its loss and metrics; it may set <see cref="StopTraining"/>.</param>
    /// <param name="validationSplit">Keras <c>validation_split</c>: the last fraction of the samples (taken before any shuffling) is held out and evaluated after each epoch.</param>
    /// <param name="validationData">Keras <c>validation_data</c>: (x, y) evaluated after each epoch (takes precedence over the split, as Keras).</param>
    /// <param name="callbacks">Called at the start and end of training, of each epoch and before each batch (Keras's order).</param>
    /// <param name="sampleWeight">
    /// Keras's <c>sample_weight</c>: one weight per sample, whose rows' losses (and metrics) it multiplies, or for a
    /// sequence output one per (sample, time step), row-major (Keras's temporal weights of shape (samples, timesteps)),
    /// multiplying that step's loss. The loss stays a mean over rows: Σ w·L / rows (Keras's <c>sum_over_batch_size</c>).
    /// </param>
    /// <param name="classWeight">A weight per class (index of the one-hot target, or the class value of a one-column target), multiplied into the sample weights.</param>
    /// <exception cref="ArgumentException">Shapes of x and y do not fit the model, the batch size does not fit a stateful model, or a validation or weight setting is invalid.</exception>
    /// <exception cref="TrainingDivergedException">A batch's loss was NaN or infinite (checked before its update is applied).</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int? batchSize = null, bool shuffle = true, int verbose = 1, Action<EpochResult>? onEpochEnd = null,
        double validationSplit = 0, (Tensor X, Tensor Y)? validationData = null, IReadOnlyList<Callback>? callbacks = null,
        float[]? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null)
    {
        RequireCompiled();
        CheckData(x, y);
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be non-negative (got {epochs}).");
        TrainingData data = PrepareTrainingData(x, y, validationSplit, validationData, sampleWeight, classWeight);
        (x, y) = (data.X, data.Y);
        int samples = x.Shape[0];
        int batch = ResolveBatchSize(batchSize, samples);
        float[]? weights = data.Weights;
        int weightsPerSample = weights is null ? 1 : weights.Length / x.Shape[0];
        // The sample order buffer is kept between calls (tutorials call Fit once per epoch); it restarts
        // from 0, 1, 2, … at every call, as a fresh array would.
        if (_order.Length < samples)
            _order = new int[samples];
        Span<int> order = _order.AsSpan(0, samples);
        for (int i = 0; i < samples; i++)
            order[i] = i;
        if (weights is not null && _batchWeights.Length < batch * weightsPerSample)
            _batchWeights = new float[batch * weightsPerSample];
        var history = new History();
        foreach (Metric m in _metrics)
            history.Metrics[m.Name] = [];
        StopTraining = false;
        BeginCallbacks(callbacks);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            EpochBeginCallbacks(callbacks, epoch - 1);
            if (shuffle)
                _shuffleRandom.Shuffle(order);
            double lossSum = 0;
            ClearMetricSums();
            for (int start = 0; start < samples; start += batch)
            {
                int count = Math.Min(batch, samples - start);
                ReadOnlySpan<int> rows = order.Slice(start, count);
                Gather(x, rows, _batchX);
                Gather(y, rows, _batchY);
                if (weights is not null)
                {
                    for (int i = 0; i < count; i++)
                        weights.AsSpan(rows[i] * weightsPerSample, weightsPerSample).CopyTo(_batchWeights.AsSpan(i * weightsPerSample));
                }
                BatchBeginCallbacks(callbacks);
                _stepAt = (epoch, start / batch + 1, (samples + batch - 1) / batch);
                double loss = Step(_batchX, _batchY, weights is null ? [] : _batchWeights.AsSpan(0, count * weightsPerSample), train: true);
                lossSum += loss * count;
            }
            double meanLoss = lossSum / samples;
            EpochResult result = EndEpoch(history, epoch, epochs, meanLoss, data, batch);
            if (verbose > 0)
                Log.WriteLine(FormatEpoch(epoch, epochs, result.Logs));
            onEpochEnd?.Invoke(result);
            EpochEndCallbacks(callbacks, epoch - 1, result.Logs);
            if (StopTraining)
                break;
        }
        EndCallbacks(callbacks);
        return history;
    }

    /// <summary>
    /// One gradient update on one batch (Keras <c>train_on_batch</c>); returns the batch's loss before
    /// the update. Allocates nothing once buffers for this batch shape exist.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The batch's loss was NaN or infinite; no update was applied.</exception>
    public double TrainOnBatch(Tensor x, Tensor y) => TrainOnBatch(x, y, []);

    /// <summary>
    /// One gradient update on one batch with Keras's <c>sample_weight</c> (<c>train_on_batch(x, y, sample_weight)</c>):
    /// one weight per sample, or for a sequence output one per (sample, time step), row-major; empty for none.
    /// Returns the batch's weighted loss before the update. Allocates nothing once buffers for this batch shape exist.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit, or the weights are not one per sample or per (sample, step), finite and ≥ 0.</exception>
    /// <exception cref="TrainingDivergedException">The batch's loss was NaN or infinite; no update was applied.</exception>
    public double TrainOnBatch(Tensor x, Tensor y, ReadOnlySpan<float> sampleWeight)
    {
        RequireCompiled();
        int samples = CheckData(x, y);
        if (BatchSize is int fixedBatch && samples != fixedBatch)
            throw new ArgumentException($"This model has a fixed batch size of {fixedBatch} but the batch has {samples} samples.", nameof(x));
        if (!sampleWeight.IsEmpty)
            CheckSampleWeight(sampleWeight, samples, OutputShape.IsSequence ? OutputSteps(x) : 1, nameof(sampleWeight));
        _stepAt = (null, 1, 1);
        return Step(x, y, sampleWeight, train: true);
    }

    /// <summary>The mean loss and metrics on (x, y) (Keras <c>evaluate</c>); stateful layers advance their state. No dropout.</summary>
    public Evaluation Evaluate(Tensor x, Tensor y, int? batchSize = null)
    {
        RequireCompiled();
        int samples = CheckData(x, y);
        int batch = ResolveBatchSize(batchSize, samples);
        double lossSum = 0;
        ClearMetricSums();
        for (int start = 0; start < samples; start += batch)
        {
            int count = Math.Min(batch, samples - start);
            Slice(x, start, count, _batchX);
            Slice(y, start, count, _batchY);
            lossSum += Step(_batchX, _batchY, [], train: false) * count;
        }
        var metrics = new Dictionary<string, double>();
        for (int m = 0; m < _metrics.Length; m++)
            metrics[_metrics[m].Name] = MetricValue(m);
        return new Evaluation(lossSum / samples, metrics.TryGetValue("accuracy", out double a) ? a : null) { Metrics = metrics };
    }

    private void ClearMetricSums()
    {
        Array.Clear(_metricSums);
        Array.Clear(_metricCounts);
    }

    private double MetricValue(int m) => _metricSums[m] / _metricCounts[m];

    /// <summary>
    /// Forward, loss (with the output mask and sample weights), metrics into the running sums, and when
    /// <paramref name="train"/> backward and one optimizer update. Returns the batch's loss.
    /// </summary>
    private double Step(Tensor x, Tensor y, ReadOnlySpan<float> sampleWeights, bool train)
    {
        using EngineThreads.Scope threads = UseThreads();
        if (train)
        {
            foreach (Parameter p in _parameters)
                p.Gradient.Clear();
        }
        Tensor output = ForwardAll(x, train);
        int width = OutputShape.Features;
        int rows = output.Size / width, targetWidth = Loss!.TargetWidth(width);
        _lossGradient.Reshape(output.Shape);
        Span<float> gradient = train ? _lossGradient.Span : [];
        double loss;
        if (_outputMask is null && sampleWeights.IsEmpty)
        {
            loss = Loss.Compute(output.Span, y.Span, gradient, rows, width);
            for (int m = 0; m < _metrics.Length; m++)
                _metrics[m].Accumulate(output.Span, y.Span, rows, width, targetWidth, 1f, ref _metricSums[m], ref _metricCounts[m]);
        }
        else
        {
            ReadOnlySpan<float> mask = _outputMask is null ? [] : _outputMask.Span;
            loss = WeightedLoss(output.Span, y.Span, mask, sampleWeights, gradient, rows, width, targetWidth, x.Shape[0]);
        }
        if (train)
        {
            if (!double.IsFinite(loss))
                throw Diverged(loss);
            Tensor? g = _lossGradient;
            for (int i = _layers.Count - 1; i >= 0 && g is not null; i--)
                g = _layers[i].Backward(g, needInputGradient: i > 0);
            Optimizer!.Apply(_parameters);
        }
        return loss;
    }

    /// <summary>
    /// The loss, metrics and gradient over the rows (sample, time step) the mask keeps, each weighted by its
    /// sample's weight, or by its own when there is one weight per row (temporal weights): Σ w·L_row / (rows kept) —
    /// Keras's mean over kept rows, and with sample weights its <c>sum_over_batch_size</c> of the weighted losses.
    /// Masked rows get a zero gradient and are not judged.
    /// </summary>
    private double WeightedLoss(ReadOnlySpan<float> output, ReadOnlySpan<float> y, ReadOnlySpan<float> mask, ReadOnlySpan<float> sampleWeights,
        Span<float> gradient, int rows, int width, int targetWidth, int samples)
    {
        int kept = rows;
        if (!mask.IsEmpty)
        {
            kept = 0;
            foreach (float m in mask)
                kept += m != 0f ? 1 : 0;
        }
        bool weighted = !sampleWeights.IsEmpty, wantGradient = !gradient.IsEmpty;
        int rowsPerWeight = sampleWeights.Length == rows ? 1 : rows / samples;
        if (wantGradient)
            gradient.Clear();
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!mask.IsEmpty && mask[r] == 0f)
                continue;
            float w = weighted ? sampleWeights[r / rowsPerWeight] : 1f;
            ReadOnlySpan<float> o = output.Slice(r * width, width), t = y.Slice(r * targetWidth, targetWidth);
            Span<float> g = wantGradient ? gradient.Slice(r * width, width) : [];
            double rowLoss = Loss!.Compute(o, t, g, 1, width);
            sum += weighted ? w * rowLoss : rowLoss;
            if (wantGradient)
                System.Numerics.Tensors.TensorPrimitives.Multiply(g, weighted ? w / kept : 1f / kept, g);
            for (int m = 0; m < _metrics.Length; m++)
                _metrics[m].Accumulate(o, t, 1, width, targetWidth, w, ref _metricSums[m], ref _metricCounts[m]);
        }
        return kept == 0 ? 0 : sum / kept;
    }

    // Where the training step being taken is (epoch, batch, batches per epoch), for the divergence message.
    private (int? Epoch, int Batch, int Batches) _stepAt;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private TrainingDivergedException Diverged(double loss) =>
        TrainingDivergedException.Create(loss, _stepAt.Epoch, _stepAt.Batch, _stepAt.Batches, Optimizer!.Iterations + 1, Optimizer.LearningRate);

    private static void Gather(Tensor source, ReadOnlySpan<int> rows, Tensor destination)
    {
        int rowSize = source.Size / source.Shape[0];
        destination.Reshape(WithFirst(source.Shape, rows.Length));
        ReadOnlySpan<float> src = source.Span;
        Span<float> dst = destination.Span;
        int run = 1;
        while (run < rows.Length && rows[run] == rows[0] + run)
            run++;
        if (run == rows.Length)
        {
            // Consecutive rows (no shuffling): one copy.
            src.Slice(rows[0] * rowSize, rows.Length * rowSize).CopyTo(dst);
            return;
        }
        for (int i = 0; i < rows.Length; i++)
            src.Slice(rows[i] * rowSize, rowSize).CopyTo(dst.Slice(i * rowSize, rowSize));
    }

    /// <summary>Keras's epoch line: <c>Epoch 3/10 - loss: 0.1234 - accuracy: 0.5000 - val_loss: …</c>.</summary>
    private static string FormatEpoch(int epoch, int epochs, IReadOnlyDictionary<string, double> logs)
    {
        var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch}/{epochs}"));
        foreach ((string name, double value) in logs)
        {
            if (name != "learning_rate")
                line.Append(CultureInfo.InvariantCulture, $" - {name}: {value:F4}");
        }
        return line.ToString();
    }
}
