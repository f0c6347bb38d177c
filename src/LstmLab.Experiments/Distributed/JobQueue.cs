using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using LstmLab.Experiments.Store;

namespace LstmLab.Experiments.Distributed;

/// <summary>
/// The queue: Hangfire with its PostgreSQL storage, in the schema <c>hangfire</c> of the store's database.
/// Hangfire brings the queue (<c>FOR UPDATE SKIP LOCKED</c>), the leases, retries and the dashboard;
/// LstmLab only describes units (<see cref="UnitJob"/>) and records their results in the store.
/// </summary>
public static class JobQueue
{
    /// <summary>The Hangfire queue LstmLab's units wait in.</summary>
    public const string Name = "lstmlab";

    /// <summary>The default lease: a unit whose worker died is delivered again after about this long.</summary>
    public static TimeSpan DefaultLease { get; } = TimeSpan.FromMinutes(1);

    private static readonly Lock Configured = new();
    private static bool _configured;

    /// <summary>
    /// Hangfire's storage on the store's database. The lease is Hangfire.PostgreSql's invisibility timeout,
    /// made sliding (renewed every fifth of it by the storage's heartbeat while the unit runs), so a long unit
    /// keeps its lease and a killed worker's unit returns to the queue within <paramref name="lease"/>.
    /// </summary>
    /// <param name="pollInterval">How often an idle worker looks for work when no notification comes (default 1 s).</param>
    public static PostgreSqlStorage Storage(PostgresResultsStore store, TimeSpan? lease = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        TimeSpan invisibility = lease ?? DefaultLease;
        if (invisibility < TimeSpan.FromSeconds(5))
            throw new ArgumentException($"--lease must be at least 5 seconds (got {invisibility.TotalSeconds} s).");
        ConfigureOnce();
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            InvisibilityTimeout = invisibility,
            UseSlidingInvisibilityTimeout = true,
            QueuePollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
            EnableLongPolling = true,
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        try
        {
            // Hangfire.PostgreSql installs or upgrades its schema here; several workers starting at once on a
            // new database take turns (a session advisory lock), so no two run the install scripts together.
            using var connection = new Npgsql.NpgsqlConnection(store.ConnectionString);
            connection.Open();
            using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(1702171702)", connection))
                take.ExecuteNonQuery();
            try
            {
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(store.ConnectionString, options), options);
            }
            finally
            {
                using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(1702171702)", connection);
                release.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"Cannot reach the queue in {store.Description}: {e.Message}", e);
        }
    }

    private static void ConfigureOnce()
    {
        lock (Configured)
        {
            if (_configured)
                return;
            GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            _configured = true;
        }
    }
}
