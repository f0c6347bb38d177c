using System.Globalization;
using Hangfire;
using LstmLab.Experiments.Store;

namespace LstmLab.Experiments.Distributed;

/// <summary>How a worker runs.</summary>
/// <param name="Threads">Units run at once in this process (Hangfire's worker count).</param>
/// <param name="Lease">The queue lease: a unit whose worker died is delivered again after about this long.</param>
public sealed record WorkerSettings(int Threads, TimeSpan Lease);

/// <summary>
/// <c>lstmlab worker</c>: a Hangfire server on the store's database that takes units from the queue until
/// stopped. Stopping (SIGINT, SIGTERM) cancels the running units, which go back to the queue; a worker
/// that is killed keeps its units' leases only until they expire, then another worker takes them.
/// </summary>
public static class WorkerHost
{
    /// <summary>This process's worker name: <c>host:pid</c>.</summary>
    public static string WorkerName { get; } = Environment.MachineName + ":" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs until <paramref name="stop"/> is cancelled; <paramref name="log"/> gets a line per unit.</summary>
    public static void Run(PostgresResultsStore store, WorkerSettings settings, Action<string> log, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (settings.Threads < 1)
            throw new ArgumentException($"--threads must be at least 1 (got {settings.Threads}).");
        var storage = JobQueue.Storage(store, settings.Lease);
        string scratch = Path.Combine(Path.GetTempPath(), "lstmlab-worker-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var executor = new UnitExecutor(store, WorkerName, scratch, log);
        var options = new BackgroundJobServerOptions
        {
            ServerName = WorkerName,
            WorkerCount = settings.Threads,
            Queues = [JobQueue.Name],
            Activator = new UnitJobActivator(executor),
            ShutdownTimeout = TimeSpan.FromSeconds(30),
        };
        using (new BackgroundJobServer(options, storage))
        {
            log(string.Create(CultureInfo.InvariantCulture,
                $"worker {WorkerName}: {settings.Threads} thread(s), lease {settings.Lease.TotalSeconds:0} s, store {store.Description}; stop with Ctrl+C or SIGTERM"));
            stop.WaitHandle.WaitOne();
            log($"worker {WorkerName}: stopping; running units go back to the queue");
        }
        try
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // A scratch copy left behind is harmless.
        }
    }
}
