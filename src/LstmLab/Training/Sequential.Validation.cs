using System.Globalization;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

// Fit's data preparation: the validation split or validation data, sample and class weights; and the end of
// an epoch (training metrics, validation, History, logs).
public sealed partial class Sequential
{
    /// <summary>The training samples, their weights (null when unweighted) and the validation data (null when none).</summary>
    private sealed record TrainingData(Tensor X, Tensor Y, float[]? Weights, Tensor? ValidationX, Tensor? ValidationY);

    private TrainingData PrepareTrainingData(Tensor x, Tensor y, double validationSplit, (Tensor X, Tensor Y)? validationData,
        float[]? sampleWeight, IReadOnlyDictionary<int, double>? classWeight)
    {
        int samples = x.Shape[0];
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), string.Create(CultureInfo.InvariantCulture, $"validation_split must be in [0, 1) (got {validationSplit})."));
        int weightsPerSample = 1;
        if (sampleWeight is not null)
        {
            weightsPerSample = CheckSampleWeight(sampleWeight, samples, OutputShape.IsSequence ? OutputSteps(x) : 1, nameof(sampleWeight));
            if (classWeight is not null && weightsPerSample > 1)
                throw new ArgumentException("class_weight cannot be combined with a temporal (per time step) sample_weight.", nameof(classWeight));
        }
        // The caller's weights are only read, except by class weights, which multiply into a copy.
        float[]? weights = sampleWeight;
        if (classWeight is not null)
            weights = ApplyClassWeights(y, classWeight, (float[]?)weights?.Clone());

        Tensor? validationX = null, validationY = null;
        if (validationData is (Tensor vx, Tensor vy))
        {
            CheckData(vx, vy);
            (validationX, validationY) = (vx, vy);
        }
        else if (validationSplit > 0)
        {
            // Keras: the last fraction of the samples, before shuffling; split_at = floor(n·(1 − split)).
            int splitAt = (int)Math.Floor(samples * (1 - validationSplit));
            if (splitAt == 0 || splitAt == samples)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"validation_split {validationSplit} of {samples} samples leaves {splitAt} for training and {samples - splitAt} for validation; both need at least one."), nameof(validationSplit));
            validationX = Rows(x, splitAt, samples - splitAt);
            validationY = Rows(y, splitAt, samples - splitAt);
            x = Rows(x, 0, splitAt);
            y = Rows(y, 0, splitAt);
            weights = weights?[..(splitAt * weightsPerSample)];
        }
        return new TrainingData(x, y, weights, validationX, validationY);
    }

    /// <summary>
    /// Checks Keras's <c>sample_weight</c>: one finite weight ≥ 0 per sample, or for a sequence output of
    /// <paramref name="steps"/> steps one per (sample, step), row-major (Keras's 2-D temporal weights, shape
    /// (samples, timesteps)). Returns the weights per sample (1 or <paramref name="steps"/>).
    /// </summary>
    private static int CheckSampleWeight(ReadOnlySpan<float> sampleWeight, int samples, int steps, string parameter)
    {
        int perSample;
        if (sampleWeight.Length == samples)
            perSample = 1;
        else if (steps > 1 && sampleWeight.Length == samples * steps)
            perSample = steps;
        else
        {
            string temporal = steps > 1 ? $" or {samples} × {steps} = {samples * steps} (one per sample and time step)" : "";
            throw new ArgumentException($"sample_weight has {sampleWeight.Length} values but x has {samples} samples: expected {samples} (one per sample){temporal}.", parameter);
        }
        foreach (float w in sampleWeight)
        {
            if (!(w >= 0) || float.IsInfinity(w))
                throw new ArgumentException("Every sample weight must be a finite number ≥ 0.", parameter);
        }
        return perSample;
    }

    /// <summary>
    /// Keras's <c>class_weight</c>: each sample's weight times the weight of its class — the argmax of a one-hot
    /// target, or the value of a one-column target (binary 0/1 or a sparse class index). Classes not listed weigh 1.
    /// </summary>
    private float[] ApplyClassWeights(Tensor y, IReadOnlyDictionary<int, double> classWeight, float[]? weights)
    {
        if (OutputShape.IsSequence)
            throw new ArgumentException("class_weight is not supported for sequence outputs (Keras refuses it for 3-D targets); pass sample_weight instead.", nameof(classWeight));
        foreach ((int c, double w) in classWeight)
        {
            if (!(w >= 0) || double.IsInfinity(w))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"class_weight[{c}] = {w}: class weights must be finite numbers ≥ 0."), nameof(classWeight));
        }
        int samples = y.Shape[0], width = y.Shape[1];
        weights ??= Enumerable.Repeat(1f, samples).ToArray();
        ReadOnlySpan<float> values = y.Span;
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> row = values.Slice(s * width, width);
            int c = width == 1 ? (int)Math.Round(row[0]) : Training.Metrics.ArgMax(row);
            if (classWeight.TryGetValue(c, out double w))
                weights[s] *= (float)w;
        }
        return weights;
    }

    private static Tensor Rows(Tensor source, int start, int count)
    {
        var result = new Tensor(WithFirst(source.Shape, count));
        Slice(source, start, count, result);
        return result;
    }

    /// <summary>Closes an epoch: training metrics, then the validation pass, into the History and the epoch's logs.</summary>
    private EpochResult EndEpoch(History history, int epoch, int epochs, double meanLoss, TrainingData data, int batch)
    {
        var logs = new Dictionary<string, double> { ["loss"] = meanLoss };
        history.Loss.Add(meanLoss);
        for (int m = 0; m < _metrics.Length; m++)
        {
            double value = MetricValue(m);
            logs[_metrics[m].Name] = value;
            history.Metrics[_metrics[m].Name].Add(value);
        }
        double? accuracy = logs.TryGetValue("accuracy", out double a) ? a : null;
        if (data.ValidationX is not null)
        {
            Evaluation validation = Evaluate(data.ValidationX, data.ValidationY!, BatchSize is null ? batch : null);
            Record(history, logs, "val_loss", validation.Loss);
            foreach ((string name, double value) in validation.Metrics)
                Record(history, logs, "val_" + name, value);
        }
        logs["learning_rate"] = Optimizer!.LearningRate;
        return new EpochResult(epoch, epochs, meanLoss, accuracy) { Logs = logs };
    }

    private static void Record(History history, Dictionary<string, double> logs, string name, double value)
    {
        logs[name] = value;
        if (!history.Metrics.TryGetValue(name, out List<double>? values))
            history.Metrics[name] = values = [];
        values.Add(value);
    }
}
