using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace LstmLab.Experiments.Store;

/// <summary>The shared store: a PostgreSQL database (the one Hangfire's queue lives in, in its own schema).</summary>
public sealed class PostgresResultsStore : ResultsStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects with <paramref name="connectionString"/> (<c>Host=…;Port=…;Database=…;Username=…</c>).</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    internal PostgresResultsStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"--store: not a PostgreSQL connection string ({e.Message}); expected e.g. \"Host=127.0.0.1;Port=5432;Database=lstmlab;Username=postgres\".", e);
        }
        ConnectionString = connectionString;
        Description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The connection string as given (Hangfire's storage uses the same database).</summary>
    public string ConnectionString { get; }

    /// <inheritdoc/>
    public override string Description { get; }

    /// <inheritdoc/>
    public override bool IsShared => true;

    /// <inheritdoc/>
    protected override DbConnection OpenConnection()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new IOException($"Cannot reach the results store {Description}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    protected override void LockForMigration(DbConnection connection, DbTransaction transaction) =>
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(1702171701)");

    /// <inheritdoc/>
    protected override void InsertMetrics(DbConnection connection, DbTransaction transaction, UnitKey unit, IReadOnlyList<(string Name, int Step, double Value)> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        // One COPY per unit: a few rows per epoch cost one round trip, not one each.
        using NpgsqlBinaryImporter writer = ((NpgsqlConnection)connection).BeginBinaryImport(
            "COPY metrics (experiment_id, configuration, repeat, name, step, value) FROM STDIN (FORMAT BINARY)");
        foreach ((string name, int step, double value) in metrics)
        {
            writer.StartRow();
            writer.Write(unit.ExperimentId, NpgsqlDbType.Text);
            writer.Write(unit.Configuration, NpgsqlDbType.Text);
            writer.Write((long)unit.Repeat, NpgsqlDbType.Bigint);
            writer.Write(name, NpgsqlDbType.Text);
            writer.Write((long)step, NpgsqlDbType.Bigint);
            writer.Write(value, NpgsqlDbType.Double);
        }
        writer.Complete();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _dataSource.Dispose();
        base.Dispose(disposing);
    }
}
