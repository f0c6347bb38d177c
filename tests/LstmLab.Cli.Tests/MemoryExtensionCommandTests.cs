using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

// Provenance (whole file) (hand): P = 100 gives 99 predicted steps per sequence, 2 × 99 = 198; the first value is
// alphabet − 2 for the test's alphabet.

/// <summary><c>lstmlab run memory</c>'s extensions: --length, --alphabet, --random-middle, --batch-learning, --shuffle, --model mlp.</summary>
[Collection("Console")]
public sealed class MemoryExtensionCommandTests
{
    [Fact]
    public void Length_100_runs_and_prints_an_abridged_sequence()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--length", "100", "--epochs", "3", "--json");

        Assert.Equal(0, code);
        Assert.Contains("... (93 steps;", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.Equal(100, root.GetProperty("length").GetInt32());
        Assert.Equal(198, root.GetProperty("total").GetInt32());
        Assert.InRange(root.GetProperty("recall_correct").GetInt32(), 0, 2);
    }

    [Fact]
    public void The_mlp_solves_no_trial_where_the_batch_learning_lstm_solves_some()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--model", "mlp", "--trials", "4", "--json");
        Assert.Equal(0, code);
        using (JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout)))
        {
            Assert.Equal("mlp", doc.RootElement.GetProperty("model").GetString());
            Assert.Equal(0, doc.RootElement.GetProperty("successes").GetInt32());
        }

        (code, stdout, _) = CliRunner.Run("run", "memory", "--batch-learning", "--trials", "4", "--json");
        Assert.Equal(0, code);
        using (JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout)))
        {
            Assert.True(doc.RootElement.GetProperty("batch_learning").GetBoolean());
            Assert.True(doc.RootElement.GetProperty("successes").GetInt32() >= 1, stdout);
        }
    }

    [Fact]
    public void Random_middle_with_shuffle_and_alphabet_run()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--random-middle", "--shuffle", "--alphabet", "8", "--length", "6", "--epochs", "5", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("random_middle").GetBoolean());
        JsonElement first = root.GetProperty("sequences")[0].GetProperty("x");
        Assert.Equal(6, first[0].GetInt32());
        Assert.Equal(5, first.GetArrayLength());
    }

    [Fact]
    public void Bad_extension_options_give_error_lines()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "memory", "--model", "cnn");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("--model", stderr);

        (code, _, stderr) = CliRunner.Run("run", "memory", "--length", "2");
        Assert.Equal(2, code);
        Assert.Contains("--length", stderr);
    }
}
