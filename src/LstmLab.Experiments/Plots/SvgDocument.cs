using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Plots;

/// <summary>
/// A minimal writer for standalone SVG 1.1: numbers in invariant culture, text escaped for XML (characters
/// XML 1.0 forbids are dropped), no external resources.
/// </summary>
internal sealed class SvgDocument
{
    /// <summary>matplotlib's default color cycle ("tab10").</summary>
    public static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const string FontFamily = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

    private readonly StringBuilder _sb = new();
    private int _depth = 1;

    public SvgDocument(double width, double height)
    {
        _sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").Append(N(width))
          .Append("\" height=\"").Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
          .Append("\" font-family=\"").Append(FontFamily).Append("\" font-size=\"12\">\n");
        Indent();
        _sb.Append("<rect x=\"0\" y=\"0\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height)).Append("\" fill=\"white\"/>\n");
    }

    /// <summary>A number with at most two decimals, invariant culture ("12.5", "-3").</summary>
    public static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.</summary>
    public static string Escape(string text)
    {
        var e = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': e.Append("&amp;"); break;
                case '<': e.Append("&lt;"); break;
                case '>': e.Append("&gt;"); break;
                case '"': e.Append("&quot;"); break;
                case '\'': e.Append("&apos;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        e.Append(c).Append(text[++i]);
                    }
                    else if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
                    {
                        e.Append(c);
                    }

                    break;
            }
        }

        return e.ToString();
    }

    /// <summary>Opens a group; <paramref name="attributes"/> is raw, already escaped attribute text.</summary>
    public void BeginGroup(string attributes)
    {
        Indent();
        _sb.Append("<g ").Append(attributes).Append(">\n");
        _depth++;
    }

    /// <summary>Closes the innermost group.</summary>
    public void EndGroup()
    {
        _depth--;
        Indent();
        _sb.Append("</g>\n");
    }

    /// <summary>A tooltip: an SVG &lt;title&gt; child of the current group.</summary>
    public void Title(string text)
    {
        Indent();
        _sb.Append("<title>").Append(Escape(text)).Append("</title>\n");
    }

    /// <summary>A straight line.</summary>
    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? cssClass = null, string? dash = null)
    {
        Indent();
        _sb.Append("<line");
        Class(cssClass);
        _sb.Append(" x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
          .Append("\" y2=\"").Append(N(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        if (dash is not null)
        {
            _sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        _sb.Append("/>\n");
    }

    /// <summary>A rectangle.</summary>
    public void Rect(double x, double y, double width, double height, string fill, string stroke, double strokeWidth = 1, string? cssClass = null)
    {
        Indent();
        _sb.Append("<rect");
        Class(cssClass);
        _sb.Append(" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(width))
          .Append("\" height=\"").Append(N(height)).Append("\" fill=\"").Append(fill).Append("\" stroke=\"").Append(stroke)
          .Append("\" stroke-width=\"").Append(N(strokeWidth)).Append("\"/>\n");
    }

    /// <summary>A circle.</summary>
    public void Circle(double cx, double cy, double r, string fill, string stroke, string? cssClass = null)
    {
        Indent();
        _sb.Append("<circle");
        Class(cssClass);
        _sb.Append(" cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(r))
          .Append("\" fill=\"").Append(fill).Append("\" stroke=\"").Append(stroke).Append("\"/>\n");
    }

    /// <summary>An open path through the given segments (each segment a polyline; gaps between segments).</summary>
    public void Polylines(IReadOnlyList<IReadOnlyList<(double X, double Y)>> segments, string stroke, double width, string? cssClass = null)
    {
        var d = new StringBuilder();
        foreach (var segment in segments)
        {
            for (int i = 0; i < segment.Count; i++)
            {
                d.Append(d.Length == 0 ? string.Empty : " ").Append(i == 0 ? 'M' : 'L').Append(N(segment[i].X)).Append(',').Append(N(segment[i].Y));
            }
        }

        if (d.Length == 0)
        {
            return;
        }

        Indent();
        _sb.Append("<path");
        Class(cssClass);
        _sb.Append(" d=\"").Append(d).Append("\" fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width))
          .Append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
    }

    /// <summary>
    /// Text at (x, y); <paramref name="anchor"/> is start, middle or end; optional rotation about (x, y); optional
    /// <paramref name="fill"/> colour, and a white <paramref name="halo"/> (an outline painted under the glyphs) so the
    /// text stays legible over lines.
    /// </summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string? cssClass = null, double rotate = 0, string? weight = null,
        string? fill = null, bool halo = false)
    {
        Indent();
        _sb.Append("<text");
        Class(cssClass);
        _sb.Append(" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor).Append('"');
        if (size != 12)
        {
            _sb.Append(" font-size=\"").Append(N(size)).Append('"');
        }

        if (weight is not null)
        {
            _sb.Append(" font-weight=\"").Append(weight).Append('"');
        }

        if (fill is not null)
        {
            _sb.Append(" fill=\"").Append(fill).Append('"');
        }

        if (halo)
        {
            _sb.Append(" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
        }

        if (rotate != 0)
        {
            _sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }

        _sb.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    /// <summary>Closes the document and returns it.</summary>
    public override string ToString() => _sb.ToString() + "</svg>\n";

    private void Class(string? cssClass)
    {
        if (cssClass is not null)
        {
            _sb.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        }
    }

    private void Indent() => _sb.Append(' ', 2 * _depth);
}
