using System.Globalization;
using System.Net;
using System.Text;
using LstmLab.Experiments.Plots;
using LstmLab.Experiments.Statistics;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// The results of an experiment, by configuration, and everything written from them: one CSV per
/// configuration (like seed 001's <c>experiment_stateful.csv</c>), <c>results.csv</c> (long format),
/// <c>summary.csv</c> (pandas <c>describe()</c>), <c>boxplot.svg</c>, <c>comparisons.csv</c> (Welch and
/// Mann–Whitney with Holm correction, mean differences with 95% CIs), <c>sem.csv</c> (standard error
/// of the mean against the number of repeats), <c>report.md</c> and a self-contained <c>report.html</c>.
/// </summary>
public sealed class ExperimentReport
{
    private ExperimentReport(string title, string? description, IReadOnlyList<RepeatResult> results, IReadOnlyList<ExperimentConfiguration>? configurations)
    {
        Title = title;
        Description = description;
        Failed = results.Where(r => r.Failed).ToArray();
        results = results.Where(r => !r.Failed).ToArray();
        Results = results;
        Configurations = configurations;
        Rmse = results.GroupBy(r => r.Configuration).Select(g => new KeyValuePair<string, double[]>(g.Key, g.OrderBy(r => r.Repeat).Select(r => r.Rmse).ToArray())).ToArray();
        if (Rmse.Count == 0)
            throw new ArgumentException("There are no results to report.");
        Describe = DescribeTable.Of(Rmse);
        Comparisons = PairwiseComparisons.Of(Rmse, "RMSE");
    }

    public string Title { get; }

    public string? Description { get; }

    /// <summary>Every finished repeat, in configuration and repeat order.</summary>
    public IReadOnlyList<RepeatResult> Results { get; }

    /// <summary>The repeats that failed (training diverged, say), with their reasons; they are in no statistic.</summary>
    public IReadOnlyList<RepeatResult> Failed { get; }

    /// <summary>One sentence on the failed repeats ("1 of 9 repeats failed: ..."), or null when none did.</summary>
    public string? FailedSentence => Failed.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"Failed repeats: {Failed.Count} of {Failed.Count + Results.Count} failed and are left out of every statistic below ({string.Join("; ", Failed.Take(3).Select(f => $"{f.Configuration} #{f.Repeat}: {f.Failure}"))}{(Failed.Count > 3 ? "; ..." : "")}); see failed.csv.");

    /// <summary>The configurations' settings when known (not for results compared from folders).</summary>
    public IReadOnlyList<ExperimentConfiguration>? Configurations { get; }

    /// <summary>Test RMSE by configuration, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, double[]>> Rmse { get; }

    /// <summary>The pandas describe() table of the RMSEs.</summary>
    public DescribeTable Describe { get; }

    /// <summary>All pairwise comparisons.</summary>
    public PairwiseComparisons Comparisons { get; }

    /// <summary>The report of a run experiment.</summary>
    public static ExperimentReport For(ExperimentDefinition experiment, IReadOnlyList<RepeatResult> results) =>
        new(experiment.Name, experiment.Description, results, experiment.Configurations);

    /// <summary>
    /// Combines the <c>results.csv</c> of earlier runs (<c>lstmlab experiment compare DIR...</c>). When two
    /// folders hold a configuration of the same name, it is prefixed with its folder's name.
    /// </summary>
    /// <param name="preface">Shown first, in place of a description (e.g. how the compared runs' settings differ).</param>
    public static ExperimentReport Compare(IReadOnlyList<string> directories, string? preface = null)
    {
        if (directories.Count == 0)
            throw new ArgumentException("Name at least one results folder to compare.");
        var loaded = directories.Select(d => (Dir: d, Results: ReadResultsCsv(Path.Combine(d, "results.csv")))).ToArray();
        var names = loaded.SelectMany(l => l.Results.Select(r => r.Configuration)).ToArray();
        var clashes = names.GroupBy(n => n).Where(g => loaded.Count(l => l.Results.Any(r => r.Configuration == g.Key)) > 1).Select(g => g.Key).ToHashSet();
        var combined = new List<RepeatResult>();
        foreach ((string dir, List<RepeatResult> results) in loaded)
        {
            string prefix = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
            combined.AddRange(results.Select(r => clashes.Contains(r.Configuration) ? r with { Configuration = prefix + "/" + r.Configuration } : r));
        }
        return new ExperimentReport("comparison of " + string.Join(", ", directories), preface, combined, null);
    }

