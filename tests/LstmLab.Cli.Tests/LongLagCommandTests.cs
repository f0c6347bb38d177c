using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary><c>lstmlab run long-lag</c> and the optimizer options of <c>run memory</c>: results, JSON keys, and one clear error per bad option.</summary>
[Collection("Console")]
public sealed class LongLagCommandTests
{
    // Provenance (cited): 8440 is Hochreiter & Schmidhuber 1997's training sequences for the embedded Reber grammar
    // (Section 5.1), as LongLag's Reber task cites it.
    [Fact]
    public void LongLag_Json_HasTheSummaryKeys_AndThePapersFigure()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("run", "long-lag", "--task", "reber", "--trials", "2", "--max-sequences", "300", "--json");
        Assert.Equal(0, code);
        Assert.Contains("Task reber", stdout, StringComparison.Ordinal);
        Assert.Contains("seed 2:", stdout, StringComparison.Ordinal);
        Assert.Contains("2 trials", stderr, StringComparison.Ordinal);   // the progress bar
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        foreach (string key in new[] { "task", "trials", "solved", "success_rate", "wilson_low", "wilson_high", "sequences_mean", "sequences_median", "paper_sequences", "seconds" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal("reber", root.GetProperty("task").GetString());
        Assert.Equal(2, root.GetProperty("trials").GetInt32());
        Assert.Equal(8440, root.GetProperty("paper_sequences").GetDouble());
        Assert.InRange(root.GetProperty("wilson_high").GetDouble(), root.GetProperty("wilson_low").GetDouble(), 1);
    }

    // Provenance (hand): 10 ln 8 / (T + 20) at T = 30: 10·2.07944/50 = 0.41589.
    [Fact]
    public void LongLag_PrintsTheTrivialBaseline()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "long-lag", "--task", "copy-memory", "--T", "30", "--max-sequences", "2");
        Assert.Equal(0, code);
        Assert.Contains("Baseline: memoryless cross-entropy 10 ln 8 / (T + 20) = 0.41589", stdout, StringComparison.Ordinal);
        (code, stdout, _) = CliRunner.Run("run", "long-lag", "--task", "adding-tcn", "--T", "30", "--max-sequences", "2");
        Assert.Equal(0, code);
        Assert.Contains("MSE 1/6", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: Unknown --task '3a'", "--task", "3a")]
    [InlineData("error: --p must be at least 2", "--task", "2a", "--p", "1")]
    [InlineData("error: --learning-rate must be a positive number", "--task", "2a", "--learning-rate", "-1")]
    [InlineData("error: Only one of --clipnorm, --clipvalue and --global-clipnorm", "--task", "2a", "--clipnorm", "1", "--clipvalue", "1")]
    [InlineData("error: Unknown --optimizer 'adamw'", "--task", "2a", "--optimizer", "adamw")]
    [InlineData("error: --trials must be at least 1", "--task", "2a", "--trials", "0")]
    [InlineData("error: --chrono must be a number of steps of at least 3", "--task", "2a", "--chrono", "2")]
    [InlineData("error: --chrono sets the forget biases itself", "--task", "2a", "--chrono", "100", "--forget-bias", "5")]
    [InlineData("error: --lr-decay-rate must be a number between 0 and 1", "--task", "2a", "--lr-decay-steps", "100", "--lr-decay-rate", "1.5")]
    [InlineData("error: --lr-decay-steps must be a whole number from 1", "--task", "2a", "--lr-decay-steps", "0", "--lr-decay-rate", "0.5")]
    [InlineData("error: --lr-decay-steps and --lr-decay-rate go together", "--task", "2a", "--lr-decay-steps", "100")]
    [InlineData("error: --lr-staircase needs --lr-decay-steps and --lr-decay-rate", "--task", "2a", "--lr-staircase")]
    [InlineData("error: --recall-weight must be a finite number > 0 (got 0)", "--task", "2a", "--recall-weight", "0")]
    [InlineData("error: --digits must be from 1 to 10 (got 11)", "--task", "copy-memory", "--digits", "11")]
    [InlineData("error: --recall-weight applies to tasks with a target at every step and a recall among them (2a, 2b, copy-memory), not to --task adding", "--task", "adding", "--recall-weight", "10")]
    public void LongLag_BadOption_OneErrorLine_Exit2(string expected, params string[] options)
    {
        (int code, _, string stderr) = CliRunner.Run(["run", "long-lag", .. options]);
        Assert.Equal(2, code);
        Assert.StartsWith(expected, stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --tbptt must be at least 1", "--tbptt", "0")]
    [InlineData("error: --learning-rate must be a positive number", "--learning-rate", "0")]
    [InlineData("error: Only one of --clipnorm, --clipvalue and --global-clipnorm", "--clipnorm", "1", "--global-clipnorm", "1")]
    [InlineData("error: --tbptt needs the LSTM", "--tbptt", "2", "--model", "mlp")]
    [InlineData("error: --chrono must be a number of steps of at least 3", "--chrono", "1")]
    [InlineData("error: --chrono sets the forget biases itself", "--chrono", "100", "--forget-bias", "5")]
    [InlineData("error: --lr-decay-rate must be a number between 0 and 1", "--lr-decay-steps", "100", "--lr-decay-rate", "0")]
    [InlineData("error: --lr-decay-steps and --lr-decay-rate go together", "--lr-decay-rate", "0.5")]
    [InlineData("error: --recall-weight must be a finite number > 0 (got -1)", "--recall-weight", "-1")]
    [InlineData("error: --recall-weight is not available with --tbptt", "--recall-weight", "10", "--tbptt", "2")]
    public void Memory_BadOptimizerOrTbptt_OneErrorLine_Exit2(string expected, params string[] options)
    {
        (int code, _, string stderr) = CliRunner.Run(["run", "memory", .. options]);
        Assert.Equal(2, code);
        Assert.StartsWith(expected, stderr.Trim(), StringComparison.Ordinal);
    }

    // Provenance (hand): the header restates the option given.
    [Fact]
    public void RecallWeight_Runs_AndIsNamedInTheHeader()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "long-lag", "--task", "copy-memory", "--T", "5", "--max-sequences", "3", "--recall-weight", "10");
        Assert.Equal(0, code);
        Assert.Contains("recall steps weighted 10;", stdout, StringComparison.Ordinal);
        (code, stdout, _) = CliRunner.Run("run", "memory", "--epochs", "2", "--recall-weight", "5");
        Assert.Equal(0, code);
        Assert.Contains("last step weighted 5", stdout, StringComparison.Ordinal);
        (code, stdout, _) = CliRunner.Run("run", "memory", "--batch-learning", "--epochs", "2", "--recall-weight", "5");
        Assert.Equal(0, code);
        Assert.Contains("last step weighted 5", stdout, StringComparison.Ordinal);
    }

    // Provenance (hand): the header restates the decay options given.
    [Fact]
    public void LrDecay_Runs_AndIsNamedInTheHeader()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "long-lag", "--task", "2a", "--p", "5", "--max-sequences", "3", "--lr-decay-steps", "100", "--lr-decay-rate", "0.5", "--lr-staircase");
        Assert.Equal(0, code);
        Assert.Contains("exponential decay 0.5 per 100 updates (staircase)", stdout, StringComparison.Ordinal);
        (code, stdout, _) = CliRunner.Run("run", "memory", "--batch-learning", "--epochs", "2", "--lr-decay-steps", "10", "--lr-decay-rate", "0.9");
        Assert.Equal(0, code);
        Assert.Contains("exponential decay 0.9 per 10 updates", stdout, StringComparison.Ordinal);
    }

    // Provenance (hand): the optimizer text restates the options; 22 is the count of what the test's run scores.
    [Fact]
    public void Memory_NewOptions_Run_AndTheDefaultsAreTheTutorials()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("run", "memory", "--length", "12", "--tbptt", "4", "--optimizer", "rmsprop", "--learning-rate", "0.01",
            "--clipvalue", "0.5", "--forget-bias", "3", "--epochs", "5", "--json");
        Assert.Equal(0, code);
        Assert.Contains("rmsprop(learning_rate 0.01, clipvalue 0.5)", stderr, StringComparison.Ordinal);   // with --json the description goes to stderr
        Assert.Contains("truncated BPTT in windows of 4", stderr, StringComparison.Ordinal);
        using (JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout)))
            Assert.Equal(22, doc.RootElement.GetProperty("total").GetInt32());
        (code, stdout, _) = CliRunner.Run("run", "memory", "--epochs", "2");
        Assert.Equal(0, code);
        Assert.Contains("binary cross-entropy, Adam; 2 epochs", stdout, StringComparison.Ordinal);
    }
}
