using Xunit;

namespace LstmLab.Cli.Tests;

[Collection("Console")]
public sealed class StoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-store-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    // Provenance (hand): 4 repeats × 6 epochs of loss rows, as the test's experiment asks.
    [Fact]
    public void A_local_run_records_into_results_db_and_report_status_and_export_read_it_back()
    {
        string file = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(file, "name: tiny\ndescription: store round trip\ndata: shampoo\nrepeats: 2\nseed: 9\nbase:\n  epochs: 5\nconfigurations:\n  a: {}\n  b: { stateful: false }\n");
        string output = Path.Combine(_dir, "run");
        (int code, _, string stderr) = CliRunner.Run("experiment", "run", file, "--out", output, "--epochs", "6");
        Assert.True(code == 0, stderr);
        string db = Path.Combine(output, "results.db");
        Assert.True(File.Exists(db));

        string report = Path.Combine(_dir, "report");
        (code, _, stderr) = CliRunner.Run("experiment", "report", "tiny", "--store", db, "--out", report);
        Assert.True(code == 0, stderr);
        foreach (string written in Directory.GetFiles(report))
        {
            string name = Path.GetFileName(written);
            if (name == "provenance.json")
                continue;
            if (name is "report.md" or "report.html")
                Assert.Equal(WithoutProvenance(name, File.ReadAllText(Path.Combine(output, name))), WithoutProvenance(name, File.ReadAllText(written)));
            else
                Assert.True(File.ReadAllBytes(written).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, name))), $"{name} written from the store differs from the run's");
        }
        // The report from the store writes every file of the local run but the store itself and the run's own
        // bookkeeping (its manifest and folder lock), which belong to the folder a run writes into.
        string[] runOnly = [LstmLab.Experiments.Store.LocalStoreRun.FileName, LstmLab.Experiments.Harness.RepeatRunner.ManifestFileName,
            LstmLab.Experiments.Harness.ResultsFolder.LockFileName];
        Assert.Equal(
            Directory.GetFiles(output).Select(Path.GetFileName).Where(n => !runOnly.Contains(n) && !n!.StartsWith("results.db-", StringComparison.Ordinal)).Order(),
            Directory.GetFiles(report).Select(Path.GetFileName).Order());

        (code, string stdout, stderr) = CliRunner.Run("experiment", "status", "tiny", "--store", db);
        Assert.True(code == 0, stderr);
        Assert.Contains("done 4, running 0, failed 0, queued 0", stdout);
        Assert.Contains("finished", stdout);

        string export = Path.Combine(_dir, "export");
        (code, stdout, stderr) = CliRunner.Run("experiment", "export", "tiny", "--store", db, "--out", export);
        Assert.True(code == 0, stderr);
        Assert.Equal(8, Directory.GetFiles(export).Length);
        // The --epochs override is part of the experiment: 6 losses per unit.
        Assert.Equal(4 * 6, File.ReadAllLines(Path.Combine(export, "metrics.csv")).Count(l => l.Contains(",loss,", StringComparison.Ordinal)));
        Assert.Contains("report.html", File.ReadAllText(Path.Combine(export, "artifacts.csv")));
    }

    [Theory]
    [InlineData("experiment", "status", "nothing")]
    [InlineData("experiment", "report", "nothing", "--out", "x")]
    public void A_missing_store_is_one_error_line(params string[] args)
    {
        string? before = Environment.GetEnvironmentVariable("LSTMLAB_STORE");
        Environment.SetEnvironmentVariable("LSTMLAB_STORE", null);
        try
        {
            (int code, _, string stderr) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("error: --store", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LSTMLAB_STORE", before);
        }
    }

    [Fact]
    public void Workers_and_submit_refuse_a_sqlite_store_and_an_unknown_experiment_is_named()
    {
        string db = Path.Combine(_dir, "results.db");
        File.WriteAllText(Path.Combine(_dir, "e.yaml"), "name: e\nconfigurations:\n  a: {}\n");
        (int code, _, string stderr) = CliRunner.Run("experiment", "submit", Path.Combine(_dir, "e.yaml"), "--store", db);
        Assert.Equal(2, code);
        Assert.Contains("is a SQLite file; workers share a PostgreSQL store", stderr);
        (code, _, stderr) = CliRunner.Run("worker", "--store", db);
        Assert.Equal(2, code);
        Assert.Contains("PostgreSQL", stderr);
        Assert.False(File.Exists(db), "a refused --store must not be created");
        LstmLab.Experiments.Store.ResultsStore.Open(db).Dispose();
        (code, _, stderr) = CliRunner.Run("experiment", "status", "nope", "--store", db);
        Assert.Equal(2, code);
        Assert.Contains("No experiment 'nope'", stderr);
    }

    /// <summary>
    /// A report file without its provenance (the "What produced this report" block and provenance.json say
    /// when, where and from which path the report was written, which two runs never share).
    /// </summary>
    private static string WithoutProvenance(string name, string text)
    {
        if (name.EndsWith(".md", StringComparison.Ordinal))
            return System.Text.RegularExpressions.Regex.Replace(text, "## What produced this report.*?(?=\n## )", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (name.EndsWith(".html", StringComparison.Ordinal))
            return System.Text.RegularExpressions.Regex.Replace(text, "<h2>What produced this report</h2>.*?(?=<h2>)", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        return text;
    }
}
