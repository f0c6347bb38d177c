using System.ComponentModel;
using Hangfire;

namespace LstmLab.Experiments.Distributed;

/// <summary>
/// One unit as Hangfire sees it: a call of <see cref="Run"/> with the experiment's id, the configuration's
/// name and the repeat index. Everything else (definition, data) is read from the store by the worker.
/// </summary>
public sealed class UnitJob
{
    private readonly UnitExecutor _executor;

    /// <summary>A job that runs units with <paramref name="executor"/> (Hangfire's activator supplies it).</summary>
    public UnitJob(UnitExecutor executor) => _executor = executor;

    /// <summary>
    /// Runs the unit and records its result or its failure. A unit that fails for its own reasons (bad data,
    /// settings that do not fit) is recorded as failed and not retried; a lost store connection is retried by Hangfire.
    /// </summary>
    /// <param name="cancel">Hangfire's token: cancelled when the worker stops; the unit then goes back to the queue.</param>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 15, 30], ExceptOn = [typeof(UnitFailedException)])]
    [DisplayName("{1} #{2} of experiment {0}")]
    public void Run(string experimentId, string configuration, int repeat, CancellationToken cancel) =>
        _executor.Run(experimentId, configuration, repeat, cancel);
}

/// <summary>A unit ended with an error of its own; it is recorded as failed in the store.</summary>
public sealed class UnitFailedException : Exception
{
    /// <summary>A failure with its reason.</summary>
    public UnitFailedException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with its reason and cause.</summary>
    public UnitFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A failure without a reason.</summary>
    public UnitFailedException()
    {
    }
}

/// <summary>Gives Hangfire <see cref="UnitJob"/>s bound to one <see cref="UnitExecutor"/>.</summary>
public sealed class UnitJobActivator : JobActivator
{
    private readonly UnitExecutor _executor;

    /// <summary>An activator for <paramref name="executor"/>.</summary>
    public UnitJobActivator(UnitExecutor executor) => _executor = executor;

    /// <inheritdoc/>
    public override object ActivateJob(Type jobType) =>
        jobType == typeof(UnitJob) ? new UnitJob(_executor) : base.ActivateJob(jobType);
}
