using LstmLab.Experiments.Store;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary>
/// <c>--store</c> on forecast, backtest, run memory, run echo and run long-lag: each run is recorded as an experiment
/// (name = the command, its settings, data hash, tool version) with one unit per trial and its metrics; running the
/// same command again adds nothing, a changed setting is another experiment.
/// </summary>
[Collection("Console")]
public sealed class CommandStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-command-store-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db(string name) => Path.Combine(_dir, name, "runs.db");

    private static void Ok(params string[] args)
    {
        (int code, _, string stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("Recorded ", stderr, StringComparison.Ordinal);
    }

    private static Dictionary<(string Unit, string Name, long Step), double> Metrics(ResultsStore store, string id) =>
        store.Rows("metrics", id).ToDictionary(r => ($"{r[1]}#{r[2]}", (string)r[3]!, (long)r[4]!), r => (double)r[5]!);

    // Provenance (hand): 7 epochs give 7 loss steps; 3 trials give 3 units with seeds 5, 6, 7 (seed, seed + 1, ...);
    // copy-memory at T = 30 is not solved in 2 sequences (its criterion needs far more training), and trains exactly the 2 allowed.
    [Fact]
    public void Run_echo_and_run_memory_record_one_unit_per_trial_with_final_and_per_epoch_metrics()
    {
        string db = Db("recipes");
        Ok("run", "echo", "--epochs", "7", "--length", "10", "--alphabet", "10", "--units", "4", "--trials", "3", "--seed", "5", "--store", db);
        Ok("run", "memory", "--epochs", "7", "--units", "4", "--store", db);
        using ResultsStore store = ResultsStore.Open(db);
        ExperimentRecord echo = store.FindExperiment("run-echo");
        Assert.Contains("--epochs 7", echo.Definition, StringComparison.Ordinal);
        Assert.Contains("--trials 3", echo.Definition, StringComparison.Ordinal);
        Assert.Equal(ExperimentIdentity.ToolVersion, echo.ToolVersion);
        IReadOnlyList<UnitRecord> units = store.Units(echo.Id);
        Assert.Equal([(0, 5L), (1, 6L), (2, 7L)], units.Select(u => (u.Repeat, u.Seed)));
        Assert.All(units, u => Assert.Equal(UnitState.Done, u.State));
        var m = Metrics(store, echo.Id);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(7, m.Keys.Count(k => k.Unit == $"run#{t}" && k.Name == "loss"));
            Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), m.Keys.Where(k => k.Unit == $"run#{t}" && k.Name == "loss").Select(k => k.Step).Order());
            double correct = m[($"run#{t}", "correct", 0)], total = m[($"run#{t}", "total", 0)];
            Assert.Equal(correct / total, m[($"run#{t}", "accuracy", 0)], 12);
            Assert.Equal(correct == total ? 1 : 0, m[($"run#{t}", "solved", 0)]);
            Assert.True(m.ContainsKey(($"run#{t}", "seconds", 0)));
        }

        Ok("run", "long-lag", "--task", "copy-memory", "--T", "30", "--max-sequences", "2", "--trials", "2", "--store", db);
        ExperimentRecord longLag = store.FindExperiment("run-long-lag");
        var lm = Metrics(store, longLag.Id);
        Assert.Equal(2, store.Units(longLag.Id).Count);
        Assert.Equal([2.0, 2.0], [lm[("run#0", "sequences", 0)], lm[("run#1", "sequences", 0)]]);
        Assert.Equal(0, lm[("run#0", "solved", 0)]);

        ExperimentRecord memory = store.FindExperiment("run-memory");
        Assert.Single(store.Units(memory.Id));
        // Read back with status and export; a repeats report of a command run is refused with one clear line.
        (int code, string stdout, string stderr) = CliRunner.Run("experiment", "status", "run-memory", "--store", db);
        Assert.True(code == 0, stderr);
        Assert.Contains("done 1, running 0, failed 0, queued 0", stdout, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("experiment", "report", "run-memory", "--store", db, "--out", Path.Combine(_dir, "no-report"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: run-memory@", stderr, StringComparison.Ordinal);
        Assert.Contains("not an experiment file", stderr, StringComparison.Ordinal);
        var mm = Metrics(store, memory.Id);
        Assert.Equal(7, mm.Keys.Count(k => k.Name == "loss"));
        Assert.Equal(mm[("run#0", "correct", 0)] / mm[("run#0", "total", 0)], mm[("run#0", "accuracy", 0)], 12);
    }

    [Fact]
    public void A_forecast_and_a_backtest_record_their_metrics_and_a_second_identical_run_does_not_mix_with_a_changed_one()
    {
        string db = Db("forecast");
        Ok("forecast", "--epochs", "6", "--store", db);
        using (ResultsStore store = ResultsStore.Open(db))
        {
            ExperimentRecord first = store.FindExperiment("forecast");
            Assert.Equal(LstmLab.Experiments.Store.ExperimentIdentity.DataHash(LstmLab.Data.Datasets.ShampooSales()), first.DataHash);
            Assert.Equal("shampoo", first.DataName);
            var m = Metrics(store, first.Id);
            // Provenance (hand): the run the test starts trains for 6 epochs, so its loss curve has 6 points.
            Assert.Equal(6, m.Keys.Count(k => k.Name == "loss"));
            // Provenance (cited): 136.761, the tutorial's persistence RMSE (../shared/seeds/001).
            Assert.Equal(136.761, m[("run#0", "naive_rmse", 0)], 3);
            Assert.Equal(136.761, m[("run#0", "persistence_rmse", 0)], 3);
            Assert.True(m[("run#0", "rmse", 0)] > 0);
        }
        // The same command again: the same experiment, still one unit with 6 losses (the first result stays).
        Ok("forecast", "--epochs", "6", "--store", db);
        // With LSTMLAB_STORE instead of --store, and one setting changed: a new experiment beside the first.
        string? before = Environment.GetEnvironmentVariable(ResultsStore.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ResultsStore.EnvironmentVariable, db);
        try
        {
            Ok("forecast", "--epochs", "7");
            Ok("backtest", "--epochs", "3", "--horizon", "3", "--windows", "2");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ResultsStore.EnvironmentVariable, before);
        }
        using (ResultsStore store = ResultsStore.Open(db))
        {
            IReadOnlyList<ExperimentRecord> versions = store.Versions("forecast");
            Assert.Equal(2, versions.Count);
            Assert.NotEqual(versions[0].Id, versions[1].Id);
            Assert.All(versions, v => Assert.Single(store.Units(v.Id)));
            Assert.Equal([6, 7], versions.Select(v => Metrics(store, v.Id).Keys.Count(k => k.Name == "loss")).Order());
            ExperimentRecord backtest = store.FindExperiment("backtest");
            var b = Metrics(store, backtest.Id);
            foreach (string name in new[] { "rmse", "mae", "mase", "naive_rmse", "seasonal_naive_rmse", "drift_rmse", "mean_rmse", "seconds" })
                Assert.True(b.ContainsKey(("run#0", name, 0)), name);
        }
        // Without --store and LSTMLAB_STORE nothing is recorded.
        Environment.SetEnvironmentVariable(ResultsStore.EnvironmentVariable, null);
        try
        {
            (int code, _, string stderr) = CliRunner.Run("forecast", "--persistence");
            Assert.Equal(0, code);
            Assert.DoesNotContain("Recorded", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ResultsStore.EnvironmentVariable, before);
        }
    }

    [Theory]
    [InlineData("run", "memory", "--epochs", "3")]
    [InlineData("forecast", "--epochs", "3")]
    public void A_store_that_is_not_a_database_is_refused_before_training_with_one_error_line(params string[] args)
    {
        string notDb = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(notDb, "not a database\n");
        (int code, string stdout, string stderr) = CliRunner.Run([.. args, "--store", notDb]);
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + notDb + ": not a SQLite results store", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Epoch", stdout, StringComparison.Ordinal);
        Assert.Equal("not a database\n", File.ReadAllText(notDb));
    }
}
