using System.Text;
using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

// Provenance (whole file): the counts (horizon, windows, steps), labels and values restate the options and the CSV
// texts each test passes (hand: the next months after 1960-12 are 1961-01..03; 120.5 is the mean the test's own CSV
// gives); no computed result is pinned here.

[Collection("Console")]
public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-backtest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Backtest_prints_the_table_writes_its_files_and_the_json_has_every_model_and_metric()
    {
        string outDir = Path.Combine(_dir, "bt");
        (int code, string stdout, string stderr) = CliRunner.Run("backtest", "--data", "airpassengers", "--horizon", "6", "--windows", "2", "--season", "12",
            "--epochs", "5", "--stateless", "--out", outDir, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("seasonal_naive", stdout);
        Assert.Contains("Windows [", stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.Equal((6, 2), (root.GetProperty("horizon").GetInt32(), root.GetProperty("windows").GetInt32()));
        foreach (string model in new[] { "lstm", "naive", "seasonal_naive", "drift", "mean" })
        {
            foreach (string metric in new[] { "rmse", "mae", "mape", "smape", "mase" })
                Assert.True(root.GetProperty("models").GetProperty(model).GetProperty(metric).GetDouble() > 0);
        }
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "backtest.csv"));
        Assert.Equal(1 + 5 * 2 * 6, rows.Length);
        Assert.StartsWith("model,target,window,step,origin,label,actual,forecast", rows[0]);
        Assert.Contains(rows, r => r.StartsWith("naive,Passengers,1,6,1960-07,1960-12,432,", StringComparison.Ordinal));
        Assert.Contains("mean,overall", File.ReadAllText(Path.Combine(outDir, "metrics.csv")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, "backtest.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void Forecast_horizon_continues_the_dates_and_writes_the_future()
    {
        string csv = Path.Combine(_dir, "future.csv");
        (int code, string stdout, string stderr) = CliRunner.Run("forecast", "--data", "airpassengers", "--horizon", "3", "--epochs", "5", "--out", csv, "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(["1961-01", "1961-02", "1961-03"], doc.RootElement.GetProperty("future_labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, doc.RootElement.GetProperty("future").GetArrayLength());
        Assert.Equal("Month,Passengers", File.ReadAllLines(csv)[0]);
        Assert.StartsWith("1961-03,", File.ReadAllLines(csv)[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Several_columns_and_targets_forecast_together()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("backtest", "--data", "seattle-weather", "--columns", "precipitation,wind", "--target", "temp_max,temp_min",
            "--horizon", "2", "--windows", "2", "--epochs", "3", "--stateless", "--difference", "0,precipitation=0", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.True(doc.RootElement.GetProperty("targets").TryGetProperty("temp_min", out _));
    }

    [Fact]
    public void Setting_errors_name_the_flag()
    {
        (int code, _, string stderr) = CliRunner.Run("backtest", "--horizon", "12", "--windows", "9");
        Assert.Equal(2, code);
        Assert.Contains("--windows", stderr);
        Assert.Contains("--horizon", stderr);
        (code, _, stderr) = CliRunner.Run("forecast", "--epochs", "-1");
        Assert.Equal(2, code);
        Assert.Contains("error: --epochs must be at least 0 (got -1).", stderr);
        (code, _, stderr) = CliRunner.Run("forecast", "--stateless", "--seed-state");
        Assert.Equal(2, code);
        Assert.Contains("--seed-state", stderr);
        (code, _, stderr) = CliRunner.Run("backtest", "--expanding", "--sliding", "20");
        Assert.Equal(2, code);
        Assert.Contains("Choose one of --expanding and --sliding.", stderr);
        (code, _, stderr) = CliRunner.Run("backtest", "--strategy", "sideways");
        Assert.Equal(2, code);
        Assert.Contains("--strategy expects one of recursive, direct; got 'sideways'", stderr);
    }

    [Fact]
    public void A_semicolon_file_is_named_as_such_and_read_with_delimiter_and_decimal_comma()
    {
        string path = Path.Combine(_dir, "semi.csv");
        File.WriteAllLines(path, ["Monat;Umsatz", .. Enumerable.Range(1, 20).Select(i => FormattableString.Invariant($"2020-{(i - 1) % 12 + 1:D2}-{(i - 1) / 12 + 1:D2};{100 + i},5"))]);
        (int code, _, string stderr) = CliRunner.Run("forecast", "--data", path, "--persistence", "--test", "3");
        Assert.Equal(2, code);
        Assert.Contains("semicolon-separated", stderr);
        Assert.Contains("--delimiter ';'", stderr);
        (code, _, stderr) = CliRunner.Run("forecast", "--data", path, "--delimiter", ";", "--persistence", "--test", "3");
        Assert.Equal(2, code);
        Assert.Contains("--decimal-comma", stderr);
        (code, string stdout, stderr) = CliRunner.Run("forecast", "--data", path, "--delimiter", ";", "--decimal-comma", "--persistence", "--test", "3", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        Assert.Equal(120.5, doc.RootElement.GetProperty("expected")[2].GetDouble());
    }

    [Fact]
    public void Binary_bytes_are_never_echoed()
    {
        string path = Path.Combine(_dir, "sheet.xlsx.csv");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01, 0xFF, 0xFE, 0x41, 0x0A, 0x31, 0x0A]);
        (int code, _, string stderr) = CliRunner.Run("forecast", "--data", path);
        Assert.Equal(2, code);
        Assert.Contains("not a text CSV file", stderr);
        Assert.DoesNotContain('\0', stderr);
        Assert.DoesNotContain("PK", stderr);
    }

    [Fact]
    public void Duplicated_or_out_of_order_dates_name_the_lines_unless_allowed()
    {
        string path = Path.Combine(_dir, "dates.csv");
        var lines = new List<string> { "date,v" };
        lines.AddRange(Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"2020-01-{i + 1:D2},{i}")));
        lines[5] = "2020-01-03,4";
        File.WriteAllLines(path, lines);
        (int code, _, string stderr) = CliRunner.Run("forecast", "--data", path, "--date-column", "date", "--persistence");
        Assert.Equal(2, code);
        Assert.Contains("line 6", stderr);
        Assert.Contains("line 5", stderr);
        Assert.Contains("--allow-unsorted", stderr);
        (code, _, stderr) = CliRunner.Run("forecast", "--data", path, "--date-column", "date", "--persistence", "--allow-unsorted");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Values_beyond_float32_after_scaling_are_an_error_and_a_near_constant_range_a_warning()
    {
        string big = Path.Combine(_dir, "big.csv");
        File.WriteAllLines(big, ["v", .. Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{i * 1e300}"))]);
        (int code, _, string stderr) = CliRunner.Run("backtest", "--data", big, "--scale", "none", "--difference", "0", "--epochs", "1", "--stateless");
        Assert.Equal(2, code);
        Assert.Contains("float32", stderr);
        Assert.Contains("\"v\"", stderr);

        string flat = Path.Combine(_dir, "flat.csv");
        File.WriteAllLines(flat, ["v", .. Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{(i % 2 == 0 ? "1" : "1.000000000000001")}"))]);
        (code, _, stderr) = CliRunner.Run("backtest", "--data", flat, "--difference", "0", "--epochs", "1", "--stateless");
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: column \"v\"", stderr);
        Assert.Contains("too little for the scaler", stderr);
    }

    [Fact]
    public void Data_too_large_for_memory_is_refused_with_the_sizes_before_allocating()
    {
        (int code, _, string stderr) = CliRunner.Run("backtest", "--data", "shampoo", "--lag", "100000000");
        Assert.Equal(2, code);
        Assert.Contains("GiB", stderr);
        Assert.Contains("Sales", stderr);

        string sparse = Path.Combine(_dir, "huge.csv");
        using (var f = new FileStream(sparse, FileMode.Create))
            f.SetLength((1L << 30) + 1);
        (code, _, stderr) = CliRunner.Run("forecast", "--data", sparse);
        Assert.Equal(2, code);
        Assert.Contains("more than the 1 GiB", stderr);
    }
}
