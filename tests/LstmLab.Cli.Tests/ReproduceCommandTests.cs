using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

[Collection("Console")]
public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-reproduce-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Provenance (hand): items of the plan the test passes: 2 memory + 2 MLP + 2 repeats × 9 seed-001 configurations
    // + 3 echo variants × 2 + 1 long-sequence trial.
    [Fact]
    public void Reproduce_writes_one_report_prints_the_headlines_and_resumes()
    {
        // Every section, with a small share of the default work (the test build is not optimised).
        string output = Path.Combine(_dir, "reproduce");
        string[] small = ["reproduce", "--trials", "2", "--repeats", "2", "--memory-epochs", "30", "--shampoo-epochs", "10", "--echo-epochs", "20", "--long-trials", "1", "--long-epochs", "10", "--out", output, "--json"];
        (int code, string stdout, string stderr) = CliRunner.Run(small);
        Assert.True(code == 0, stderr);
        Assert.Contains("reproduce [", stderr);
        Assert.Contains("seed 000: LSTM, all 8 steps right", stdout);
        Assert.Contains("  tutorial: one run shown, 8/8", stdout);
        Assert.Contains("seed 002: echo lag-no-context", stdout);
        Assert.Contains("seed 000: long sequences, P = 100, all steps right", stdout);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        using (JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout)))
        {
            Assert.Equal(9, doc.RootElement.GetProperty("headlines").GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("cpu_seconds").GetDouble() > 0);
            Assert.Equal(0, doc.RootElement.GetProperty("reused").GetInt32());
        }

        // Again with the same folder: everything is reused, nothing trained.
        (code, stdout, stderr) = CliRunner.Run(small);
        Assert.True(code == 0, stderr);
        using JsonDocument again = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(2 + 2 + 2 * 9 + 3 * 2 + 1, again.RootElement.GetProperty("reused").GetInt32());
    }

    [Fact]
    public void Bad_counts_give_one_error_line()
    {
        (int code, _, string stderr) = CliRunner.Run("reproduce", "--repeats", "1", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --repeats must be at least 2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("reproduce", "--echo-epochs", "0", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --echo-epochs must be at least 1", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("reproduce", "--long-trials", "-1", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --long-trials must be 0 (left out) or more (got -1).", stderr, StringComparison.Ordinal);
    }
}
