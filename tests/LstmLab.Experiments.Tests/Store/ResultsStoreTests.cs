using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;
using Microsoft.Data.Sqlite;
using Parquet.Serialization;
using Xunit;

namespace LstmLab.Experiments.Tests.Store;

// Provenance (whole file) (hand): every value is one the test stored and reads back (round trip), or a count of what
// it stored (4 repeats × 4 epochs); the ETA restates the units left and the rate the test sets up.

public sealed class ResultsStoreTests : IDisposable
{
    private const string Yaml = "name: tiny\ndata: shampoo\nrepeats: 2\nseed: 3\nbase:\n  epochs: 4\nconfigurations:\n  a: {}\n  b: { stateful: false }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-store-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_schema_is_created_versioned_in_wal_mode_and_a_newer_one_is_refused()
    {
        string path = Path.Combine(_dir, "results.db");
        using (ResultsStore store = ResultsStore.Open(path))
            Assert.Equal(StoreSchema.Version, store.SchemaVersion());
        using (ResultsStore again = ResultsStore.Open(path))
            Assert.Equal(StoreSchema.Version, again.SchemaVersion());
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string)mode.ExecuteScalar()!);
            using SqliteCommand tables = connection.CreateCommand();
            tables.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)";
            Assert.Equal("artifacts,experiments,lstmlab_schema,metrics,units", (string)tables.ExecuteScalar()!);
            using SqliteCommand newer = connection.CreateCommand();
            newer.CommandText = $"UPDATE lstmlab_schema SET version = {StoreSchema.Version + 1}";
            newer.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<InvalidDataException>(() => ResultsStore.Open(path));
        Assert.Contains("newer than this LstmLab's", e.Message);
    }

    [Fact]
    public void A_unit_recorded_twice_keeps_the_first_result_and_its_metrics_once()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, Yaml).Record;
        using ResultsStore store = ResultsStore.Open(Path.Combine(_dir, "results.db"));
        Assert.True(store.PutExperiment(record));
        Assert.False(store.PutExperiment(record));
        var key = new UnitKey(record.Id, "a", 0);
        var first = new RepeatResult("a", 0, 11, 1.5, 1.25, null, 0.5, [10.0, 20.0], "h");
        Assert.True(store.CompleteUnit(key, 0, first, [0.5, double.NaN, 0.25], "w1", ResultsStore.Now(), ResultsStore.Now()));
        Assert.False(store.CompleteUnit(key, 0, first with { Rmse = 99 }, [7], "w2", ResultsStore.Now(), ResultsStore.Now()));
        store.FailUnit(key, 0, 11, "h", "late failure", "w3", null, ResultsStore.Now());

        RepeatResult back = Assert.Single(store.Results(record.Id));
        Assert.Equal(1.5, back.Rmse);
        Assert.Null(back.Mape);
        Assert.Equal([10.0, 20.0], back.Predictions);
        UnitRecord unit = Assert.Single(store.Units(record.Id));
        Assert.Equal((UnitState.Done, 1, "w1", null), (unit.State, unit.Attempts, unit.Worker, unit.Error));
        var losses = store.Rows("metrics", record.Id).Where(r => (string)r[3]! == "loss").Select(r => (double)r[5]!).ToArray();
        Assert.Equal(3, losses.Length);
        Assert.True(double.IsNaN(losses[1]), "NaN survives SQLite (which stores it as NULL)");
    }

    [Fact]
    public void A_failed_unit_keeps_its_reason_and_a_later_success_replaces_it()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, Yaml).Record;
        using ResultsStore store = ResultsStore.Open(Path.Combine(_dir, "results.db"));
        store.PutExperiment(record);
        var key = new UnitKey(record.Id, "b", 1);
        store.FailUnit(key, 1, 5, "h", "diverged at epoch 3", "w1", ResultsStore.Now(), ResultsStore.Now());
        Assert.Equal(("failed", "diverged at epoch 3"), (store.Unit(key)!.State, store.Unit(key)!.Error));
        Assert.Equal(1, store.Counts(record.Id).Failed);
        Assert.True(store.CompleteUnit(key, 1, new RepeatResult("b", 1, 5, 2, 2, 3, 1, [], "h"), [], "w2", ResultsStore.Now(), ResultsStore.Now()));
        UnitRecord unit = store.Unit(key)!;
        Assert.Equal((UnitState.Done, 2, null), (unit.State, unit.Attempts, unit.Error));
    }

    [Fact]
    public void The_identity_follows_the_content_not_the_path()
    {
        string csv = Path.Combine(_dir, "series.csv");
        File.WriteAllLines(csv, ["month,sales", .. Enumerable.Range(0, 30).Select(i => $"m{i},{100 + i * 3 + i % 4}")]);
        string yaml = "name: csv\ndata: series.csv\nrepeats: 2\nbase:\n  epochs: 3\n  test: 6\nconfigurations:\n  a: {}\n";
        string Id(string text) => ExperimentIdentity.Describe(ExperimentFile.Parse(text, "csv.yaml", _dir), text).Record.Id;
        string original = Id(yaml);
        Assert.Equal(original, Id(yaml + "# a comment changes nothing that matters\n"));
        Assert.NotEqual(original, Id(yaml.Replace("epochs: 3", "epochs: 4", StringComparison.Ordinal)));
        Assert.NotEqual(original, Id(yaml.Replace("data: series.csv\n", "data: series.csv\ndate_column: month\n", StringComparison.Ordinal)));
        File.AppendAllText(csv, "m30,999\n");
        Assert.NotEqual(original, Id(yaml));
    }

    [Fact]
    public void A_local_run_through_the_store_returns_what_the_runner_computes_and_resumes_from_the_repeat_files()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        IReadOnlyList<RepeatResult> plain = RepeatRunner.Run(experiment, new RunSettings(Path.Combine(_dir, "plain"), 2));
        string output = Path.Combine(_dir, "stored");
        IReadOnlyList<RepeatResult> stored = LocalStoreRun.Run(experiment, new RunSettings(output, 2));
        Assert.Equal(plain.Select(r => (r.Configuration, r.Repeat, r.Seed, r.Rmse, r.Mae, r.Mape)), stored.Select(r => (r.Configuration, r.Repeat, r.Seed, r.Rmse, r.Mae, r.Mape)));
        Assert.Equal(plain.Select(r => r.Predictions), stored.Select(r => r.Predictions));

        string id = ExperimentIdentity.Describe(experiment).Record.Id;
        using (ResultsStore store = ResultsStore.Open(Path.Combine(output, LocalStoreRun.FileName)))
            Assert.Equal(4 * 4, store.Rows("metrics", id).Count(r => (string)r[3]! == "loss"));

        // A store lost (or a repeat killed between its file and the store) is rebuilt from the repeat files, without training again.
        SqliteConnection.ClearAllPools();
        File.Delete(Path.Combine(output, LocalStoreRun.FileName));
        int trained = 0;
        IReadOnlyList<RepeatResult> resumed = LocalStoreRun.Run(experiment, new RunSettings(output, 2), _ => Interlocked.Increment(ref trained));
        Assert.Equal(0, trained);
        Assert.Equal(stored.Select(r => r.Rmse), resumed.Select(r => r.Rmse));
    }

    [Fact]
    public async Task Export_writes_every_table_as_csv_and_parquet_that_read_back()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        string output = Path.Combine(_dir, "run");
        LocalStoreRun.Run(experiment, new RunSettings(output, 2));
        string id = ExperimentIdentity.Describe(experiment).Record.Id;
        using ResultsStore store = ResultsStore.Open(Path.Combine(output, LocalStoreRun.FileName));
        IReadOnlyList<string> files = StoreExport.Write(store, id, Path.Combine(_dir, "export"));
        Assert.Equal(8, files.Count);
        string[] units = File.ReadAllLines(Path.Combine(_dir, "export", "units.csv"));
        Assert.Equal(5, units.Length);
        Assert.StartsWith("experiment_id,configuration,repeat,", units[0], StringComparison.Ordinal);

        await using FileStream stream = File.OpenRead(Path.Combine(_dir, "export", "metrics.parquet"));
        var table = await ParquetSerializer.DeserializeUntypedAsync(stream);
        var rows = table.Data;
        Assert.Equal(store.Rows("metrics", id).Count, rows.Count);
        double rmse = store.Results(id)[0].Rmse;
        Assert.Contains(rows, r => (string)r["name"]! == "rmse" && (double)r["value"]! == rmse);
    }
}

