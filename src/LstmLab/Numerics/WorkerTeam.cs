namespace LstmLab.Numerics;

/// <summary>One piece of work split into parts: part p of n runs on one thread, every part exactly once.</summary>
internal abstract class ParallelJob
{
    /// <summary>Runs part <paramref name="part"/> (0-based) of <paramref name="parts"/>.</summary>
    public abstract void Run(int part, int parts);

    /// <summary>The range [start, end) of part <paramref name="part"/> when <paramref name="count"/> units are split into <paramref name="parts"/> parts of whole grains.</summary>
    public static (int Start, int End) Range(int count, int grain, int part, int parts)
    {
        int grains = (count + grain - 1) / grain;
        int start = (int)Math.Min(count, (long)grains * part / parts * grain);
        int end = (int)Math.Min(count, (long)grains * (part + 1) / parts * grain);
        return (start, end);
    }
}

/// <summary>
/// Runs the parts of a <see cref="ParallelJob"/> at once: part 0 on the calling thread, the others on helper
/// threads that belong to the calling thread (created on its first split and then reused, so a split allocates
/// nothing and two models on two threads never wait for each other's helpers). Returns when every part is done;
/// an exception in a part is rethrown on the calling thread.
/// </summary>
internal static class WorkerTeam
{
    [ThreadStatic]
    private static Team? t_team;

    private static long s_splits;

    /// <summary>How many jobs have been split over more than one thread in this process (tests check that a split happened).</summary>
    internal static long Splits => Interlocked.Read(ref s_splits);

    /// <summary>Runs <paramref name="parts"/> parts of <paramref name="job"/> (one on the calling thread when parts is 1).</summary>
    public static void Run(ParallelJob job, int parts)
    {
        if (parts <= 1)
        {
            job.Run(0, 1);
            return;
        }
        Interlocked.Increment(ref s_splits);
        (t_team ??= new Team()).Run(job, parts);
    }

    private sealed class Team
    {
        private readonly List<Helper> _helpers = [];
        // Waits for the helpers: a short spin, then Monitor.Wait on a lock object made once (a
        // ManualResetEventSlim would allocate its lock on the first wait that blocks, inside a training step).
        private readonly object _gate = new();
        private int _pending;
        private Exception? _error;

        public void Run(ParallelJob job, int parts)
        {
            while (_helpers.Count < parts - 1)
                _helpers.Add(new Helper(this));
            _error = null;
            Volatile.Write(ref _pending, parts - 1);
            // Helpers run on the caller's instruction set (tests force one per thread).
            Isa? forced = InstructionSet.Forced;
            for (int p = 1; p < parts; p++)
                _helpers[p - 1].Start(job, p, parts, forced);
            try
            {
                job.Run(0, parts);
            }
            catch (Exception e)
            {
                _error ??= e;
            }
            var spin = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0 && spin.Count < 100)
                spin.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref _pending) != 0)
            {
                lock (_gate)
                {
                    while (Volatile.Read(ref _pending) != 0)
                        Monitor.Wait(_gate);
                }
            }
            if (_error is { } error)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        public void Finished(Exception? error)
        {
            if (error is not null)
                Interlocked.CompareExchange(ref _error, error, null);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                lock (_gate)
                    Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>A background thread that waits for parts of its team's jobs.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A helper thread lives as long as the process; its semaphore is never disposed.")]
    private sealed class Helper
    {
        private readonly Team _team;
        private readonly SemaphoreSlim _go = new(0);
        private ParallelJob? _job;
        private int _part, _parts;
        private Isa? _forced;

        public Helper(Team team)
        {
            _team = team;
            new Thread(Loop) { IsBackground = true, Name = "LstmLab kernel helper" }.Start();
        }

        public void Start(ParallelJob job, int part, int parts, Isa? forced)
        {
            (_job, _part, _parts, _forced) = (job, part, parts, forced);
            _go.Release();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                Exception? error = null;
                try
                {
                    if (InstructionSet.Forced != _forced)
                        InstructionSet.Forced = _forced;
                    _job!.Run(_part, _parts);
                }
                catch (Exception e)
                {
                    error = e;
                }
                _job = null;
                _team.Finished(error);
            }
        }
    }
}
