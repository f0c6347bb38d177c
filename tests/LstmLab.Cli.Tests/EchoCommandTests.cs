using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

// Provenance (whole file): the epochs, window, batch size and trials restate the options each test passes or the
// tutorial's settings (seed 002: window 5, batch 5); no computed result is pinned.

[Collection("Console")]
public sealed class EchoCommandTests
{
    [Fact]
    public void Json_last_line_has_accuracy_expected_and_predicted_and_the_tutorial_lines_are_printed()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("run", "echo", "--variant", "lag-context", "--alphabet", "10", "--epochs", "30", "--seed", "3", "--json");

        Assert.Equal(0, code);
        Assert.Contains("Expected: [", stdout);
        Assert.Contains("Predicted: [", stdout);
        Assert.Contains("Training [", stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.Equal("lag-context", root.GetProperty("variant").GetString());
        Assert.Equal(ShareEqual(root.GetProperty("expected"), root.GetProperty("predicted")), root.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(20, root.GetProperty("expected").GetArrayLength());
        Assert.Equal(20, root.GetProperty("predicted").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("expected")[0].ValueKind);
        Assert.Equal(30, root.GetProperty("epochs").GetInt32());
        JsonElement settings = root.GetProperty("settings");
        Assert.Equal(5, settings.GetProperty("window").GetInt32());
        Assert.Equal(5, settings.GetProperty("batch_size").GetInt32());
        Assert.True(settings.GetProperty("stateful").GetBoolean());
    }

    [Fact]
    public void Same_seed_gives_the_same_predictions()
    {
        string a = CliRunner.LastLine(CliRunner.Run("run", "echo", "--alphabet", "10", "--epochs", "10", "--seed", "4", "--json").Out);
        string b = CliRunner.LastLine(CliRunner.Run("run", "echo", "--alphabet", "10", "--epochs", "10", "--seed", "4", "--json").Out);
        using JsonDocument x = JsonDocument.Parse(a), y = JsonDocument.Parse(b);
        Assert.Equal(x.RootElement.GetProperty("predicted").GetRawText(), y.RootElement.GetProperty("predicted").GetRawText());
        Assert.Equal(x.RootElement.GetProperty("final_train_loss").GetRawText(), y.RootElement.GetProperty("final_train_loss").GetRawText());
    }

    [Fact]
    public void Lag_sequence_prints_and_reports_nested_lists()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "echo", "--variant", "lag-context", "--lag-sequence", "2", "--alphabet", "6", "--length", "10", "--epochs", "5", "--json");
        Assert.Equal(0, code);
        Assert.Contains("Expected: [[", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement expected = doc.RootElement.GetProperty("expected");
        Assert.Equal(8, expected.GetArrayLength());
        Assert.Equal(2, expected[0].GetArrayLength());
    }

    [Fact]
    public void Whole_sequence_runs_with_a_masking_layer()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "echo", "--variant", "lag-context", "--whole-sequence", "--alphabet", "6", "--length", "8", "--epochs", "5", "--json");
        Assert.Equal(0, code);
        Assert.Contains("Masking(-1)", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(7, doc.RootElement.GetProperty("expected").GetArrayLength());
        Assert.False(doc.RootElement.GetProperty("settings").GetProperty("stateful").GetBoolean());
    }

    [Fact]
    public void Trials_report_a_success_rate_with_a_wilson_interval()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "echo", "--alphabet", "10", "--length", "10", "--epochs", "10", "--trials", "3", "--parallel", "2", "--json");

        Assert.Equal(0, code);
        Assert.Contains("95% Wilson interval", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("trials").GetInt32());
        Assert.Equal(3, root.GetProperty("per_seed").GetArrayLength());
        double rate = root.GetProperty("success_rate").GetDouble();
        Assert.InRange(root.GetProperty("wilson_low").GetDouble(), 0, rate);
        Assert.InRange(root.GetProperty("wilson_high").GetDouble(), rate, 1);
        // Each seed's accuracy is the share of its printed predictions that equal the expected values; the overall one is their mean.
        double[] perSeed = [.. root.GetProperty("per_seed").EnumerateArray().Select(s => ShareEqual(s.GetProperty("expected"), s.GetProperty("predicted")))];
        Assert.Equal(perSeed, root.GetProperty("per_seed").EnumerateArray().Select(s => s.GetProperty("accuracy").GetDouble()));
        Assert.Equal(perSeed.Average(), root.GetProperty("accuracy").GetDouble(), 12);
    }

    private static double ShareEqual(JsonElement expected, JsonElement predicted)
    {
        string[] e = [.. expected.EnumerateArray().Select(v => v.GetRawText())];
        string[] p = [.. predicted.EnumerateArray().Select(v => v.GetRawText())];
        Assert.Equal(e.Length, p.Length);
        return (double)e.Zip(p).Count(x => x.First == x.Second) / e.Length;
    }

    [Theory]
    [InlineData("--variant", "lag")]
    [InlineData("--lag", "2")]
    [InlineData("--whole-sequence")]
    [InlineData("--alphabet", "1")]
    [InlineData("--trials", "0")]
    [InlineData("--cell", "rnn")]
    [InlineData("--early-stopping", "5")]
    [InlineData("--validation-split", "1.5")]
    [InlineData("--dropout", "1")]
    [InlineData("--layers", "0")]
    [InlineData("--optimizer", "adamw")]
    [InlineData("--loss", "sparse_categorical_crossentropy")]
    public void Bad_options_give_one_error_line_naming_the_option(params string[] bad)
    {
        (int code, _, string stderr) = CliRunner.Run(["run", "echo", .. bad]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(bad[0], stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void A_stateful_batch_that_does_not_divide_the_samples_is_an_error_suggesting_stateless()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "echo", "--variant", "lag-no-context", "--batch-size", "5");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("--stateless", stderr);
    }
}
