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
    public void The_json_lines_name_the_training_options_given_and_null_for_those_not_given()
    {
        string[] recipe = ["run", "memory", "--length", "20", "--batch-learning", "--forget-bias", "10", "--recall-weight", "5",
            "--learning-rate", "0.02", "--global-clipnorm", "1", "--stop-when-solved", "--epochs", "2", "--json"];
        foreach (string[] args in new[] { recipe, [.. recipe, "--trials", "2"] })
        {
            (int code, string stdout, _) = CliRunner.Run(args);
            Assert.Equal(0, code);
            using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
            JsonElement training = doc.RootElement.GetProperty("training");
            Assert.Equal("adam(learning_rate 0.02, global_clipnorm 1)", training.GetProperty("optimizer").GetString());
            Assert.Equal(10, training.GetProperty("forget_bias").GetDouble());
            Assert.Equal(5, training.GetProperty("recall_weight").GetDouble());
            Assert.True(training.GetProperty("stop_when_solved").GetBoolean());
            Assert.Equal(JsonValueKind.Null, training.GetProperty("chrono").ValueKind);
            Assert.Equal(JsonValueKind.Null, training.GetProperty("tbptt").ValueKind);
            Assert.Equal(JsonValueKind.Null, training.GetProperty("learning_rate_decay").ValueKind);
        }

        (int plainCode, string plain, _) = CliRunner.Run("run", "memory", "--epochs", "2", "--json");
        Assert.Equal(0, plainCode);
        using JsonDocument plainDoc = JsonDocument.Parse(CliRunner.LastLine(plain));
        JsonElement defaults = plainDoc.RootElement.GetProperty("training");
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("forget_bias").ValueKind);
        Assert.False(defaults.GetProperty("stop_when_solved").GetBoolean());
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
