using System.Globalization;
using System.Text;
using LstmLab.Experiments.Statistics;
using static LstmLab.Experiments.Harness.ReportText;

namespace LstmLab.Experiments.Harness;

/// <summary>The report pages: Markdown and one self-contained HTML page, each sentence printed once.</summary>
public sealed partial class ExperimentReport
{
    /// <summary>What the box plot shows, for its caption: the boxes, then each baseline's line (or arrow, when off the scale).</summary>
    public string BoxPlotCaption
    {
        get
        {
            string lines = Baselines.Any(b => b.Computed)
                ? "; dashed lines: the baselines of the table above on the same test steps (" + string.Join(", ", Baselines.Where(b => b.Computed).Select(b => b.Label))
                  + "), each in its own colour and dash pattern and labelled with its RMSE; a baseline beyond the axis range is an arrow with its label at the top or bottom edge"
                : "";
            return "Box: Q1 to Q3; green line: median; green triangle: mean; whiskers: the furthest points within 1.5 IQR; circles: outliers; "
                + "n above each box: repeats" + lines + " (lower is better).";
        }
    }

    private static readonly string[] BaselineHeader = ["baseline", "forecast", "test RMSE", "MAE", "MAPE %", "configurations with a lower mean RMSE"];

    private List<IReadOnlyList<string>> BaselineRows() => Baselines.Select(b => (IReadOnlyList<string>)(b.Computed
        ? [b.Label, b.Meaning, F3(b.Rmse), F3(b.Mae), b.Mape is double m ? F3(m) : "n/a",
            string.Create(CultureInfo.InvariantCulture, $"{Describe.Summaries.Count(s => s.Mean < b.Rmse)} of {Describe.Summaries.Count}")]
        : [b.Label, b.Meaning, "not computed", "", "", b.Unavailable!])).ToList();

    private static string F3(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The report in Markdown.</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {Title}").AppendLine();
        if (Description is not null)
            sb.AppendLine(Description).AppendLine();
        if (FailedSentence is not null)
            sb.AppendLine("**" + FailedSentence + "**").AppendLine();
        sb.AppendLine("## What produced this report").AppendLine().AppendLine(Provenance.ToMarkdown());
        foreach ((string folder, Provenance? recorded) in Sources)
        {
            sb.AppendLine($"### Results from `{folder}`").AppendLine();
            sb.AppendLine(recorded is null ? "No provenance.json in this folder (written by an older LstmLab): its settings are not recorded.\n" : recorded.ToMarkdown());
        }
        sb.Append(MarkdownBody(2, "boxplot.svg"));
        sb.AppendLine("Files: `results.csv` (every repeat), `summary.csv`, `comparisons.csv`, `sem.csv`, `baselines.csv`, `provenance.json`, `experiment_<configuration>.csv`, `boxplot.svg`.");
        return sb.ToString();
    }

    /// <summary>
    /// The results part of the Markdown report (describe(), baseline, box plot, comparisons, SEM), with headings at
    /// <paramref name="level"/>; the box plot is linked as <paramref name="boxPlotPath"/>.
    /// </summary>
    public string MarkdownBody(int level, string boxPlotPath)
    {
        string h = new('#', level);
        var sb = new StringBuilder();
        sb.AppendLine($"{h} Test RMSE (pandas `describe()`)").AppendLine().AppendLine("```").AppendLine(Describe.ToString()).AppendLine("```").AppendLine();
        if (BaselineSentence() is not null)
            sb.AppendLine($"{h} Baselines").AppendLine().Append(MarkdownTable(BaselineHeader, BaselineRows())).AppendLine();
        sb.AppendLine($"![box plot]({boxPlotPath})").AppendLine().AppendLine(BoxPlotCaption).AppendLine();
        if (Rmse.Count > 1)
        {
            sb.AppendLine($"{h} Comparisons").AppendLine().AppendLine(Comparisons.IntervalNote).AppendLine();
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine("- " + sentence);
            sb.AppendLine();
            if (Comparisons.DisagreementSentence is string disagreement)
                sb.AppendLine(disagreement).AppendLine();
            sb.Append(MarkdownTable(ComparisonHeader, ComparisonRows())).AppendLine();
        }
        sb.AppendLine($"{h} How sure: standard error of the mean against repeats").AppendLine().AppendLine(SemSentence()).AppendLine();
        return sb.ToString();
    }

