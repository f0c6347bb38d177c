using LstmLab.Experiments.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Plots;

// Provenance (whole file) (cited): the values are the shampoo series' last 12 months
// (src/LstmLab/Data/Resources/shampoo-sales.csv, from the seed 001 tutorial); the title and segment count restate the
// input (12 points, 11 segments).

public class LineChartSvgTests
{
    private static readonly double[] Expected = [339.7, 440.4, 315.9, 439.3, 401.3, 437.4, 575.5, 407.6, 682.0, 475.3, 581.3, 646.9];
    private static readonly double[] Predicted = [346.3, 310.5, 445.2, 309.0, 448.1, 387.3, 459.5, 551.2, 414.4, 655.0, 480.6, 601.0];

    [Fact]
    public void Expected_vs_predicted_has_two_lines_a_legend_and_axes()
    {
        string svg = LineChartSvg.Render(
            [LineSeries.FromValues("expected", Expected), LineSeries.FromValues("predicted", Predicted)],
            new LineChartOptions { Title = "Shampoo sales: last 12 months", XLabel = "month", YLabel = "sales" });
        var doc = SvgAssert.Parse(svg);
        Assert.Equal(["expected", "predicted"], doc.WithClass("series").Select(s => (string)s.Attribute("data-name")!));
        Assert.Equal(2, doc.WithClass("line").Count());
        Assert.Equal(24, doc.WithClass("marker").Count()); // 12 points each, markers on by default for short series
        Assert.Equal(["expected", "predicted"], doc.WithClass("legend-label").Select(t => t.Value));
        Assert.Equal(2, doc.WithClass("legend-line").Count());
        Assert.Equal("Shampoo sales: last 12 months", doc.WithClass("title").Single().Value);
        Assert.NotEqual(
            (string?)doc.WithClass("line").First().Attribute("stroke"),
            (string?)doc.WithClass("line").Last().Attribute("stroke"));
        // Every line starts with a move and has 11 line-to segments.
        string d = (string)doc.WithClass("line").First().Attribute("d")!;
        Assert.StartsWith("M", d, StringComparison.Ordinal);
        Assert.Equal(11, d.Count(ch => ch == 'L'));
    }

    [Fact]
    public void Nan_breaks_the_line_into_segments()
    {
        var series = new LineSeries("gappy", [0, 1, 2, 3, 4], [1, 2, double.NaN, 4, 5]);
        var doc = SvgAssert.Parse(LineChartSvg.Render([series], new LineChartOptions { ShowMarkers = false, ShowLegend = false }));
        string d = (string)doc.WithClass("line").Single().Attribute("d")!;
        Assert.Equal(2, d.Count(ch => ch == 'M'));
        Assert.Empty(doc.WithClass("marker"));
        Assert.Empty(doc.WithClass("legend"));
    }

    [Fact]
    public void Mismatched_lengths_and_no_series_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new LineSeries("x", [1, 2], [1]));
        Assert.Throws<ArgumentException>(() => LineChartSvg.Render([]));
    }

    [Fact]
    public void Constant_series_still_gets_a_y_range()
    {
        var doc = SvgAssert.Parse(LineChartSvg.Render([LineSeries.FromValues("flat", [3, 3, 3])]));
        Assert.True(doc.WithClass("tick-label").Count() >= 3);
    }
}
