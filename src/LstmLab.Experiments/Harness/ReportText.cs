using System.Net;
using System.Text;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// The pieces every report page shares: one style sheet, tables that scroll inside their own box instead of
/// running off the page, preformatted blocks that do the same, and Markdown tables with escaped cells.
/// Pages are self-contained: no scripts, no external resources.
/// </summary>
public static class ReportText
{
    // Body at most 1,100 px wide: at a 1,200 px window nothing but a table's own box ever scrolls sideways.
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}" +
        "h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}h3{margin-top:1.4em}" +
        ".scroll{overflow-x:auto;max-width:100%;margin:.6em 0}" +
        "pre{background:#f6f8fa;padding:.8em;margin:0}" +
        "table{border-collapse:collapse;font-size:.92em}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}" +
        "th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
        "svg{max-width:100%;height:auto}.meaning{background:#eef6ee;border-left:4px solid #2ca02c;padding:.4em .8em}" +
        ".mistake{background:#fbeeee;border-left:4px solid #d62728;padding:.4em .8em}.note{color:#555}";

    /// <summary>HTML-encodes <paramref name="text"/>.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The start of a page: doctype, title, the style sheet, and the &lt;h1&gt;.</summary>
    public static string PageStart(string title) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + E(title) + "</title>\n<style>" + Style + "</style></head><body>\n<h1>" + E(title) + "</h1>\n";

    /// <summary>The end of a page.</summary>
    public const string PageEnd = "</body></html>\n";

    /// <summary>A table in its own scrolling box; cells are encoded; cells that parse as numbers are right-aligned.</summary>
    public static string HtmlTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string? cssClass = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("<div class=\"scroll\"><table");
        if (cssClass is not null)
            sb.Append(" class=\"").Append(E(cssClass)).Append('"');
        sb.Append("><thead><tr>");
        foreach (string h in header)
            sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (IReadOnlyList<string> row in rows)
        {
            sb.Append("<tr>");
            foreach (string cell in row)
                sb.Append(IsNumber(cell) ? "<td class=\"num\">" : "<td>").Append(E(cell)).Append("</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody></table></div>\n").ToString();
    }

    /// <summary>Preformatted text (a pandas table) in its own scrolling box.</summary>
    public static string HtmlPre(string text) => "<div class=\"scroll\"><pre>" + E(text) + "</pre></div>\n";

    /// <summary>A Markdown table.</summary>
    public static string MarkdownTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("| ").AppendJoin(" | ", header.Select(MarkdownCell)).Append(" |\n|");
        foreach (string _ in header)
            sb.Append(" --- |");
        sb.Append('\n');
        foreach (IReadOnlyList<string> row in rows)
            sb.Append("| ").AppendJoin(" | ", row.Select(MarkdownCell)).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>A Markdown table cell: pipes escaped, line breaks as spaces.</summary>
    public static string MarkdownCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    /// <summary>An SVG document inlined in HTML (its XML declaration dropped).</summary>
    public static string InlineSvg(string svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        string body = svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
        return "<div class=\"scroll\">" + body + "</div>\n";
    }

    private static bool IsNumber(string cell) =>
        cell.Length > 0 && double.TryParse(cell.TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
