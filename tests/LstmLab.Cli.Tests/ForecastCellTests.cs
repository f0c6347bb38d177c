using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary><c>lstmlab forecast</c>'s --cell, --dropout and --recurrent-dropout (rows of the settings schema).</summary>
[Collection("Console")]
public sealed class ForecastCellTests
{
    private static double Rmse(params string[] extra)
    {
        (int code, string stdout, string stderr) = CliRunner.Run(["forecast", "--epochs", "20", "--seed", "3", "--json", .. extra]);
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        return doc.RootElement.GetProperty("rmse").GetDouble();
    }

    [Fact]
    public void Gru_and_dropout_change_the_forecast_and_the_same_seed_repeats_it()
    {
        double lstm = Rmse(), gru = Rmse("--cell", "gru");
        Assert.NotEqual(lstm, gru);
        Assert.Equal(gru, Rmse("--cell", "gru"));
        Assert.NotEqual(gru, Rmse("--cell", "gru", "--dropout", "0.3", "--recurrent-dropout", "0.3"));
    }

    [Fact]
    public void The_model_and_training_options_reach_forecast_and_backtest()
    {
        double stacked = Rmse("--layers", "2", "--bidirectional", "--optimizer", "rmsprop", "--learning-rate", "0.01", "--clipnorm", "1", "--loss", "huber");
        Assert.NotEqual(Rmse(), stacked);
        Assert.NotEqual(Rmse(), Rmse("--stateless", "--validation-split", "0.25", "--early-stopping", "2"));
        (int code, string stdout, string stderr) = CliRunner.Run("backtest", "--cell", "gru", "--epochs", "3", "--horizon", "3", "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("gru ", stdout, StringComparison.Ordinal);
        Assert.Contains("stateful GRU(1)", stderr, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.True(doc.RootElement.GetProperty("models").TryGetProperty("gru", out _));
        Assert.False(doc.RootElement.GetProperty("models").TryGetProperty("lstm", out _));
    }

    [Theory]
    [InlineData("--early-stopping 5", "error: --early-stopping watches the validation loss: set --validation-split too.")]
    [InlineData("--clipnorm 1 --global-clipnorm 1", "error: Only one of --clipnorm, --clipvalue and --global-clipnorm can be set (as in Keras).")]
    [InlineData("--learning-rate -1", "error: --learning-rate must be a number above 0 (got -1).")]
    [InlineData("--optimizer nadam", "error: --optimizer expects one of adam, sgd, rmsprop, adagrad; got 'nadam'.")]
    [InlineData("--validation-split 0.5 --batch-size 2 --train-rows 22 --epochs 1", "error: A stateful model trains and validates in whole batches of --batch-size (2)")]
    public void Bad_training_options_give_one_error_line(string args, string message)
    {
        (int code, _, string stderr) = CliRunner.Run(["forecast", .. args.Split(' ')]);
        Assert.Equal(2, code);
        // One error line (a data-dependent check comes after the line announcing the run), and no stack trace.
        string[] lines = stderr.Trim().Split('\n');
        Assert.StartsWith(message, lines[^1], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--cell", "rnn")]
    [InlineData("--dropout", "1")]
    [InlineData("--recurrent-dropout", "-0.5")]
    public void Bad_values_give_one_error_line_naming_the_flag(string flag, string value)
    {
        (int code, _, string stderr) = CliRunner.Run("forecast", flag, value);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(flag, stderr);
    }
}
