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
