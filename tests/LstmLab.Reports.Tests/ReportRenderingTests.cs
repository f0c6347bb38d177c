using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Reproduce;
using Xunit;
using Xunit.Abstractions;

namespace LstmLab.Reports.Tests;

/// <summary>
/// Every HTML report, opened in headless Chromium at 1,200 px: it loads, the console stays clean, no table,
/// preformatted block or plot is cut off (each fits or scrolls inside its own box), and a screenshot is
/// written to the test output (screenshots/ beside the test binaries, or $LSTMLAB_SCREENSHOTS).
/// </summary>
public sealed class ReportRenderingTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-pages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [ChromiumFact]
    public async Task The_experiment_report_renders_cleanly()
    {
        string folder = RunExperiment("reset-regimes", "experiment");
        await AssertRendersCleanly(Path.Combine(folder, "report.html"), "experiment-report.png", minimumTables: 3);
    }

    [ChromiumFact]
    public async Task The_comparison_report_renders_cleanly()
    {
        string a = RunExperiment("reset-regimes", "a");
        string b = RunExperiment("stateful-vs-stateless", "b");
        string folder = Path.Combine(_dir, "compare");
        ExperimentReport.Compare([a, b]).WriteAll(folder);
        await AssertRendersCleanly(Path.Combine(folder, "report.html"), "compare-report.png", minimumTables: 3);
    }

    [ChromiumFact]
    public async Task The_reproduce_report_renders_cleanly()
    {
        var plan = new ReproducePlan { MemoryTrials = 2, MlpTrials = 2, MemoryEpochs = 40, ShampooRepeats = 2, ShampooEpochs = 10, EchoTrials = 1, EchoEpochs = 10, LongTrials = 1, LongEpochs = 10 };
        string folder = Path.Combine(_dir, "reproduce");
        ReproduceResults results = ReproduceRunner.Run(plan, folder, 2);
        new ReproduceReport(results, new RunTiming(1, 1, 2)).WriteAll(folder);
        await AssertRendersCleanly(Path.Combine(folder, "report.html"), "reproduce-report.png", minimumTables: 8);
    }

    [ChromiumFact]
    public async Task The_backtest_report_renders_cleanly()
    {
        var source = new DataSource("shampoo");
        var options = new ForecastOptions { Horizon = 3, Windows = 2, Epochs = 5 };
        SeriesFrame frame = source.LoadFrame();
        string folder = Path.Combine(_dir, "backtest");
        BacktestReport.WriteReport(folder, frame, Backtest.Run(frame, 1, options, parallel: 2), BacktestReport.ProvenanceOf(source, options));
        // The model × metric table and the provenance block's two tables.
        await AssertRendersCleanly(Path.Combine(folder, "report.html"), "backtest-report.png", minimumTables: 3);
    }

    [ChromiumFact]
    public async Task The_check_catches_a_cut_off_table_a_console_error_and_a_missing_file()
    {
        // The control: a page with each fault, to show the checks above can fail.
        string page = Path.Combine(_dir, "broken.html");
        await File.WriteAllTextAsync(page, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>
            <h1>broken</h1><table style="width:2000px"><tr><td>wide</td></tr></table>
            <img src="missing.png" alt="">
            <script>console.error("boom");</script>
            </body></html>
            """);
        PageCheck check = await chromium.Browser.CheckAsync(page, Path.Combine(ChromiumFixture.ScreenshotFolder, "broken-control.png"));
        Assert.Contains(check.CutOff, c => c.StartsWith("TABLE 2000 px", StringComparison.Ordinal));
        Assert.True(check.PageWidth > check.Viewport);
        Assert.Contains(check.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(check.ConsoleErrors, e => e.Contains("missing.png", StringComparison.Ordinal) || e.Contains("ERR_FILE_NOT_FOUND", StringComparison.Ordinal));
    }

    // Provenance (hand): bounds, not values: the viewport is the 1,200 px window less a scrollbar; a PNG of a page is
    // far above 1,000 bytes.
    private async Task AssertRendersCleanly(string page, string screenshotName, int minimumTables)
    {
        PageCheck check = await chromium.Browser.CheckAsync(page, Path.Combine(ChromiumFixture.ScreenshotFolder, screenshotName));
        output.WriteLine($"{page}: {check.Tables} tables, page {check.PageWidth} px wide in a {check.Viewport} px window; screenshot {check.Screenshot}");
        Assert.Equal("complete", check.Layout.GetProperty("ready").GetString());
        Assert.False(string.IsNullOrWhiteSpace(check.Title));
        Assert.Equal(1, check.Layout.GetProperty("h1").GetInt32());
        Assert.Empty(check.ConsoleErrors);
        Assert.Empty(check.CutOff);
        Assert.True(check.PageWidth <= check.Viewport, $"the page scrolls sideways: {check.PageWidth} px in a {check.Viewport} px window");
        Assert.InRange(check.Viewport, HeadlessChromium.Width - 20, HeadlessChromium.Width);
        Assert.True(check.Tables >= minimumTables, $"{check.Tables} tables");
        byte[] png = await File.ReadAllBytesAsync(check.Screenshot);
        Assert.True(png.Length > 1000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    private string RunExperiment(string name, string folderName)
    {
        ExperimentDefinition experiment = BuiltinExperiments.Load(name).With(3, epochs: 10);
        string folder = Path.Combine(_dir, folderName);
        ExperimentReport.For(experiment, RepeatRunner.Run(experiment, new RunSettings(folder))).WriteAll(folder);
        return folder;
    }
}
