using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

public abstract partial class ResultsStore
{
    private const string UnitWhere = "experiment_id = @e AND configuration = @c AND repeat = @r";

    private static (string, object?)[] Key(UnitKey unit, params (string, object?)[] more) =>
        [("e", unit.ExperimentId), ("c", unit.Configuration), ("r", (long)unit.Repeat), .. more];

    /// <summary>Adds the units that are not there yet as queued; returns how many were added.</summary>
    public int AddUnits(IEnumerable<UnitRecord> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        using DbConnection connection = OpenConnection();
        using DbTransaction transaction = connection.BeginTransaction();
        int added = 0;
        foreach (UnitRecord u in units)
        {
            added += Execute(connection, transaction,
                "INSERT INTO units (experiment_id, configuration, repeat, config_index, seed, settings_hash, state, attempts) " +
                "VALUES (@e, @c, @r, @ci, @seed, @hash, @state, 0) ON CONFLICT (experiment_id, configuration, repeat) DO NOTHING",
                Key(new UnitKey(u.ExperimentId, u.Configuration, u.Repeat), ("ci", (long)u.ConfigIndex), ("seed", u.Seed), ("hash", u.SettingsHash), ("state", UnitState.Queued)));
        }
        transaction.Commit();
        return added;
    }

    /// <summary>Notes the queue's job id of a unit that is (again) waiting in the queue.</summary>
    public void SetQueued(UnitKey unit, string jobId) =>
        Run(c => Execute(c, null, $"UPDATE units SET state = @s, job_id = @j, error = NULL WHERE {UnitWhere} AND state <> @done",
            Key(unit, ("s", UnitState.Queued), ("j", jobId), ("done", UnitState.Done))));

    /// <summary>
    /// Marks a unit as taken by <paramref name="worker"/> and counts the attempt; returns false when it is done
    /// already (a second delivery after a lost lease), so the caller skips it.
    /// </summary>
    public bool StartUnit(UnitKey unit, string worker, string started) =>
        Run(c => Execute(c, null,
            $"UPDATE units SET state = @s, attempts = attempts + 1, worker = @w, started = @t, finished = NULL, error = NULL WHERE {UnitWhere} AND state <> @done",
            Key(unit, ("s", UnitState.Running), ("w", worker), ("t", started), ("done", UnitState.Done)))) == 1;

    /// <summary>Puts a unit a stopping worker gave up back to queued (the queue delivers it again).</summary>
    public void ReleaseUnit(UnitKey unit, string worker) =>
        Run(c => Execute(c, null, $"UPDATE units SET state = @s WHERE {UnitWhere} AND state = @running AND worker = @w",
            Key(unit, ("s", UnitState.Queued), ("running", UnitState.Running), ("w", worker))));

