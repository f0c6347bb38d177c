using LstmLab.Numerics;

namespace LstmLab.Data;

/// <summary>
/// Sliding windows over one sequence, for sequence problems where each sample carries its context
/// as time steps: sample <c>s</c> is the <see cref="Window"/> steps ending at <c>t = End(s)</c>,
/// <c>[x[t-W+1], …, x[t]]</c>, and its target is <c>x[t - TargetLag]</c>.
/// </summary>
/// <remarks>
/// Only windows with full history and an existing target are made: <c>t</c> runs from
/// <c>max(W - 1, TargetLag)</c> (or a later <c>firstEnd</c>) while <c>t - TargetLag &lt; L</c>.
/// A negative lag targets a step after the window (<c>-1</c> = the next value, for forecasting).
/// The echo tutorial (seed 002) uses, over 25 one-hot steps: window 1, lag 0 (echo current: 25
/// samples); window 1, lag 1 (echo the previous step without context: 24 samples); and window 5,
/// lag 1 with <c>firstEnd: 5</c> (its <c>values[5:]</c> also drops the first full window, leaving
/// 20 samples, which batch size 5 divides).
/// </remarks>
public sealed class SlidingWindows
{
    private SlidingWindows(int length, int window, int targetLag, int firstEnd, int count)
    {
        SequenceLength = length;
        Window = window;
        TargetLag = targetLag;
        FirstEnd = firstEnd;
        Count = count;
    }

    /// <summary>The length of the sequence the windows index.</summary>
    public int SequenceLength { get; }

    /// <summary>The number of time steps per sample (W).</summary>
    public int Window { get; }

    /// <summary>How far back from a window's last step the target lies (0 = the last step itself, negative = after the window).</summary>
    public int TargetLag { get; }

    /// <summary>The index of the last step of the first window.</summary>
    public int FirstEnd { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>
    /// Plans windows of <paramref name="window"/> steps over a sequence of <paramref name="length"/>,
    /// with targets <paramref name="targetLag"/> steps back from each window's last step.
    /// </summary>
    /// <param name="length">The sequence length.</param>
    /// <param name="window">Steps per sample, at least 1.</param>
    /// <param name="targetLag">Target offset back from the window end: 0 = echo the last step, 1 = the one before, -1 = the next one.</param>
    /// <param name="firstEnd">The last step index of the first window; default the earliest with full history and target.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 1, or <paramref name="firstEnd"/> is earlier than the earliest valid end.</exception>
    /// <exception cref="ArgumentException">The sequence is too short for a single sample.</exception>
    public static SlidingWindows Create(int length, int window, int targetLag = 0, int? firstEnd = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        int earliest = Math.Max(window - 1, targetLag);
        int first = firstEnd ?? earliest;
        if (first < earliest)
        {
            throw new ArgumentOutOfRangeException(nameof(firstEnd), first,
                $"The first window cannot end before step {earliest}: a window of {window} needs {window - 1} earlier steps and a target lag of {targetLag} needs step t-{targetLag}.");
        }
        // The last valid end t satisfies t < length and t - targetLag < length.
        int lastEnd = Math.Min(length - 1, length - 1 + targetLag);
        int count = lastEnd - first + 1;
        if (count < 1)
        {
            throw new ArgumentException(
                $"A sequence of {length} steps gives no sample with window {window}, target lag {targetLag} and first window end {first}; it needs at least {first + 1 + Math.Max(0, -targetLag)} steps.", nameof(length));
        }
        return new SlidingWindows(length, window, targetLag, first, count);
    }

    /// <summary>The index of the last step of sample <paramref name="sample"/>'s window.</summary>
    public int End(int sample)
    {
        CheckSample(sample);
        return FirstEnd + sample;
    }

    /// <summary>The index of sample <paramref name="sample"/>'s target step.</summary>
    public int Target(int sample) => End(sample) - TargetLag;

    /// <summary>
    /// Gathers windows of feature vectors (e.g. <see cref="OneHot.Encode"/> rows) into a tensor
    /// <c>[Count, Window, features]</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="steps"/> does not have <see cref="SequenceLength"/> rows of equal length.</exception>
    public Tensor Inputs(IReadOnlyList<double[]> steps)
    {
        int features = CheckSteps(steps);
        var t = new Tensor(Count, Window, features);
        Span<float> data = t.Span;
        for (int s = 0; s < Count; s++)
        {
            int start = FirstEnd + s - Window + 1;
            for (int w = 0; w < Window; w++)
                Copy(steps[start + w], data.Slice((s * Window + w) * features, features));
        }
        return t;
    }

    /// <summary>Gathers each sample's target feature vector into a tensor <c>[Count, features]</c>.</summary>
    /// <exception cref="ArgumentException">As <see cref="Inputs(IReadOnlyList{double[]})"/>.</exception>
    public Tensor Targets(IReadOnlyList<double[]> steps)
    {
        int features = CheckSteps(steps);
        var t = new Tensor(Count, features);
        for (int s = 0; s < Count; s++)
            Copy(steps[FirstEnd + s - TargetLag], t.Span.Slice(s * features, features));
        return t;
    }

    /// <summary>Gathers windows of a scalar sequence into a tensor <c>[Count, Window, 1]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have <see cref="SequenceLength"/> values.</exception>
    public Tensor Inputs(ReadOnlySpan<double> values)
    {
        CheckLength(values.Length, nameof(values));
        var t = new Tensor(Count, Window, 1);
        Span<float> data = t.Span;
        for (int s = 0; s < Count; s++)
        {
            int start = FirstEnd + s - Window + 1;
            for (int w = 0; w < Window; w++)
                data[s * Window + w] = (float)values[start + w];
        }
        return t;
    }

    /// <summary>Gathers each sample's target value into a tensor <c>[Count, 1]</c>.</summary>
    /// <exception cref="ArgumentException">As <see cref="Inputs(ReadOnlySpan{double})"/>.</exception>
    public Tensor Targets(ReadOnlySpan<double> values)
    {
        CheckLength(values.Length, nameof(values));
        var t = new Tensor(Count, 1);
        for (int s = 0; s < Count; s++)
            t.Span[s] = (float)values[FirstEnd + s - TargetLag];
        return t;
    }

    /// <summary>
    /// The one-hot windows of a sequence of integers in <c>0 .. alphabet-1</c>, written into
    /// <paramref name="destination"/> as <c>[Count, Window, alphabet]</c> without allocating: the same values as
    /// <see cref="Inputs(IReadOnlyList{double[]})"/> of <see cref="OneHot.Encode"/>'s rows (1 at the item, 0 elsewhere).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="items"/> does not have <see cref="SequenceLength"/> values, or <paramref name="destination"/> is shorter than <c>Count·Window·alphabet</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alphabet"/> is below 1, or an item is outside <c>0 .. alphabet-1</c>.</exception>
    public void OneHotInputs(ReadOnlySpan<int> items, int alphabet, Span<float> destination)
    {
        CheckOneHot(items, alphabet, destination, Count * Window, nameof(destination));
        Span<float> data = destination[..(Count * Window * alphabet)];
        data.Clear();
        for (int s = 0; s < Count; s++)
        {
            int start = FirstEnd + s - Window + 1;
            for (int w = 0; w < Window; w++)
                data[(s * Window + w) * alphabet + items[start + w]] = 1f;
        }
    }

    /// <summary>
    /// Each sample's one-hot target, written into <paramref name="destination"/> as <c>[Count, alphabet]</c>
    /// without allocating (as <see cref="Targets(IReadOnlyList{double[]})"/> of <see cref="OneHot.Encode"/>'s rows).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="OneHotInputs"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="OneHotInputs"/>.</exception>
    public void OneHotTargets(ReadOnlySpan<int> items, int alphabet, Span<float> destination)
    {
        CheckOneHot(items, alphabet, destination, Count, nameof(destination));
        Span<float> data = destination[..(Count * alphabet)];
        data.Clear();
        for (int s = 0; s < Count; s++)
            data[s * alphabet + items[FirstEnd + s - TargetLag]] = 1f;
    }

    private void CheckOneHot(ReadOnlySpan<int> items, int alphabet, Span<float> destination, int rows, string destinationName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabet, 1);
        CheckLength(items.Length, nameof(items));
        if (destination.Length < (long)rows * alphabet)
            throw new ArgumentException($"The destination holds {destination.Length} floats; {rows} rows of {alphabet} need {(long)rows * alphabet}.", destinationName);
        for (int i = 0; i < items.Length; i++)
        {
            if ((uint)items[i] >= (uint)alphabet)
                throw new ArgumentOutOfRangeException(nameof(items), items[i], $"Value {items[i]} at position {i} is outside the alphabet 0..{alphabet - 1} (size {alphabet}).");
        }
    }