public sealed class StatusTextTests
{
    [Fact]
    public void Status_shows_counts_a_bar_and_an_eta_from_the_rate_so_far()
    {
        var experiment = new ExperimentRecord("abc", "grid", null, "", null, "", "grid.yaml", ["a", "b"], 4, 1, "shampoo", null, "", "", "");
        DateTimeOffset now = DateTimeOffset.Parse("2026-01-01T00:01:00Z", System.Globalization.CultureInfo.InvariantCulture);
        // 4 of 8 units ended in the 60 s since the first start: 4 per minute, so the other 4 take 60 s.
        var counts = new UnitCounts(3, 1, 3, 1, now.AddSeconds(-60), now.AddSeconds(-1), 1.0, 1.2);
        string text = StatusText.Of(experiment, counts, now, width: 10);
        Assert.Contains("[#####-----] 4/8 (50 %)", text);
        Assert.Contains("done 3, running 1, failed 1, queued 3", text);
        Assert.Contains("ETA 00:01:00 at 4.0 units/min", text);
        Assert.Contains("ETA: unknown until a unit ends", StatusText.Of(experiment, counts with { Done = 0, Failed = 0, LastFinished = null }, now));
        Assert.StartsWith("finished: 1 unit(s) failed", StatusText.Eta(counts with { Queued = 0, Running = 0 }, now), StringComparison.Ordinal);
    }
}
