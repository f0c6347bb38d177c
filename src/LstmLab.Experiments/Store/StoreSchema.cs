using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Store;

/// <summary>The kind of value a column holds: TEXT, BIGINT or DOUBLE PRECISION in both SQLite and PostgreSQL.</summary>
public enum ColumnKind
{
    /// <summary>Text (TEXT).</summary>
    Text,

    /// <summary>A 64-bit whole number (BIGINT).</summary>
    Integer,

    /// <summary>An IEEE 754 double (DOUBLE PRECISION).</summary>
    Real,
}

/// <summary>One column of a store table.</summary>
/// <param name="Since">The schema version that added it (a later one is added by an <c>ALTER TABLE</c> in <see cref="StoreSchema.Migrations"/>).</param>
public sealed record StoreColumn(string Name, ColumnKind Kind, bool NotNull = false, int Since = 1);

/// <summary>One table of the store: its columns and its primary key.</summary>
public sealed record StoreTable(string Name, IReadOnlyList<StoreColumn> Columns, IReadOnlyList<string> Key);

/// <summary>
/// The one schema of the results store, the same in SQLite and PostgreSQL (only TEXT, BIGINT and DOUBLE
/// PRECISION columns, natural primary keys, no generated ids), MLflow-like:
/// <list type="bullet">
/// <item><c>experiments</c>: one row per distinct experiment (name, definition, content hash of its data, tool version).</item>
/// <item><c>units</c>: one row per (experiment, configuration, repeat): seed, state (queued, running, done, failed), attempts, worker, started, finished, error,
/// and (since version 2) the machine that produced the result (its <c>MachineInfo</c> as JSON: CPU, cores, OS, runtime, instruction sets).</item>
/// <item><c>metrics</c>: (unit, name, step, value): rmse, mae, mape and seconds at step 0, the training loss by epoch, each forecast by test step.</item>
/// <item><c>artifacts</c>: files kept beside the store (report, plots), by name, with their size and SHA-256.</item>
/// </list>
/// The version lives in <c>lstmlab_schema</c>; <see cref="Migrations"/> brings any older store up to <see cref="Version"/>.
/// </summary>
public static class StoreSchema
{
    /// <summary>The schema version this build writes.</summary>
    public const int Version = 2;

    private static readonly StoreColumn[] UnitKey =
    [
        new("experiment_id", ColumnKind.Text, true),
        new("configuration", ColumnKind.Text, true),
        new("repeat", ColumnKind.Integer, true),
    ];

    /// <summary>The tables, in the order they are created and exported.</summary>
    public static IReadOnlyList<StoreTable> Tables { get; } =
    [
        new("experiments",
        [
            new("id", ColumnKind.Text, true),
            new("name", ColumnKind.Text, true),
            new("description", ColumnKind.Text),
            new("definition", ColumnKind.Text, true),
            new("overrides", ColumnKind.Text),
            new("canonical", ColumnKind.Text, true),
            new("source", ColumnKind.Text, true),
            new("configurations", ColumnKind.Text, true),
            new("repeats", ColumnKind.Integer, true),
            new("seed", ColumnKind.Integer, true),
            new("data_name", ColumnKind.Text, true),
            new("data_content", ColumnKind.Text),
            new("data_hash", ColumnKind.Text, true),
            new("tool_version", ColumnKind.Text, true),
            new("created", ColumnKind.Text, true),
        ], ["id"]),
        new("units",
        [
            .. UnitKey,
            new("config_index", ColumnKind.Integer, true),
            new("seed", ColumnKind.Integer, true),
            new("settings_hash", ColumnKind.Text, true),
            new("state", ColumnKind.Text, true),
            new("attempts", ColumnKind.Integer, true),
            new("worker", ColumnKind.Text),
            new("job_id", ColumnKind.Text),
            new("started", ColumnKind.Text),
            new("finished", ColumnKind.Text),
            new("error", ColumnKind.Text),
            new("machine", ColumnKind.Text, Since: 2),
        ], ["experiment_id", "configuration", "repeat"]),
        new("metrics",
        [
            .. UnitKey,
            new("name", ColumnKind.Text, true),
            new("step", ColumnKind.Integer, true),
            new("value", ColumnKind.Real),
        ], ["experiment_id", "configuration", "repeat", "name", "step"]),
        new("artifacts",
        [
            new("experiment_id", ColumnKind.Text, true),
            new("name", ColumnKind.Text, true),
            new("path", ColumnKind.Text, true),
            new("bytes", ColumnKind.Integer, true),
            new("sha256", ColumnKind.Text, true),
            new("created", ColumnKind.Text, true),
        ], ["experiment_id", "name"]),
    ];

    /// <summary>The statements that take a store from version <c>v - 1</c> to <c>v</c>, by <c>v</c>.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> Migrations { get; } = new Dictionary<int, IReadOnlyList<string>>
    {
        [1] =
        [
            .. Tables.Select(t => CreateTable(t with { Columns = [.. t.Columns.Where(c => c.Since == 1)] })),
            "CREATE INDEX IF NOT EXISTS experiments_by_name ON experiments (name, created)",
            "CREATE INDEX IF NOT EXISTS units_by_state ON units (experiment_id, state)",
        ],
        [2] = ["ALTER TABLE units ADD COLUMN machine TEXT"],
    };

    /// <summary>The table that holds the schema version (one row).</summary>
    public const string VersionTable = "lstmlab_schema";

    /// <summary>A table by name.</summary>
    public static StoreTable Table(string name) => Tables.Single(t => t.Name == name);

    private static string CreateTable(StoreTable table)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {table.Name} (");
        foreach (StoreColumn c in table.Columns)
        {
            string type = c.Kind switch
            {
                ColumnKind.Text => "TEXT",
                ColumnKind.Integer => "BIGINT",
                _ => "DOUBLE PRECISION",
            };
            sb.Append(CultureInfo.InvariantCulture, $"{c.Name} {type}{(c.NotNull ? " NOT NULL" : "")}, ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"PRIMARY KEY ({string.Join(", ", table.Key)}))");
        return sb.ToString();
    }
}
