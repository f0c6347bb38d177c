using LstmLab.Numerics;

namespace LstmLab;

public sealed partial class Sequential
{
    private int? _threads;

    /// <summary>
    /// Threads this model's training and prediction split their matrix products and element-wise kernels over
    /// (<see cref="EngineThreads"/>); null (the default) takes <see cref="EngineThreads.Default"/>: all cores when
    /// one model trains alone, 1 inside a runner that trains several models at once. The results are
    /// bit-identical whatever the count; small models stay on one thread whatever it is, since their products
    /// are too small to split.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int? Threads
    {
        get => _threads;
        set
        {
            if (value is int t)
                EngineThreads.Check(t, nameof(Threads));
            _threads = value;
        }
    }

    /// <summary>The thread count of this model's next call: <see cref="Threads"/>, else the calling thread's default.</summary>
    private EngineThreads.Scope UseThreads() => EngineThreads.Use(_threads ?? EngineThreads.Default);
}
