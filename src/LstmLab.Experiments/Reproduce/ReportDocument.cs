using System.Text;
using LstmLab.Experiments.Harness;
using static LstmLab.Experiments.Harness.ReportText;

namespace LstmLab.Experiments.Reproduce;

/// <summary>
/// A report written once and rendered twice, as Markdown and as self-contained HTML, so the two say the same
/// and say it once: headings, paragraphs (plain, "what it means", "a mistake"), tables, preformatted text,
/// and parts that come ready-made in both forms (an experiment's body, an SVG).
/// </summary>
internal sealed class ReportDocument(string title)
{
    private readonly List<(Func<string> Html, Func<string> Markdown)> _blocks = [];

    public string Title => title;

    public ReportDocument Heading(int level, string text) => Add(
        () => $"<h{level}>{E(text)}</h{level}>\n",
        () => $"{new string('#', level)} {text}\n\n");

    public ReportDocument Paragraph(string text) => Add(() => "<p>" + E(text) + "</p>\n", () => text + "\n\n");

    /// <summary>The one sentence of a section that says what its numbers mean.</summary>
    public ReportDocument Meaning(string text) => Add(() => "<p class=\"meaning\">" + E(text) + "</p>\n", () => "**What it means:** " + text + "\n\n");

    /// <summary>A result shown as what it is: a mistake, not a success.</summary>
    public ReportDocument Mistake(string text) => Add(() => "<p class=\"mistake\">" + E(text) + "</p>\n", () => "**The mistake:** " + text + "\n\n");

    public ReportDocument Note(string text) => Add(() => "<p class=\"note\">" + E(text) + "</p>\n", () => "*" + text + "*\n\n");

    public ReportDocument Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string? cssClass = null) => Add(
        () => HtmlTable(header, rows, cssClass),
        () => MarkdownTable(header, rows) + "\n");

    public ReportDocument Pre(string text) => Add(() => HtmlPre(text), () => "```\n" + text.TrimEnd('\n') + "\n```\n\n");

    /// <summary>A part that comes ready in both forms.</summary>
    public ReportDocument Raw(Func<string> html, Func<string> markdown) => Add(html, markdown);

    public string Html()
    {
        var sb = new StringBuilder(PageStart(title));
        foreach (var block in _blocks)
            sb.Append(block.Html());
        return sb.Append(PageEnd).ToString();
    }

    public string Markdown()
    {
        var sb = new StringBuilder($"# {title}\n\n");
        foreach (var block in _blocks)
            sb.Append(block.Markdown());
        return sb.ToString();
    }

    private ReportDocument Add(Func<string> html, Func<string> markdown)
    {
        _blocks.Add((html, markdown));
        return this;
    }
}
