using Xunit;
using System.Text.Json;

namespace LstmLab.Cli.Tests;

[Collection("Console")]
public sealed class MemoryCommandTests
{
    [Fact]
    public void Json_last_line_has_accuracy_epochs_seconds_and_the_tutorial_lines_are_printed()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--epochs", "20", "--seed", "3", "--json");

        Assert.Equal(0, code);
        Assert.Contains("Sequence 1", stdout);
        Assert.Contains("X=3.0 y=0.0, yhat=", stdout);
        Assert.Contains("X=4.0 y=0.0, yhat=", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.InRange(root.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.Equal(20, root.GetProperty("epochs").GetInt32());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(2, root.GetProperty("sequences").GetArrayLength());
    }

    [Fact]
    public void An_unsolved_run_says_why_instead_of_looking_like_a_bug()
    {
        // Five epochs cannot solve it: the output must explain the one-step-batch limitation.
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--epochs", "5");
        Assert.Equal(0, code);
        Assert.Contains("Not every step is right with this seed", stdout);
        Assert.Contains("--trials", stdout);
    }

    [Fact]
    public void Same_seed_gives_the_same_json_results()
    {
        string a = CliRunner.LastLine(CliRunner.Run("run", "memory", "--epochs", "15", "--seed", "9", "--json").Out);
        string b = CliRunner.LastLine(CliRunner.Run("run", "memory", "--epochs", "15", "--seed", "9", "--json").Out);
        Assert.Equal(Strip(a), Strip(b));

        static string Strip(string json)
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("sequences").GetRawText() + doc.RootElement.GetProperty("accuracy").GetRawText();
        }
    }

    [Fact]
    public void Trials_learn_the_unambiguous_steps_and_some_seeds_solve_the_conflict()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--trials", "8", "--json");

        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        // Six of the eight steps need no memory: every seed must get them, and the last step of one
        // sequence by elimination; the memory step itself is solved by some seeds only (the tutorial's luck).
        foreach (JsonElement trial in root.GetProperty("per_seed").EnumerateArray())
            Assert.True(trial.GetProperty("accuracy").GetDouble() >= 7.0 / 8, trial.GetRawText());
        Assert.True(root.GetProperty("successes").GetInt32() >= 1, stdout);
        Assert.True(root.GetProperty("wilson_low").GetDouble() <= root.GetProperty("success_rate").GetDouble());
    }

    [Fact]
    public void Bad_options_give_one_error_line_and_no_stack_trace()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "memory", "--recurrent-activation", "hard_sigmoid");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("hard_sigmoid_keras2", stderr);
        Assert.DoesNotContain("   at ", stderr);

        (code, _, stderr) = CliRunner.Run("run", "memory", "--units", "0");
        Assert.Equal(2, code);
        Assert.Contains("--units", stderr);
    }

    [Fact]
    public void Help_and_version_work()
    {
        (int code, string stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("lstmlab", stdout);
        Assert.Contains("run", stdout);
        (code, stdout, _) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }
}