    /// <summary>The report as one self-contained HTML page (inline SVG, no scripts, no external resources).</summary>
    public string Html()
    {
        var sb = new StringBuilder(PageStart(Title));
        if (Description is not null)
            sb.AppendLine("<p>" + E(Description) + "</p>");
        if (FailedSentence is not null)
            sb.AppendLine("<p><strong>" + E(FailedSentence) + "</strong></p>");
        sb.AppendLine("<h2>What produced this report</h2>").Append(Provenance.ToHtml());
        foreach ((string folder, Provenance? recorded) in Sources)
        {
            sb.AppendLine("<h3>Results from <code>" + E(folder) + "</code></h3>");
            sb.Append(recorded is null ? "<p class=\"note\">No provenance.json in this folder (written by an older LstmLab): its settings are not recorded.</p>\n" : recorded.ToHtml());
        }
        sb.Append(HtmlBody(2));
        return sb.Append(PageEnd).ToString();
    }

    /// <summary>The results part of the HTML report, with headings at <paramref name="level"/> and the box plot inline.</summary>
    public string HtmlBody(int level)
    {
        string open = $"<h{level}>", close = $"</h{level}>";
        var sb = new StringBuilder();
        sb.AppendLine(open + "Test RMSE (pandas <code>describe()</code>)" + close).Append(HtmlPre(Describe.ToString()));
        if (BaselineSentence() is not null)
            sb.AppendLine(open + "Baselines" + close).Append(HtmlTable(BaselineHeader, BaselineRows(), "baselines"));
        sb.Append(InlineSvg(BoxPlot())).AppendLine("<p class=\"note\">" + E(BoxPlotCaption) + "</p>");
        if (Rmse.Count > 1)
        {
            sb.AppendLine(open + "Comparisons" + close).AppendLine("<p class=\"note\">" + E(Comparisons.IntervalNote) + "</p><ul>");
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine("<li>" + E(sentence) + "</li>");
            sb.AppendLine("</ul>");
            if (Comparisons.DisagreementSentence is string disagreement)
                sb.AppendLine("<p>" + E(disagreement) + "</p>");
            sb.Append(HtmlTable(ComparisonHeader, ComparisonRows(), "comparisons"));
        }
        sb.AppendLine(open + "How sure: standard error of the mean against repeats" + close).AppendLine("<p>" + E(SemSentence()) + "</p>");
        return sb.ToString();
    }

    private static readonly string[] ComparisonHeader =
        ["pair", "mean difference (first − second)", "Holm-adjusted 95% CI", "Welch p", "Welch p, Holm", "Mann–Whitney p", "Mann–Whitney p, Holm", "significant (Welch, Holm)"];

    private List<IReadOnlyList<string>> ComparisonRows() => Comparisons.Comparisons.Select(c => (IReadOnlyList<string>)
    [
        $"{c.First} vs {c.Second}",
        G(c.MeanDifference),
        double.IsNaN(c.HolmInterval.CiLower) ? "n/a" : $"[{G(c.HolmInterval.CiLower)}, {G(c.HolmInterval.CiUpper)}]",
        G(c.Welch.PValue),
        G(c.WelchHolm),
        G(c.MannWhitney.PValue),
        G(c.MannWhitneyHolm),
        c.Significant ? "yes" : "no",
    ]).ToList();

    private static string G(double v) => double.IsNaN(v) ? "n/a" : v.ToString("G4", CultureInfo.InvariantCulture);
}
