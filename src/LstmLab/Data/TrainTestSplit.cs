namespace LstmLab.Data;

/// <summary>Splits ordered rows (or values) into a training part and a test part at the end, keeping time order.</summary>
public static class TrainTestSplit
{
    /// <summary>
    /// The last <paramref name="testCount"/> items are the test set, the rest the training set:
    /// the seed's <c>train, test = values[0:-12], values[-12:]</c> for testCount 12. Items are not
    /// copied (rows are shared with the input).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testCount"/> is not in <c>1 .. Count-1</c> (both sets must be non-empty).</exception>
    public static (T[] Train, T[] Test) LastRows<T>(IReadOnlyList<T> items, int testCount)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (testCount < 1 || testCount >= items.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount,
                $"The test set size must be between 1 and {items.Count - 1} so that both sets have rows; there are {items.Count} rows and {testCount} were asked for the test set.");
        }
        int trainCount = items.Count - testCount;
        var train = new T[trainCount];
        var test = new T[testCount];
        for (int i = 0; i < trainCount; i++)
            train[i] = items[i];
        for (int i = 0; i < testCount; i++)
            test[i] = items[trainCount + i];
        return (train, test);
    }
}