    /// <summary>Writes every result file into <paramref name="directory"/>; returns their paths.</summary>
    public IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, string text)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, text);
            written.Add(path);
        }
        foreach ((string name, double[] values) in Rmse)
            Write($"experiment_{Safe(name)}.csv", "rmse\n" + string.Concat(values.Select(v => R(v) + "\n")));
        Write("results.csv", ResultsCsv());
        Write("summary.csv", Describe.ToCsv());
        Write("boxplot.svg", BoxPlot());
        Write("comparisons.csv", Comparisons.ToCsv());
        Write("sem.csv", SemCsv());
        Write("report.md", Markdown());
        Write("report.html", Html());
        return written;
    }

    /// <summary>The box plot of the RMSEs, all configurations side by side.</summary>
    public string BoxPlot() => BoxPlotSvg.Render(Rmse, new BoxPlotOptions
    {
        Title = $"{Title}: test RMSE over repeats",
        XLabel = "configuration",
        YLabel = "test RMSE",
        Width = Math.Max(640, 110 * Rmse.Count + 120),
    });

    /// <summary>The long-format CSV of every repeat.</summary>
    public string ResultsCsv()
    {
        var sb = new StringBuilder("configuration,repeat,seed,rmse,mae,mape,seconds\n");
        foreach (RepeatResult r in Results)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Configuration},{r.Repeat},{r.Seed},{R(r.Rmse)},{R(r.Mae)},{(r.Mape is double m ? R(m) : "")},{R(r.Seconds)}\n");
        return sb.ToString();
    }

    /// <summary>The SEM against the number of repeats, for each configuration.</summary>
    public string SemCsv()
    {
        var sb = new StringBuilder("configuration,n,mean,std,sem,ci95_half_width\n");
        foreach ((string name, double[] values) in Rmse)
        {
            foreach (SemRow row in SemTable.Of(values).Rows)
                sb.Append(CultureInfo.InvariantCulture, $"{name},{row.N},{R(row.Mean)},{R(row.StandardDeviation)},{R(row.StandardError)},{R(row.CiHalfWidth)}\n");
        }
        return sb.ToString();
    }

    /// <summary>What the console shows: the describe() table and the comparisons in words.</summary>
    public string ConsoleText()
    {
        var sb = new StringBuilder();
        if (FailedSentence is not null)
            sb.AppendLine(FailedSentence).AppendLine();
        sb.AppendLine(Describe.ToString());
        if (Rmse.Count > 1)
        {
            sb.AppendLine();
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine(sentence);
        }
        return sb.ToString();
    }

    /// <summary>The report in Markdown.</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {Title}").AppendLine();
        if (Description is not null)
            sb.AppendLine(Description).AppendLine();
        if (FailedSentence is not null)
            sb.AppendLine("**" + FailedSentence + "**").AppendLine();
        AppendSettingsMarkdown(sb);
        sb.AppendLine("## Test RMSE (pandas `describe()`)").AppendLine().AppendLine("```").AppendLine(Describe.ToString()).AppendLine("```").AppendLine();
        sb.AppendLine("![box plot](boxplot.svg)").AppendLine();
        if (Rmse.Count > 1)
        {
            sb.AppendLine("## Comparisons").AppendLine();
            sb.AppendLine("Welch's t-test and the Mann–Whitney U test on each pair; p-values Holm-corrected over all pairs; 95% confidence intervals of the mean difference (Welch).").AppendLine();
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine("- " + sentence);
            sb.AppendLine().AppendLine("```").AppendLine(Comparisons.ToString()).AppendLine("```").AppendLine();
        }
        sb.AppendLine("## How sure: standard error of the mean against repeats").AppendLine();
        sb.AppendLine(SemSentence()).AppendLine();
        sb.AppendLine("Files: `results.csv` (every repeat), `summary.csv`, `comparisons.csv`, `sem.csv`, `experiment_<configuration>.csv`, `boxplot.svg`.");
        return sb.ToString();
    }

    /// <summary>The report as one self-contained HTML page (inline SVG, no external resources).</summary>
    public string Html()
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + E(Title) + "</title>");
        sb.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}pre{background:#f6f8fa;padding:1em;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}</style></head><body>");
        sb.AppendLine("<h1>" + E(Title) + "</h1>");
        if (Description is not null)
            sb.AppendLine("<p>" + E(Description) + "</p>");
        if (FailedSentence is not null)
            sb.AppendLine("<p><strong>" + E(FailedSentence) + "</strong></p>");
        if (Configurations is not null)
        {
            sb.AppendLine("<h2>Configurations</h2><table><tr><th>configuration</th><th>settings</th></tr>");
            foreach (ExperimentConfiguration c in Configurations)
                sb.AppendLine("<tr><td>" + E(c.Name) + "</td><td>" + E(string.Join(", ", c.Settings.Select(s => $"{s.Key}: {s.Value}"))) + "</td></tr>");
            sb.AppendLine("</table>");
        }
        sb.AppendLine("<h2>Test RMSE (pandas <code>describe()</code>)</h2><pre>" + E(Describe.ToString()) + "</pre>");
        sb.AppendLine(StripXmlDeclaration(BoxPlot()));
        if (Rmse.Count > 1)
        {
            sb.AppendLine("<h2>Comparisons</h2><p>Welch's t-test and the Mann–Whitney U test on each pair; p-values Holm-corrected over all pairs; 95% confidence intervals of the mean difference (Welch).</p><ul>");
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine("<li>" + E(sentence) + "</li>");
            sb.AppendLine("</ul><pre>" + E(Comparisons.ToString()) + "</pre>");
        }
        sb.AppendLine("<h2>How sure: standard error of the mean against repeats</h2><p>" + E(SemSentence()) + "</p>");
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private void AppendSettingsMarkdown(StringBuilder sb)
    {
        if (Configurations is null)
            return;
        sb.AppendLine("## Configurations").AppendLine().AppendLine("| configuration | settings |").AppendLine("| --- | --- |");
        foreach (ExperimentConfiguration c in Configurations)
            sb.AppendLine($"| {c.Name} | {string.Join(", ", c.Settings.Select(s => $"{s.Key}: {s.Value}"))} |");
        sb.AppendLine();
    }

    private string SemSentence()
    {
        var parts = new List<string>();
        foreach ((string name, double[] values) in Rmse)
        {
            if (values.Length < 2)
            {
                parts.Add($"{name}: one repeat, no spread to estimate");
                continue;
            }
            SemRow last = SemTable.Of(values).Rows[^1];
            int forOne = SemTable.RepeatsFor(last.StandardDeviation, 1.0);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}: mean {last.Mean:F2} ± {last.StandardError:F2} (SEM, n = {last.N}; 95% CI half-width {last.CiHalfWidth:F2}); about {forOne} repeats would bring the SEM to 1 RMSE"));
        }
        return string.Join("; ", parts) + ". See sem.csv for the SEM after 2, 3, ... repeats.";
    }

    private static List<RepeatResult> ReadResultsCsv(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' does not exist: compare folders written by `lstmlab experiment run` or `lstmlab run shampoo`.", path);
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("configuration,repeat,seed,rmse", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}, line 1: expected the header 'configuration,repeat,seed,rmse,...'.");
        var results = new List<RepeatResult>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            string[] f = lines[i].Split(',');
            if (f.Length < 7)
                throw new InvalidDataException($"{path}, line {i + 1}: expected 7 fields, got {f.Length}.");
            double Num(int column) => double.TryParse(f[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new InvalidDataException($"{path}, line {i + 1}, column {column + 1}: expected a number, got '{f[column]}'.");
            results.Add(new RepeatResult(f[0], (int)Num(1), (long)Num(2), Num(3), Num(4), f[5].Length == 0 ? null : Num(5), Num(6), [], ""));
        }
        if (results.Count == 0)
            throw new InvalidDataException($"{path}: no results.");
        return results;
    }

    private static string StripXmlDeclaration(string svg) =>
        svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.' ? ch : '_'));

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
