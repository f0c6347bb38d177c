using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace LstmLab.Cli.Tests;

[Collection("Console")]
public sealed class ForecastCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-forecast-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Provenance (cited + tools): 136.761 is seed 001's persistence RMSE as the tutorial prints it
    // (../shared/seeds/001, "Data Split"); recomputed with numpy in tools/provenance/independent_values.txt
    // [persistence].
    [Fact]
    public void Persistence_alone_prints_the_months_and_136_761()
    {
        (int code, string stdout, _) = CliRunner.Run("forecast", "--persistence", "--json");
        Assert.Equal(0, code);
        Assert.Contains("Month=1, Predicted=", stdout);
        Assert.Contains("Persistence RMSE: 136.761", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(136.761, Math.Round(doc.RootElement.GetProperty("persistence_rmse").GetDouble(), 3));
    }

    [Fact]
    public void Lstm_forecast_json_has_rmse_persistence_predictions_expected_and_a_plot()
    {
        string plot = Path.Combine(_dir, "out", "forecast.svg");
        (int code, string stdout, string stderr) = CliRunner.Run("forecast", "--epochs", "30", "--seed", "2", "--plot", plot, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("Test RMSE: ", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("rmse").GetDouble() > 0);
        Assert.Equal(12, root.GetProperty("predictions").GetArrayLength());
        Assert.Equal(12, root.GetProperty("expected").GetArrayLength());
        XDocument svg = XDocument.Load(plot);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
    }

    // Provenance (hand): the sixth label continues the test CSV's monthly dates.
    [Fact]
    public void A_users_csv_with_named_columns_is_forecast()
    {
        string path = Path.Combine(_dir, "series.csv");
        var lines = new List<string> { "date,units,price" };
        for (int t = 0; t < 40; t++)
            lines.Add(FormattableString.Invariant($"{new DateOnly(2020, 1, 1).AddMonths(t):yyyy-MM-dd},{50 + t + 5 * Math.Sin(t):F2},{t}"));
        File.WriteAllLines(path, lines);

        (int code, string stdout, string stderr) = CliRunner.Run("forecast", "--data", path, "--column", "units", "--date-column", "date", "--test", "6", "--epochs", "10", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(6, doc.RootElement.GetProperty("predictions").GetArrayLength());
        Assert.Equal("2023-04-01", doc.RootElement.GetProperty("labels")[5].GetString());
    }

    [Fact]
    public void Bad_input_gets_an_error_naming_file_line_and_column()
    {
        string path = Path.Combine(_dir, "bad.csv");
        File.WriteAllLines(path, ["month,sales", "1-01,10", "1-02,11", "1-03,abc", "1-04,13"]);
        (int code, _, string stderr) = CliRunner.Run("forecast", "--data", path, "--column", "sales");
        Assert.Equal(2, code);
        Assert.Contains("bad.csv", stderr);
        Assert.Contains("line 4", stderr);
        Assert.Contains("sales", stderr);
        Assert.DoesNotContain("   at ", stderr);

        (code, _, stderr) = CliRunner.Run("forecast", "--data", Path.Combine(_dir, "missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains("missing.csv", stderr);

        (code, _, stderr) = CliRunner.Run("forecast", "--batch-size", "5");
        Assert.Equal(2, code);
        Assert.Contains("batch", stderr);
    }
}
