using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

/// <summary>The backtest's report says what produced it, as every other report does.</summary>
public sealed class BacktestReportProvenanceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-backtest-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Provenance (hand): the settings restate the options the test sets.
    [Fact]
    public void The_backtest_report_names_settings_data_hash_seed_version_commit_date_machine_and_instruction_set()
    {
        var source = new DataSource("shampoo");
        var options = new ForecastOptions { Horizon = 3, Windows = 2, Epochs = 5, Neurons = 2, Seed = 7 };
        SeriesFrame frame = source.LoadFrame();
        BacktestResult result = Backtest.Run(frame, 1, options, parallel: 1);
        Provenance p = BacktestReport.ProvenanceOf(source, options);
        BacktestReport.WriteReport(_dir, frame, result, p);

        // Settings that differ from the defaults (horizon, windows, neurons) and the ones that always matter.
        var settings = p.Configurations.Single().Settings.ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal("3", settings["horizon"]);
        Assert.Equal("2", settings["windows"]);
        Assert.Equal("5", settings["epochs"]);
        Assert.True(settings.ContainsKey("batch_size") && settings.ContainsKey("recurrent_activation") && settings.ContainsKey("adam_epsilon"));
        Assert.DoesNotContain("refit", settings.Keys);
        Assert.StartsWith("7 ", p.Run.Single(r => r.Key == "seed").Value, StringComparison.Ordinal);
        // Provenance: the hash is of the built-in CSV text, computed here independently of DataProvenance.
        string hash = DataProvenance.Hash(System.Text.Encoding.UTF8.GetBytes(Datasets.GetCsv(Datasets.ShampooSalesName)));
        Assert.Equal(hash, p.Data.Single().Sha256);
        Assert.Equal(KernelPaths.Selected, p.Machine.KernelPath);

        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (string text in new[] { html, md })
        {
            Assert.Contains("What produced this report", text, StringComparison.Ordinal);
            Assert.Contains(hash, text, StringComparison.Ordinal);
            Assert.Contains("lstmlab backtest", text, StringComparison.Ordinal);
            Assert.Contains("instruction set", text, StringComparison.Ordinal);
            Assert.Contains("kernels use " + KernelPaths.Selected, text, StringComparison.Ordinal);
            Assert.Contains(p.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Contains(BacktestReport.Format(result.Overall("lstm").Rmse), text, StringComparison.Ordinal);
            foreach (string model in result.Models)
                Assert.Contains(model, text, StringComparison.Ordinal);
        }
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Equal(p.Data.Single().Sha256, Provenance.FromJson(File.ReadAllText(Path.Combine(_dir, "provenance.json")), "provenance.json").Data.Single().Sha256);
    }
}
