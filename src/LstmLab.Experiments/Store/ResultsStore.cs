using System.Data;
using System.Data.Common;
using System.Globalization;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>
/// The results store: experiments, units, metrics and artifacts (see <see cref="StoreSchema"/>), in an
/// embedded SQLite file or a shared PostgreSQL database. Every write is keyed on (experiment, unit), so
/// writing a unit's result twice (a unit run again after a lost lease) changes nothing: the first
/// finished result stays. Safe to use from several threads.
/// </summary>
public abstract partial class ResultsStore : IDisposable
{
    /// <summary>The environment variable that names the shared store when <c>--store</c> is not given.</summary>
    public const string EnvironmentVariable = "LSTMLAB_STORE";

    /// <summary>What the store is, for messages (never the password).</summary>
    public abstract string Description { get; }

    /// <summary>Whether this is a shared PostgreSQL store (the one workers can use).</summary>
    public abstract bool IsShared { get; }

    /// <summary>
    /// Opens a store: a PostgreSQL connection string (<c>Host=…;Database=…</c>) or the path of a SQLite file
    /// (created if missing); creates or migrates the schema.
    /// </summary>
    /// <exception cref="ArgumentException">The text is neither.</exception>
    /// <exception cref="InvalidDataException">The store was written by a newer LstmLab (schema version too high), or the
    /// file is not a SQLite database.</exception>
    public static ResultsStore Open(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        ResultsStore? opened = null;
        try
        {
            opened = LooksLikeConnectionString(store) ? new PostgresResultsStore(store) : new SqliteResultsStore(store);
            opened.Migrate();
            return opened;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            // SQLITE_NOTADB (26) and SQLITE_CORRUPT (11): a file that is not a results store must not become an internal error.
            opened?.Dispose();
            throw new InvalidDataException($"{store}: not a SQLite results store ({e.Message.TrimEnd('.')}); name a new file or an existing store.", e);
        }
        catch
        {
            opened?.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="store"/> is a PostgreSQL connection string rather than a file path.</summary>
    public static bool LooksLikeConnectionString(string store) =>
        store.Contains('=', StringComparison.Ordinal) && store.Contains("host", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a connection (the caller disposes it).</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>Serialises the schema migration between processes (an advisory lock in PostgreSQL).</summary>
    protected abstract void LockForMigration(DbConnection connection, DbTransaction transaction);

    /// <summary>Inserts a unit's metrics inside the transaction that marks it done.</summary>
    protected virtual void InsertMetrics(DbConnection connection, DbTransaction transaction, UnitKey unit, IReadOnlyList<(string Name, int Step, double Value)> metrics)
    {
        using DbCommand command = Command(connection, transaction,
            "INSERT INTO metrics (experiment_id, configuration, repeat, name, step, value) VALUES (@e, @c, @r, @n, @s, @v) ON CONFLICT DO NOTHING",
            ("e", unit.ExperimentId), ("c", unit.Configuration), ("r", (long)unit.Repeat), ("n", ""), ("s", 0L), ("v", 0.0));
        command.Prepare();
        foreach ((string name, int step, double value) in metrics)
        {
            command.Parameters["n"].Value = name;
            command.Parameters["s"].Value = (long)step;
            command.Parameters["v"].Value = DoubleToDb(value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A double as the database stores it (SQLite keeps no NaN: it becomes NULL, read back as NaN).</summary>
    protected virtual object DoubleToDb(double value) => value;

    /// <summary>The schema version the store has (0 when empty).</summary>
    public int SchemaVersion()
    {
        using DbConnection connection = OpenConnection();
        return ReadVersion(connection, null);
    }

    private void Migrate()
    {
        using DbConnection connection = OpenConnection();
        using DbTransaction transaction = connection.BeginTransaction();
        LockForMigration(connection, transaction);
        Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {StoreSchema.VersionTable} (version BIGINT NOT NULL)");
        int version = ReadVersion(connection, transaction);
        if (version > StoreSchema.Version)
        {
            throw new InvalidDataException(
                $"The results store {Description} has schema version {version}, newer than this LstmLab's {StoreSchema.Version}: use a newer lstmlab with it.");
        }
        for (int v = version + 1; v <= StoreSchema.Version; v++)
        {
            foreach (string statement in StoreSchema.Migrations[v])
                Execute(connection, transaction, statement);
        }
        if (version == 0)
            Execute(connection, transaction, $"INSERT INTO {StoreSchema.VersionTable} (version) VALUES (@v)", ("v", (long)StoreSchema.Version));
        else if (version < StoreSchema.Version)
            Execute(connection, transaction, $"UPDATE {StoreSchema.VersionTable} SET version = @v", ("v", (long)StoreSchema.Version));
        transaction.Commit();
    }

    private static int ReadVersion(DbConnection connection, DbTransaction? transaction)
    {
        try
        {
            using DbCommand command = Command(connection, transaction, $"SELECT MAX(version) FROM {StoreSchema.VersionTable}");
            object? value = command.ExecuteScalar();
            return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }
        catch (DbException) when (transaction is null)
        {
            return 0;
        }
    }

    /// <summary>Records an experiment (nothing happens when one with its id is there already); returns whether it was new.</summary>
    public bool PutExperiment(ExperimentRecord experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        using DbConnection connection = OpenConnection();
        return Execute(connection, null,
            "INSERT INTO experiments (id, name, description, definition, overrides, canonical, source, configurations, repeats, seed, data_name, data_content, data_hash, tool_version, created) " +
            "VALUES (@id, @name, @description, @definition, @overrides, @canonical, @source, @configurations, @repeats, @seed, @data_name, @data_content, @data_hash, @tool_version, @created) " +
            "ON CONFLICT (id) DO NOTHING",
            ("id", experiment.Id), ("name", experiment.Name), ("description", experiment.Description), ("definition", experiment.Definition),
            ("overrides", experiment.Overrides), ("canonical", experiment.Canonical), ("source", experiment.Source),
            ("configurations", string.Join('\n', experiment.Configurations)), ("repeats", (long)experiment.Repeats), ("seed", experiment.Seed),
            ("data_name", experiment.DataName), ("data_content", experiment.DataContent), ("data_hash", experiment.DataHash),
            ("tool_version", experiment.ToolVersion), ("created", experiment.Created)) == 1;
    }

    /// <summary>All experiments, newest first.</summary>
    public IReadOnlyList<ExperimentRecord> Experiments()
    {
        using DbConnection connection = OpenConnection();
        using DbCommand command = Command(connection, null, "SELECT " + Columns("experiments") + " FROM experiments ORDER BY created DESC, id");
        using DbDataReader reader = command.ExecuteReader();
        var list = new List<ExperimentRecord>();
        while (reader.Read())
            list.Add(ReadExperiment(reader));
        return list;
    }

    /// <summary>
    /// The experiment called <paramref name="nameOrId"/>: by id (or a unique id prefix of 6 or more digits), else the
    /// newest submitted under that name; <c>NAME@ID</c> names one version of a name.
    /// </summary>
    /// <exception cref="ArgumentException">None matches; the message lists what the store holds.</exception>
    public ExperimentRecord FindExperiment(string nameOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        IReadOnlyList<ExperimentRecord> all = Experiments();
        string name = nameOrId, id = "";
        int at = nameOrId.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = nameOrId[..at];
            id = nameOrId[(at + 1)..];
        }
        var byName = all.Where(e => e.Name == name && e.Id.StartsWith(id, StringComparison.Ordinal)).ToArray();
        if (byName.Length > 0)
            return byName[0];
        var byId = nameOrId.Length >= 6 ? all.Where(e => e.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToArray() : [];
        if (byId.Length == 1)
            return byId[0];
        string known = all.Count == 0 ? "it holds no experiments yet" : "it holds " + string.Join(", ", all.Select(e => $"{e.Name}@{e.Id}").Distinct().Take(10));
        throw new ArgumentException($"No experiment '{nameOrId}' in the results store {Description}: {known}.");
    }

    /// <summary>Every experiment recorded under <paramref name="name"/>, newest first.</summary>
    public IReadOnlyList<ExperimentRecord> Versions(string name) => Experiments().Where(e => e.Name == name).ToArray();

    private static ExperimentRecord ReadExperiment(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Text(r, 2), r.GetString(3), Text(r, 4), r.GetString(5), r.GetString(6),
        r.GetString(7).Split('\n'), (int)r.GetInt64(8), r.GetInt64(9), r.GetString(10), Text(r, 11), r.GetString(12), r.GetString(13), r.GetString(14));

    /// <summary>The column list of a table, in schema order.</summary>
    protected static string Columns(string table) => string.Join(", ", StoreSchema.Table(table).Columns.Select(c => c.Name));

    /// <summary>Reads a nullable text column.</summary>
    protected static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>The UTC time as the store writes it (ISO 8601).</summary>
    public static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Builds a command with named parameters (<c>@name</c>; null becomes SQL NULL).</summary>
    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // the SQL text is built from the schema's constants only; values are parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach ((string name, object? value) in parameters)
        {
            DbParameter p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            if (value is null)
                p.DbType = DbType.String;
            command.Parameters.Add(p);
        }
        return command;
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    protected static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using DbCommand command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases pooled connections.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The experiment's results in the order a local run returns them (configuration order, then repeat), done units only.</summary>
    public IReadOnlyList<RepeatResult> Results(string experimentId)
    {
        using DbConnection connection = OpenConnection();
        var units = new List<(string Configuration, int Repeat, long Seed, string Hash)>();
        using (DbCommand command = Command(connection, null,
            "SELECT configuration, repeat, seed, settings_hash FROM units WHERE experiment_id = @e AND state = @s ORDER BY config_index, repeat",
            ("e", experimentId), ("s", UnitState.Done)))
        using (DbDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
                units.Add((reader.GetString(0), (int)reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
        }
        var values = new Dictionary<(string, int), Dictionary<string, double>>();
        var predictions = new Dictionary<(string, int), SortedDictionary<int, double>>();
        using (DbCommand command = Command(connection, null,
            "SELECT configuration, repeat, name, step, value FROM metrics WHERE experiment_id = @e AND name IN ('rmse', 'mae', 'mape', 'seconds', 'prediction')",
            ("e", experimentId)))
        using (DbDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), (int)reader.GetInt64(1));
                string name = reader.GetString(2);
                double value = reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4);
                if (name == "prediction")
                {
                    if (!predictions.TryGetValue(key, out SortedDictionary<int, double>? p))
                        predictions[key] = p = [];
                    p[(int)reader.GetInt64(3)] = value;
                }
                else
                {
                    if (!values.TryGetValue(key, out Dictionary<string, double>? v))
                        values[key] = v = [];
                    v[name] = value;
                }
            }
        }
        var results = new List<RepeatResult>(units.Count);
        foreach ((string configuration, int repeat, long seed, string hash) in units)
        {
            Dictionary<string, double> v = values.GetValueOrDefault((configuration, repeat))
                ?? throw new InvalidDataException($"Unit {configuration} #{repeat} of experiment {experimentId} is done but has no metrics in {Description}.");
            double[] p = predictions.TryGetValue((configuration, repeat), out SortedDictionary<int, double>? ps) ? [.. ps.Values] : [];
            results.Add(new RepeatResult(configuration, repeat, seed, v["rmse"], v["mae"], v.TryGetValue("mape", out double m) ? m : null, v["seconds"], p, hash));
        }
        return results;
    }
}
