using System.Globalization;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

// The training and evaluation loops of Sequential: Fit, TrainOnBatch, Evaluate, and the step they share
// (forward, loss with its mask, backward, optimizer update).
public sealed partial class Sequential
{
    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over (x, y), as Keras's <c>fit</c>: batches of
    /// <paramref name="batchSize"/> samples (default: the model's fixed batch size, else 32), one update per
    /// batch, samples reshuffled each epoch when <paramref name="shuffle"/>. Stateful layers carry state
    /// from batch to batch; nothing resets it here (call <see cref="ResetStates()"/>).
    /// </summary>
    /// <param name="verbose">0: silent; 1 or 2: one line per epoch to <see cref="Log"/>.</param>
    /// <param name="onEpochEnd">Called after each epoch with its loss and metrics.</param>
    /// <exception cref="ArgumentException">Shapes of x and y do not fit the model, or the batch size does not fit a stateful model.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int? batchSize = null, bool shuffle = true, int verbose = 1, Action<EpochResult>? onEpochEnd = null)
    {
        RequireCompiled();
        int samples = CheckData(x, y);
        int batch = ResolveBatchSize(batchSize, samples);
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be non-negative (got {epochs}).");
        // The sample order buffer is kept between calls (tutorials call Fit once per epoch); it restarts
        // from 0, 1, 2, … at every call, as a fresh array would.
        if (_order.Length < samples)
            _order = new int[samples];
        Span<int> order = _order.AsSpan(0, samples);
        for (int i = 0; i < samples; i++)
            order[i] = i;
        var history = new History();
        if (_accuracy is not null)
            history.Metrics["accuracy"] = [];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            if (shuffle)
                _shuffleRandom.Shuffle(order);
            double lossSum = 0;
            long correct = 0, judged = 0;
            for (int start = 0; start < samples; start += batch)
            {
                int count = Math.Min(batch, samples - start);
                Gather(x, order.Slice(start, count), _batchX);
                Gather(y, order.Slice(start, count), _batchY);
                (double loss, long c, long n) = Step(_batchX, _batchY, train: true);
                lossSum += loss * count;
                correct += c;
                judged += n;
            }
            double meanLoss = lossSum / samples;
            double? accuracy = _accuracy is null ? null : (double)correct / judged;
            history.Loss.Add(meanLoss);
            if (accuracy is double a)
                history.Metrics["accuracy"].Add(a);
            if (verbose > 0)
                Log.WriteLine(FormatEpoch(epoch, epochs, meanLoss, accuracy));
            onEpochEnd?.Invoke(new EpochResult(epoch, epochs, meanLoss, accuracy));
        }
        return history;
    }

    /// <summary>
    /// One gradient update on one batch (Keras <c>train_on_batch</c>); returns the batch's loss before
    /// the update. Allocates nothing once buffers for this batch shape exist.
    /// </summary>
    public double TrainOnBatch(Tensor x, Tensor y)
    {
        RequireCompiled();
        int samples = CheckData(x, y);
        if (BatchSize is int fixedBatch && samples != fixedBatch)
            throw new ArgumentException($"This model has a fixed batch size of {fixedBatch} but the batch has {samples} samples.", nameof(x));
        return Step(x, y, train: true).Loss;
    }

    /// <summary>The mean loss and metrics on (x, y) (Keras <c>evaluate</c>); stateful layers advance their state.</summary>
    public Evaluation Evaluate(Tensor x, Tensor y, int? batchSize = null)
    {
        RequireCompiled();
        int samples = CheckData(x, y);
        int batch = ResolveBatchSize(batchSize, samples);
        double lossSum = 0;
        long correct = 0, judged = 0;
        for (int start = 0; start < samples; start += batch)
        {
            int count = Math.Min(batch, samples - start);
            Slice(x, start, count, _batchX);
            Slice(y, start, count, _batchY);
            (double loss, long c, long n) = Step(_batchX, _batchY, train: false);
            lossSum += loss * count;
            correct += c;
            judged += n;
        }
        return new Evaluation(lossSum / samples, _accuracy is null ? null : (double)correct / judged);
    }

    private (double Loss, long Correct, long Judged) Step(Tensor x, Tensor y, bool train)
    {
        if (train)
        {
            foreach (Parameter p in _parameters)
                p.Gradient.Clear();
        }
        Tensor output = ForwardAll(x, train);
        int width = OutputShape.Features;
        int rows = output.Size / width;
        _lossGradient.Reshape(output.Shape);
        (double loss, long correct, long judged) = _outputMask is null
            ? (Loss!.Compute(output.Span, y.Span, train ? _lossGradient.Span : [], rows, width), 0, 0)
            : MaskedLoss(output.Span, y.Span, _outputMask.Span, train ? _lossGradient.Span : [], rows, width);
        if (_outputMask is null && _accuracy is AccuracyKind kind)
            (correct, judged) = Metrics.CountCorrect(kind, output.Span, y.Span, rows, width);
        if (train)
        {
            Tensor? gradient = _lossGradient;
            for (int i = _layers.Count - 1; i >= 0 && gradient is not null; i--)
                gradient = _layers[i].Backward(gradient, needInputGradient: i > 0);
            Optimizer!.Apply(_parameters);
        }
        return (loss, correct, judged);
    }

    /// <summary>
    /// The loss, accuracy and gradient over the rows (sample, time step) the mask keeps: the mean of the
    /// per-row losses over kept rows; masked rows get a zero gradient and are not judged.
    /// </summary>
    private (double Loss, long Correct, long Judged) MaskedLoss(ReadOnlySpan<float> output, ReadOnlySpan<float> y, ReadOnlySpan<float> mask,
        Span<float> gradient, int rows, int width)
    {
        int kept = 0;
        foreach (float m in mask)
            kept += m != 0f ? 1 : 0;
        bool wantGradient = !gradient.IsEmpty;
        if (wantGradient)
            gradient.Clear();
        double sum = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++)
        {
            if (mask[r] == 0f)
                continue;
            ReadOnlySpan<float> o = output.Slice(r * width, width), t = y.Slice(r * width, width);
            Span<float> g = wantGradient ? gradient.Slice(r * width, width) : [];
            sum += Loss!.Compute(o, t, g, 1, width);
            if (wantGradient)
                System.Numerics.Tensors.TensorPrimitives.Multiply(g, 1f / kept, g);
            if (_accuracy is AccuracyKind kind)
                correct += Metrics.CountCorrect(kind, o, t, 1, width).Correct;
        }
        long judged = _accuracy == AccuracyKind.Binary ? (long)kept * width : kept;
        return (kept == 0 ? 0 : sum / kept, correct, _accuracy is null ? 0 : judged);
    }

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

    private static string FormatEpoch(int epoch, int epochs, double loss, double? accuracy)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch}/{epochs} - loss: {loss:F4}");
        return accuracy is double a ? line + string.Create(CultureInfo.InvariantCulture, $" - accuracy: {a:F4}") : line;
    }
}
