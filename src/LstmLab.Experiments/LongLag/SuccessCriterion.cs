namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Decides when a trial has succeeded. The runner shows it every training sequence with the network's
/// output for it, computed just before the update on that sequence (the paper's "training error"), and,
/// every <see cref="EvaluationInterval"/> sequences, lets it test the network on data of its own.
/// <para>
/// <see cref="SequencesToSuccess"/> counts the training sequences presented before the first sequence of
/// the successful window (so the paper's 5,040 for task 2a can be below its 10,000-sequence window); for
/// criteria judged on held-out data, the sequences presented before the successful evaluation.
/// </para>
/// </summary>
public abstract class SuccessCriterion
{
    /// <summary>Training sequences seen so far.</summary>
    public long Seen { get; private set; }

    /// <summary>Set once the criterion is met.</summary>
    public long? SequencesToSuccess { get; protected set; }

    /// <summary>Whether the criterion has been met.</summary>
    public bool Solved => SequencesToSuccess is not null;

    /// <summary>How often (in training sequences) <see cref="Evaluate"/> is called; 0 for never.</summary>
    public virtual int EvaluationInterval => 0;

    /// <summary>Records one training sequence and the network's output for it (per step or at the end, as the targets).</summary>
    public void Observe(LongLagSequence sequence, ReadOnlySpan<float> output)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        Seen++;
        if (!Solved)
            ObserveCore(sequence, output);
    }

    /// <summary>The task-specific part of <see cref="Observe"/>; <see cref="Seen"/> already counts this sequence.</summary>
    protected abstract void ObserveCore(LongLagSequence sequence, ReadOnlySpan<float> output);

    /// <summary>How close the trial came, in words (for unsolved trials), e.g. the longest run of correct sequences.</summary>
    public virtual string Progress => "";

    /// <summary>Tests the network with <paramref name="predict"/> (a sequence in, its outputs out) on held-out data; sets success.</summary>
    public virtual void Evaluate(Func<LongLagSequence, float[]> predict)
    {
    }
}

/// <summary>Success once <see cref="Window"/> successive training sequences are each processed correctly.</summary>
/// <param name="window">Successive correct sequences needed.</param>
/// <param name="correct">Whether one sequence's output is correct.</param>
/// <param name="onlyAtEnd">For the progress report: whether a wrong sequence is right at every step but the last (null: not reported).</param>
public sealed class SuccessiveCriterion(int window, Func<LongLagSequence, ReadOnlySpan<float>, bool> correct, Func<LongLagSequence, ReadOnlySpan<float>, bool>? onlyAtEnd = null) : SuccessCriterion
{
    private const int Recent = 1000;
    private readonly bool[] _recent = new bool[Recent];
    private long _run, _best;
    private int _recentCorrect;
    private long _wrong, _wrongOnlyAtEnd;

    /// <summary>Successive correct sequences needed.</summary>
    public int Window { get; } = window;

    /// <summary>Correct sequences among the last 1,000 (or fewer, at the start).</summary>
    public int RecentCorrect => _recentCorrect;

    public override string Progress => FormattableString.Invariant($"longest run of correct sequences {_best:N0} of {Window:N0}; correct: {_recentCorrect:N0} of the last {Math.Min(Seen, Recent):N0}{(onlyAtEnd is null || _wrong == 0 ? "" : FormattableString.Invariant($"; of the {_wrong:N0} wrong sequences, {_wrongOnlyAtEnd:N0} were wrong only at the last step"))}");

    protected override void ObserveCore(LongLagSequence sequence, ReadOnlySpan<float> output)
    {
        bool ok = correct(sequence, output);
        int slot = (int)((Seen - 1) % Recent);
        _recentCorrect += (ok ? 1 : 0) - (Seen > Recent && _recent[slot] ? 1 : 0);
        _recent[slot] = ok;
        if (!ok && onlyAtEnd is not null)
        {
            _wrong++;
            _wrongOnlyAtEnd += onlyAtEnd(sequence, output) ? 1 : 0;
        }
        _run = ok ? _run + 1 : 0;
        _best = Math.Max(_best, _run);
        if (_run >= Window)
            SequencesToSuccess = Seen - Window;
    }
}

/// <summary>
/// Success once, among the <see cref="Window"/> most recent training sequences, at most
/// <see cref="MaxWrong"/> are wrong (an absolute error above the tolerance) and, when
/// <see cref="MaxMeanError"/> is set, their mean absolute error is below it.
/// </summary>
public sealed class RecentWindowCriterion : SuccessCriterion
{
    private readonly Func<LongLagSequence, ReadOnlySpan<float>, double> _error;
    private readonly double _tolerance;
    private readonly double[] _errors;
    private int _next, _wrong;
    private double _sum;

    /// <param name="window">The most recent sequences judged.</param>
    /// <param name="tolerance">A sequence is wrong when its error is above this.</param>
    /// <param name="maxWrong">The most wrong sequences allowed among them.</param>
    /// <param name="maxMeanError">The mean error must be below this (null: no such condition).</param>
    /// <param name="error">The absolute error of one sequence from its output.</param>
    public RecentWindowCriterion(int window, double tolerance, int maxWrong, double? maxMeanError, Func<LongLagSequence, ReadOnlySpan<float>, double> error)
    {
        Window = window;
        _tolerance = tolerance;
        MaxWrong = maxWrong;
        MaxMeanError = maxMeanError;
        _error = error;
        _errors = new double[window];
    }

    public int Window { get; }

    public int MaxWrong { get; }

    public double? MaxMeanError { get; }

    public override string Progress => Seen < Window ? "" : FormattableString.Invariant($"last {Window:N0} sequences: {_wrong:N0} wrong, mean |error| {_sum / Window:F4}");

    protected override void ObserveCore(LongLagSequence sequence, ReadOnlySpan<float> output)
    {
        double e = _error(sequence, output);
        if (Seen > Window)
        {
            double old = _errors[_next];
            _sum -= old;
            _wrong -= old > _tolerance ? 1 : 0;
        }
        _errors[_next] = e;
        _sum += e;
        _wrong += e > _tolerance ? 1 : 0;
        _next = (_next + 1) % Window;
        if (Seen >= Window && _wrong <= MaxWrong && (MaxMeanError is not double m || _sum / Window < m))
            SequencesToSuccess = Seen - Window;
    }
}

/// <summary>Absolute errors of outputs against targets, shared by the criteria.</summary>
public static class Errors
{
    /// <summary>max |output − target| over all elements.</summary>
    public static double MaxAbs(ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        double max = 0;
        for (int i = 0; i < target.Length; i++)
            max = Math.Max(max, Math.Abs(output[i] - target[i]));
        return max;
    }

    /// <summary>max |output − target| over the last step's <paramref name="width"/> elements.</summary>
    public static double MaxAbsAtEnd(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int width) =>
        MaxAbs(output[^width..], target[^width..]);
}
