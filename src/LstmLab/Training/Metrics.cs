namespace LstmLab.Training;

/// <summary>
/// The accuracy metric as Keras resolves the name <c>"accuracy"</c>: binary accuracy (element-wise
/// round(p) == y at threshold 0.5) when the loss is binary cross-entropy or the output has one unit,
/// else categorical accuracy (argmax p == argmax y) per sample or time step.
/// </summary>
public enum AccuracyKind
{
    Binary,
    Categorical,
}

public static class Metrics
{
    /// <summary>The accuracy Keras picks for <paramref name="loss"/> and an output of <paramref name="outputWidth"/> units.</summary>
    public static AccuracyKind ResolveAccuracy(Loss loss, int outputWidth) =>
        outputWidth == 1 || loss == Loss.BinaryCrossentropy ? AccuracyKind.Binary : AccuracyKind.Categorical;

    /// <summary>The number of correct predictions and the number judged, over <paramref name="rows"/> rows.</summary>
    public static (long Correct, long Total) CountCorrect(AccuracyKind kind, ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, int rows, int width)
    {
        long correct = 0;
        if (kind == AccuracyKind.Binary)
        {
            int n = rows * width;
            for (int i = 0; i < n; i++)
            {
                if ((predicted[i] > 0.5f ? 1f : 0f) == expected[i])
                    correct++;
            }
            return (correct, n);
        }
        for (int r = 0; r < rows; r++)
        {
            if (ArgMax(predicted.Slice(r * width, width)) == ArgMax(expected.Slice(r * width, width)))
                correct++;
        }
        return (correct, rows);
    }

    /// <summary>The index of the largest value (the first one on ties), as NumPy's argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}

/// <summary>
/// A metric compiled into a model (Keras <c>metrics=[...]</c>): accumulated over the rows of an epoch (or an
/// evaluation) as a weighted sum and a weighted count, reported as sum / count. Rows skipped by a mask count
/// for nothing; a sample weight weighs its rows. Names as Keras: the string given at compile time is the key
/// in the logs and the History (<c>accuracy</c>, <c>mae</c>, <c>val_mae</c>, …).
/// </summary>
public abstract class Metric
{
    protected Metric(string name)
    {
        Name = name;
    }

    /// <summary>The name in logs and History.</summary>
    public string Name { get; }

    /// <summary>Whether a larger value is better (accuracies) or a smaller one (errors), for callbacks' <c>mode="auto"</c>.</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>Adds <paramref name="weight"/>·(the rows' values) to <paramref name="sum"/> and <paramref name="weight"/>·(their count) to <paramref name="count"/>.</summary>
    internal abstract void Accumulate(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, int rows, int width, int targetWidth, float weight, ref double sum, ref double count);

    /// <summary>binary_accuracy: the fraction of values with (p &gt; threshold) == y (Keras default threshold 0.5).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not in [0, 1].</exception>
    public static Metric BinaryAccuracy(double threshold = 0.5, string name = "binary_accuracy") =>
        threshold is >= 0 and <= 1 ? new BinaryAccuracyMetric(name, (float)threshold)
        : throw new ArgumentOutOfRangeException(nameof(threshold), $"The binary accuracy threshold must be in [0, 1] (got {threshold}).");

    /// <summary>categorical_accuracy: argmax p == argmax y per row.</summary>
    public static Metric CategoricalAccuracy(string name = "categorical_accuracy") => new CategoricalAccuracyMetric(name, sparse: false);

    /// <summary>sparse_categorical_accuracy: argmax p == the class index y per row.</summary>
    public static Metric SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") => new CategoricalAccuracyMetric(name, sparse: true);

    /// <summary>mae / mean_absolute_error: the mean of |p − y|.</summary>
    public static Metric MeanAbsoluteError(string name = "mae") => new ErrorMetric(name, squared: false);

    /// <summary>mse / mean_squared_error: the mean of (p − y)².</summary>
    public static Metric MeanSquaredError(string name = "mse") => new ErrorMetric(name, squared: true);

    /// <summary>
    /// The metric a name stands for, as Keras resolves it: <c>accuracy</c>/<c>acc</c> becomes binary accuracy
    /// for binary cross-entropy or a one-unit output, sparse categorical accuracy for a sparse loss, else
    /// categorical accuracy (named <c>accuracy</c>); also <c>binary_accuracy</c>, <c>categorical_accuracy</c>,
    /// <c>sparse_categorical_accuracy</c>, <c>mae</c>, <c>mse</c>, <c>mean_absolute_error</c>, <c>mean_squared_error</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Metric Parse(string name, Loss loss, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(loss);
        string key = name?.Trim().ToLowerInvariant() ?? "";
        return key switch
        {
            "accuracy" or "acc" => Metrics.ResolveAccuracy(loss, outputWidth) == AccuracyKind.Binary ? BinaryAccuracy(0.5, "accuracy")
                : loss.TargetWidth(outputWidth) == 1 ? SparseCategoricalAccuracy("accuracy") : CategoricalAccuracy("accuracy"),
            "binary_accuracy" => BinaryAccuracy(),
            "categorical_accuracy" => CategoricalAccuracy(),
            "sparse_categorical_accuracy" => SparseCategoricalAccuracy(),
            "mae" or "mean_absolute_error" => MeanAbsoluteError(key),
            "mse" or "mean_squared_error" => MeanSquaredError(key),
            _ => throw new ArgumentException($"Unknown metric '{name}': expected accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mae or mse.", nameof(name)),
        };
    }

    public override string ToString() => Name;

    private sealed class BinaryAccuracyMetric(string name, float threshold) : Metric(name)
    {
        public override bool HigherIsBetter => true;

        internal override void Accumulate(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, int rows, int width, int targetWidth, float weight, ref double sum, ref double count)
        {
            int n = rows * width;
            long correct = 0;
            for (int i = 0; i < n; i++)
            {
                if ((predicted[i] > threshold ? 1f : 0f) == expected[i])
                    correct++;
            }
            sum += weight == 1f ? correct : (double)weight * correct;
            count += weight == 1f ? n : (double)weight * n;
        }
    }

    private sealed class CategoricalAccuracyMetric(string name, bool sparse) : Metric(name)
    {
        public override bool HigherIsBetter => true;

        internal override void Accumulate(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, int rows, int width, int targetWidth, float weight, ref double sum, ref double count)
        {
            long correct = 0;
            for (int r = 0; r < rows; r++)
            {
                int guess = Metrics.ArgMax(predicted.Slice(r * width, width));
                int truth = sparse ? (int)expected[r * targetWidth] : Metrics.ArgMax(expected.Slice(r * width, width));
                if (guess == truth)
                    correct++;
            }
            sum += weight == 1f ? correct : (double)weight * correct;
            count += weight == 1f ? rows : (double)weight * rows;
        }
    }

    private sealed class ErrorMetric(string name, bool squared) : Metric(name)
    {
        public override bool HigherIsBetter => false;

        internal override void Accumulate(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, int rows, int width, int targetWidth, float weight, ref double sum, ref double count)
        {
            int n = rows * width;
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double d = predicted[i] - expected[i];
                total += squared ? d * d : Math.Abs(d);
            }
            sum += weight * total;
            count += (double)weight * n;
        }
    }
}
