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
