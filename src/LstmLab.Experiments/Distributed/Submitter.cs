using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;

namespace LstmLab.Experiments.Distributed;

/// <summary>What a submit did.</summary>
/// <param name="IsNew">Whether the experiment was new to the store (a changed definition is always a new experiment).</param>
/// <param name="Done">Units finished already (never run again).</param>
/// <param name="Waiting">Units already waiting or running in a live job (not enqueued twice).</param>
/// <param name="Enqueued">Units put in the queue now.</param>
/// <param name="Retried">Of <paramref name="Enqueued"/>, units that had failed before.</param>
public sealed record SubmitResult(ExperimentRecord Experiment, bool IsNew, int Done, int Waiting, int Enqueued, int Retried);

/// <summary>
/// <c>lstmlab experiment submit</c>: stores the definition and the data's content, adds the experiment's
/// units, and enqueues every unit that is neither done nor waiting in a live Hangfire job. Submitting
/// again therefore adds nothing; a changed definition, data or tool version has another id and is a new
/// experiment, never mixed with the old one.
/// </summary>
public static class Submitter
{
    /// <summary>Submits <paramref name="experiment"/> (read from <paramref name="definitionText"/>, with the given overrides).</summary>
    /// <exception cref="LstmLab.Data.DataFormatException">The data cannot be read.</exception>
    public static SubmitResult Submit(PostgresResultsStore store, ExperimentDefinition experiment, string definitionText, int? repeats = null, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(experiment);
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, definitionText, repeats, epochs).Record;
        bool isNew = store.PutExperiment(record);
        store.AddUnits(
            from c in experiment.Configurations.Select((c, i) => (Configuration: c, Index: i))
            let hash = RepeatRunner.SettingsHash(experiment, c.Configuration)
            from r in Enumerable.Range(0, experiment.Repeats)
            select new UnitRecord(record.Id, c.Configuration.Name, r, c.Index, experiment.RepeatSeed(c.Configuration.Name, r), hash,
                UnitState.Queued, 0, null, null, null, null, null));

        JobStorage storage = JobQueue.Storage(store);
        using IStorageConnection connection = storage.GetConnection();
        // Two submits of one experiment at once must not both enqueue its units: Hangfire's distributed lock.
        using IDisposable submitLock = connection.AcquireDistributedLock("lstmlab:submit:" + record.Id, TimeSpan.FromMinutes(1));
        var client = new BackgroundJobClient(storage);
        int done = 0, waiting = 0, enqueued = 0, retried = 0;
        foreach (UnitRecord unit in store.Units(record.Id))
        {
            if (unit.State == UnitState.Done)
            {
                done++;
                continue;
            }
            if (unit.State is UnitState.Queued or UnitState.Running && unit.JobId is not null && IsLive(connection, unit.JobId))
            {
                waiting++;
                continue;
            }
            string configuration = unit.Configuration;
            int repeat = unit.Repeat;
            string job = client.Create(Job.FromExpression<UnitJob>(j => j.Run(record.Id, configuration, repeat, CancellationToken.None)), new EnqueuedState(JobQueue.Name));
            store.SetQueued(new UnitKey(record.Id, configuration, repeat), job);
            enqueued++;
            if (unit.State == UnitState.Failed)
                retried++;
        }
        return new SubmitResult(record, isNew, done, waiting, enqueued, retried);
    }

    private static readonly string[] LiveStates = [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    private static bool IsLive(IStorageConnection connection, string jobId) =>
        connection.GetStateData(jobId)?.Name is string state && LiveStates.Contains(state, StringComparer.OrdinalIgnoreCase);
}