    /// <summary>Each sample's window of items (e.g. the raw integers, for printing X next to y).</summary>
    public T[][] InputItems<T>(IReadOnlyList<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        CheckLength(sequence.Count, nameof(sequence));
        var result = new T[Count][];
        for (int s = 0; s < Count; s++)
        {
            int start = FirstEnd + s - Window + 1;
            result[s] = new T[Window];
            for (int w = 0; w < Window; w++)
                result[s][w] = sequence[start + w];
        }
        return result;
    }

    /// <summary>Each sample's target item.</summary>
    public T[] TargetItems<T>(IReadOnlyList<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        CheckLength(sequence.Count, nameof(sequence));
        var result = new T[Count];
        for (int s = 0; s < Count; s++)
            result[s] = sequence[FirstEnd + s - TargetLag];
        return result;
    }

    private int CheckSteps(IReadOnlyList<double[]> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        CheckLength(steps.Count, nameof(steps));
        int features = steps.Count > 0 ? steps[0].Length : 0;
        if (features == 0)
            throw new ArgumentException("Each step needs at least one feature; step 0 is empty.", nameof(steps));
        for (int i = 1; i < steps.Count; i++)
        {
            if (steps[i].Length != features)
                throw new ArgumentException($"Step {i} has {steps[i].Length} features; expected {features} like step 0.", nameof(steps));
        }
        return features;
    }

    private void CheckLength(int length, string paramName)
    {
        if (length != SequenceLength)
            throw new ArgumentException($"The windows were planned for a sequence of {SequenceLength} steps; got {length}.", paramName);
    }

    private void CheckSample(int sample)
    {
        if ((uint)sample >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"Sample index must be in 0..{Count - 1}.");
    }

    private static void Copy(double[] source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = (float)source[i];
    }
}