    /// <summary>
    /// Records a finished unit, the machine that ran it (this process's, <see cref="ThisMachine"/>) and its metrics in
    /// one transaction, unless it is done already (then nothing changes and false is returned: the first finished result stays).
    /// </summary>
    /// <param name="losses">The training loss of each epoch (step 1, 2, ...).</param>
    /// <param name="lossEvery">Record the loss of epochs N, 2N, ... and the last only (the <c>loss_every</c> setting); 1 records every epoch.</param>
    public bool CompleteUnit(UnitKey unit, int configIndex, RepeatResult result, IReadOnlyList<double> losses, string worker, string started, string finished, int lossEvery = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lossEvery, 1);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(losses);
        var metrics = new List<(string, int, double)> { ("rmse", 0, result.Rmse), ("mae", 0, result.Mae) };
        if (result.Mape is double mape)
            metrics.Add(("mape", 0, mape));
        metrics.Add(("seconds", 0, result.Seconds));
        metrics.AddRange(losses.Select((l, i) => ("loss", i + 1, l)).Where(m => m.Item2 % lossEvery == 0 || m.Item2 == losses.Count));
        metrics.AddRange(result.Predictions.Select((p, i) => ("prediction", i, p)));
        return CompleteUnit(unit, configIndex, result.Seed, result.SettingsHash, metrics, worker, started, finished);
    }

    /// <summary>
    /// Records a finished unit with any metrics (name, step, value), as <see cref="CompleteUnit(UnitKey, int, RepeatResult, IReadOnlyList{double}, string, string, string, int)"/>
    /// does for a forecast repeat: in one transaction, unless it is done already (then false: the first result stays).
    /// </summary>
    public bool CompleteUnit(UnitKey unit, int configIndex, long seed, string settingsHash, IReadOnlyList<(string Name, int Step, double Value)> metrics,
        string worker, string started, string finished)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        using DbConnection connection = OpenConnection();
        using DbTransaction transaction = connection.BeginTransaction();
        int changed = Execute(connection, transaction,
            "INSERT INTO units (experiment_id, configuration, repeat, config_index, seed, settings_hash, state, attempts, worker, started, finished, machine) " +
            "VALUES (@e, @c, @r, @ci, @seed, @hash, @done, 1, @w, @st, @fi, @m) " +
            "ON CONFLICT (experiment_id, configuration, repeat) DO UPDATE SET state = @done, " +
            "attempts = CASE WHEN units.state = @running THEN units.attempts ELSE units.attempts + 1 END, " +
            "worker = excluded.worker, started = excluded.started, finished = excluded.finished, error = NULL, machine = excluded.machine " +
            "WHERE units.state <> @done",
            Key(unit, ("ci", (long)configIndex), ("seed", seed), ("hash", settingsHash), ("done", UnitState.Done), ("running", UnitState.Running),
                ("w", worker), ("st", started), ("fi", finished), ("m", ThisMachine)));
        if (changed != 1)
        {
            transaction.Rollback();
            return false;
        }
        InsertMetrics(connection, transaction, unit, metrics);
        transaction.Commit();
        return true;
    }

    /// <summary>Records a unit that ended with an error (its reason kept) on this machine (<see cref="ThisMachine"/>), unless it is done already.</summary>
    public void FailUnit(UnitKey unit, int configIndex, long seed, string settingsHash, string error, string worker, string? started, string finished) =>
        Run(c => Execute(c, null,
            "INSERT INTO units (experiment_id, configuration, repeat, config_index, seed, settings_hash, state, attempts, worker, started, finished, error, machine) " +
            "VALUES (@e, @c, @r, @ci, @seed, @hash, @failed, 1, @w, @st, @fi, @err, @m) " +
            "ON CONFLICT (experiment_id, configuration, repeat) DO UPDATE SET state = @failed, " +
            "attempts = CASE WHEN units.state = @running THEN units.attempts ELSE units.attempts + 1 END, " +
            "worker = excluded.worker, started = COALESCE(excluded.started, units.started), finished = excluded.finished, error = excluded.error, machine = excluded.machine " +
            "WHERE units.state <> @done",
            Key(unit, ("ci", (long)configIndex), ("seed", seed), ("hash", settingsHash), ("failed", UnitState.Failed), ("running", UnitState.Running),
                ("done", UnitState.Done), ("w", worker), ("st", started), ("fi", finished), ("err", error), ("m", ThisMachine))));

    /// <summary>One unit, or null when the experiment has no such unit.</summary>
    public UnitRecord? Unit(UnitKey unit)
    {
        using DbConnection connection = OpenConnection();
        using DbCommand command = Command(connection, null, "SELECT " + Columns("units") + $" FROM units WHERE {UnitWhere}", Key(unit));
        return ReadUnits(command).FirstOrDefault();
    }

    /// <summary>Every unit of an experiment, in configuration order, then repeat.</summary>
    public IReadOnlyList<UnitRecord> Units(string experimentId)
    {
        using DbConnection connection = OpenConnection();
        using DbCommand command = Command(connection, null, "SELECT " + Columns("units") + " FROM units WHERE experiment_id = @e ORDER BY config_index, repeat", ("e", experimentId));
        return ReadUnits(command);
    }

    private static List<UnitRecord> ReadUnits(DbCommand command)
    {
        using DbDataReader r = command.ExecuteReader();
        var list = new List<UnitRecord>();
        while (r.Read())
        {
            list.Add(new UnitRecord(r.GetString(0), r.GetString(1), (int)r.GetInt64(2), (int)r.GetInt64(3), r.GetInt64(4), r.GetString(5), r.GetString(6),
                (int)r.GetInt64(7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12)));
        }
        return list;
    }

    /// <summary>Counts by state and the timing of an experiment's units.</summary>
    public UnitCounts Counts(string experimentId)
    {
        IReadOnlyList<UnitRecord> units = Units(experimentId);
        static DateTimeOffset? Time(string? s) => s is null ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var started = units.Select(u => Time(u.Started)).Where(t => t is not null).ToArray();
        var ended = units.Where(u => u.State is UnitState.Done or UnitState.Failed).Select(u => Time(u.Finished)).Where(t => t is not null).ToArray();
        var spans = units.Where(u => u.State == UnitState.Done && u.Started is not null && u.Finished is not null)
            .Select(u => (Time(u.Finished)!.Value - Time(u.Started)!.Value).TotalSeconds).ToArray();
        double? train;
        using (DbConnection connection = OpenConnection())
        using (DbCommand command = Command(connection, null, "SELECT AVG(value) FROM metrics WHERE experiment_id = @e AND name = 'seconds'", ("e", experimentId)))
        {
            object? value = command.ExecuteScalar();
            train = value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        return new UnitCounts(
            units.Count(u => u.State == UnitState.Queued), units.Count(u => u.State == UnitState.Running),
            units.Count(u => u.State == UnitState.Done), units.Count(u => u.State == UnitState.Failed),
            started.Length > 0 ? started.Min() : null, ended.Length > 0 ? ended.Max() : null,
            train, spans.Length > 0 ? spans.Average() : null);
    }

    /// <summary>Records a file kept beside the store (its size and SHA-256), replacing an earlier record of that name.</summary>
    /// <param name="file">The file to read.</param>
    /// <param name="path">The path recorded (relative to the store's folder for a local run).</param>
    public void PutArtifact(string experimentId, string name, string file, string path)
    {
        byte[] bytes = File.ReadAllBytes(file);
        string sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        Run(c => Execute(c, null,
            "INSERT INTO artifacts (experiment_id, name, path, bytes, sha256, created) VALUES (@e, @n, @p, @b, @h, @t) " +
            "ON CONFLICT (experiment_id, name) DO UPDATE SET path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256, created = excluded.created",
            ("e", experimentId), ("n", name), ("p", path), ("b", (long)bytes.Length), ("h", sha), ("t", Now())));
    }

    /// <summary>
    /// The rows of one table that belong to an experiment, as .NET values by <see cref="ColumnKind"/> (string,
    /// long, double; null for SQL NULL; a metric SQLite stored as NULL is NaN).
    /// </summary>
    public IReadOnlyList<object?[]> Rows(string table, string experimentId)
    {
        StoreTable t = StoreSchema.Table(table);
        string key = table == "experiments" ? "id" : "experiment_id";
        string order = string.Join(", ", t.Key);
        using DbConnection connection = OpenConnection();
        using DbCommand command = Command(connection, null, $"SELECT {Columns(table)} FROM {table} WHERE {key} = @e ORDER BY {order}", ("e", experimentId));
        using DbDataReader r = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[t.Columns.Count];
            for (int i = 0; i < row.Length; i++)
            {
                ColumnKind kind = t.Columns[i].Kind;
                if (r.IsDBNull(i))
                    row[i] = kind == ColumnKind.Real && table == "metrics" ? double.NaN : null;
                else
                    row[i] = kind switch { ColumnKind.Text => r.GetString(i), ColumnKind.Integer => r.GetInt64(i), _ => r.GetDouble(i) };
            }
            rows.Add(row);
        }
        return rows;
    }

    private T Run<T>(Func<DbConnection, T> body)
    {
        using DbConnection connection = OpenConnection();
        return body(connection);
    }
}
