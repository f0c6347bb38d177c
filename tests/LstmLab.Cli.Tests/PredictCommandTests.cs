using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

[Collection("Console")]
public sealed class PredictCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-predict-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Provenance (hand): the month after the air-passengers series' last, 1960-12.
    [Theory]
    [InlineData("recursive", "--stateful")]
    [InlineData("direct", "--stateless")]
    public void Predict_from_a_saved_forecaster_gives_the_numbers_of_the_run_that_saved_it(string strategy, string state)
    {
        string model = Path.Combine(_dir, strategy + ".json");
        string[] stateArg = state == "--stateless" ? ["--stateless"] : [];
        (int code, string stdout, string stderr) = CliRunner.Run(["forecast", "--data", "airpassengers", "--horizon", "4", "--lag", "3", "--epochs", "8",
            "--strategy", strategy, .. stateArg, "--save", model, "--json"]);
        Assert.True(code == 0, stderr);
        double[] saved = Future(stdout);

        string csv = Path.Combine(_dir, "air.csv");
        File.WriteAllText(csv, LstmLab.Data.Datasets.GetCsv("airpassengers"));
        (code, stdout, stderr) = CliRunner.Run("predict", "--model", model, "--data", csv, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(saved, Future(stdout));
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal("1961-01", doc.RootElement.GetProperty("future_labels")[0].GetString());
    }

    [Fact]
    public void A_stateful_forecaster_carries_its_trained_state_only_into_data_that_continues_its_history()
    {
        string model = Path.Combine(_dir, "stateful.json");
        Assert.Equal(0, CliRunner.Run("forecast", "--data", "airpassengers", "--horizon", "3", "--epochs", "5", "--save", model).ExitCode);
        string text = LstmLab.Data.Datasets.GetCsv("airpassengers");
        string longer = Path.Combine(_dir, "longer.csv"), other = Path.Combine(_dir, "other.csv");
        File.WriteAllText(longer, text.TrimEnd('\n') + "\n1961-01,417\n1961-02,391\n");
        File.WriteAllText(other, text.Replace("1949-01,112", "1949-01,113", StringComparison.Ordinal));
        (int code, string stdout, string stderr) = CliRunner.Run("predict", "--model", model, "--data", longer, "--json");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal);
        // Provenance (hand): AirPassengers ends in 1960-12 and the longer file adds 1961-01 and 1961-02, so the first future month is 1961-03.
        using (JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout)))
            Assert.Equal("1961-03", doc.RootElement.GetProperty("future_labels")[0].GetString());
        (code, _, stderr) = CliRunner.Run("predict", "--model", model, "--data", other, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: the data does not begin with the 144 observations the forecaster was trained on", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_whose_columns_do_not_match_is_refused_naming_them()
    {
        string model = Path.Combine(_dir, "m.json");
        Assert.Equal(0, CliRunner.Run("forecast", "--data", "airpassengers", "--horizon", "2", "--epochs", "2", "--save", model).ExitCode);
        string csv = Path.Combine(_dir, "other.csv");
        File.WriteAllLines(csv, ["Month,Riders", "1949-01,1", "1949-02,2", "1949-03,3"]);
        (int code, _, string stderr) = CliRunner.Run("predict", "--model", model, "--data", csv);
        Assert.Equal(2, code);
        Assert.Contains("Passengers", stderr);
        Assert.Contains("Riders", stderr);
        (code, _, stderr) = CliRunner.Run("predict", "--model", csv, "--data", csv);
        Assert.Equal(2, code);
        Assert.Contains("not a forecaster file", stderr);
    }

    private static double[] Future(string stdout)
    {
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        return [.. doc.RootElement.GetProperty("future").EnumerateArray().Select(e => e.GetDouble())];
    }
}
