namespace LstmLab.Numerics;

/// <summary>
/// How many threads the kernels of one model split their work over: the matrix products (by blocks of
/// output columns or rows) and the element-wise kernels (LSTM gates by rows of the batch, optimizer updates
/// and sums by ranges of elements).
/// <para>
/// Results are bit-identical whatever the count: every output element is computed by one thread, with the
/// same operations in the same order (each element of a product stays one chain of fused multiply-adds over
/// k in ascending order); only which thread computes which block changes. Small work (below about a million
/// multiply-adds per product, 64 Ki elements per element-wise pass) stays on the calling thread, where
/// handing it over would cost more than it saves.
/// </para>
/// <para>
/// A <see cref="Sequential"/> sets the count for its own calls (<see cref="Sequential.Threads"/>, by default
/// <see cref="Default"/>); code that calls the kernels directly sets it with <see cref="Use"/>.
/// </para>
/// </summary>
public static class EngineThreads
{
    [ThreadStatic]
    private static int t_current;

    [ThreadStatic]
    private static int t_default;

    /// <summary>
    /// The count a model uses when its <see cref="Sequential.Threads"/> is not set: all cores
    /// (<see cref="Environment.ProcessorCount"/>) when one model trains alone, or the calling thread's own default
    /// (<see cref="UseDefault"/>), which a runner that trains several models at once sets to 1.
    /// </summary>
    public static int Default => t_default > 0 ? t_default : Environment.ProcessorCount;

    /// <summary>The count the kernels on the calling thread use now (1 outside any <see cref="Use"/> scope).</summary>
    public static int Current => t_current > 0 ? t_current : 1;

    /// <summary>Kernels called on this thread split their work over <paramref name="threads"/> threads until the scope is disposed.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static Scope Use(int threads)
    {
        Check(threads, nameof(threads));
        int previous = t_current;
        t_current = threads;
        return new Scope(previous, isDefault: false);
    }

    /// <summary>
    /// Sets <see cref="Default"/> for models trained on the calling thread until the scope is disposed (null: all
    /// cores again). A runner that trains several models at once, one per thread, sets 1 so that the models do
    /// not compete for the same cores.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static Scope UseDefault(int? threads)
    {
        if (threads is int t)
            Check(t, nameof(threads));
        int previous = t_default;
        t_default = threads ?? 0;
        return new Scope(previous, isDefault: true);
    }

    /// <summary>Checks a thread count the way every setting of it does; <paramref name="name"/> names the setting in the message.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void Check(int threads, string name)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(name, $"threads must be at least 1 (got {threads}).");
    }

    /// <summary>Restores the previous count when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;
        private readonly bool _isDefault;

        internal Scope(int previous, bool isDefault) => (_previous, _isDefault) = (previous, isDefault);

        /// <summary>Restores the count in force before the scope began.</summary>
        public void Dispose()
        {
            if (_isDefault)
                t_default = _previous;
            else
                t_current = _previous;
        }
    }
}
