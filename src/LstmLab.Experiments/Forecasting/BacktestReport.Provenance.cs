using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Reproduce;

namespace LstmLab.Experiments.Forecasting;

/// <summary>The backtest's report files: report.md and report.html with what produced them, and provenance.json.</summary>
public static partial class BacktestReport
{
    /// <summary>
    /// What produced a backtest run now: the command, the seed, the forecast settings that differ from the
    /// defaults plus the ones that matter (<see cref="ExperimentReport.SettingsOf"/>), the data with its content
    /// hash, and LstmLab's version, commit, the date, the machine and the kernels' instruction set.
    /// </summary>
    /// <exception cref="DataFormatException">The data cannot be loaded.</exception>
    public static Provenance ProvenanceOf(DataSource source, ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        return Provenance.Capture(
            [
                new("command", "lstmlab backtest"),
                new("seed", options.Seed.ToString(CultureInfo.InvariantCulture) + " (the first fit uses it, fit g > 0 DeriveSeed(seed, \"backtest-fit\", g))"),
            ],
            [new NamedSettings("backtest", ExperimentReport.SettingsOf(options))],
            [DataProvenance.Of(source)]);
    }

    /// <summary>
    /// Writes <c>report.md</c>, <c>report.html</c> (self-contained, the plot inline) and <c>provenance.json</c>
    /// into <paramref name="folder"/>: the model × metric table, the plot and "What produced this report".
    /// </summary>
    public static void WriteReport(string folder, SeriesFrame frame, BacktestResult result, Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(provenance);
        Directory.CreateDirectory(folder);
        var doc = new ReportDocument(string.Create(CultureInfo.InvariantCulture, $"LstmLab backtest: {string.Join(", ", result.Targets)}"));
        doc.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{frame.Source}, {frame.Length} steps: {result.Windows.Count} windows of {result.Horizon} steps; the {result.Model.ToUpperInvariant()} against the naive, seasonal naive, drift and mean forecasts. Metrics pool the steps of all windows (averaged over targets); * marks the best per metric."));
        var rows = result.Models.Select(model => (IReadOnlyList<string>)[model, .. MetricSet.Names.Select(m => Format(result.Overall(model)[m]) + (result.Best(m) == model ? " *" : ""))]).ToList();
        doc.Table(["model", .. MetricSet.Names], rows);
        doc.Paragraph("The " + result.Model.ToUpperInvariant() + " against the best baseline of each metric: " + Versus(result) + ".");
        string svg = Plot(frame, result);
        doc.Raw(() => ReportText.InlineSvg(svg), () => "![backtest](backtest.svg)\n\n");
        doc.Heading(2, "What produced this report").Raw(provenance.ToHtml, () => provenance.ToMarkdown() + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, "report.html"), doc.Html());
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), doc.Markdown());
        AtomicFile.WriteAllText(Path.Combine(folder, "provenance.json"), provenance.ToJson());
    }
}
