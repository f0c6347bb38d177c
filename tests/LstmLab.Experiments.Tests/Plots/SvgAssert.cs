using System.Xml.Linq;
using Xunit;

namespace LstmLab.Experiments.Tests.Plots;

internal static class SvgAssert
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Parses the document as XML and checks it is a standalone SVG 1.1 root.</summary>
    // Provenance (spec): SVG 1.1 is the version the plots declare.
    public static XDocument Parse(string svg)
    {
        XDocument doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal("1.1", (string?)doc.Root.Attribute("version"));
        Assert.NotNull(doc.Root.Attribute("viewBox"));
        // No external resources: no href, no url(…), no <image>, no <script>.
        Assert.DoesNotContain("href", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(doc.Descendants(Svg + "image"));
        Assert.Empty(doc.Descendants(Svg + "script"));
        return doc;
    }

    public static IEnumerable<XElement> WithClass(this XDocument doc, string cssClass) =>
        doc.Descendants().Where(e => (string?)e.Attribute("class") == cssClass);

    public static double D(this XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);
}
