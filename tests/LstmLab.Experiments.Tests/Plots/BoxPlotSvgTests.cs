using System.Globalization;
using LstmLab.Experiments.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Plots;

// Provenance (whole file) (hand): names restate the boxes passed; 136.76 is the reference line given (the tutorial's
// persistence RMSE, cited), printed with 2 decimals; 6,4 is the dash pattern Plots/BoxPlotSvg.cs specifies.

public class BoxPlotSvgTests
{
    private static Dictionary<string, double[]> Results() => new()
    {
        ["stateful"] = StatsFixture.Sample("stateful"),
        ["stateless"] = StatsFixture.Sample("stateless"),
        ["noseed_3"] = StatsFixture.Sample("noseed_3"),
    };

    [Fact]
    public void Is_valid_svg_with_one_box_per_configuration()
    {
        string svg = BoxPlotSvg.Render(Results(), new BoxPlotOptions { Title = "Test RMSE", XLabel = "configuration", YLabel = "RMSE" });
        var doc = SvgAssert.Parse(svg);
        var boxes = doc.WithClass("box").ToList();
        Assert.Equal(["stateful", "stateless", "noseed_3"], boxes.Select(b => (string)b.Attribute("data-name")!));
        Assert.Equal(3, doc.WithClass("box-body").Count());
        Assert.Equal(3, doc.WithClass("median").Count());
        Assert.Equal(6, doc.WithClass("whisker").Count());
        Assert.Equal(6, doc.WithClass("cap").Count());
        Assert.Equal(["stateful", "stateless", "noseed_3"], doc.WithClass("x-tick-label").Select(t => t.Value));
        Assert.Equal("Test RMSE", doc.WithClass("title").Single().Value);
        Assert.Equal("configuration", doc.WithClass("x-label").Single().Value);
        Assert.Equal("RMSE", doc.WithClass("y-label").Single().Value);
        // noseed_3 has two fliers (matplotlib agrees, see BoxStatsTests); the others none.
        Assert.Equal(2, doc.WithClass("flier").Count());
        Assert.All(doc.WithClass("flier"), f => Assert.Equal("none", (string?)f.Attribute("fill")));
    }

    [Fact]
    public void Y_ticks_are_round_numbers_and_boxes_are_placed_on_that_scale()
    {
        var doc = SvgAssert.Parse(BoxPlotSvg.Render(Results()));
        var labels = doc.WithClass("tick-label").Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(labels.Count >= 3);
        double step = labels[1] - labels[0];
        Assert.Contains(step, new[] { 10.0, 20.0, 25.0, 5.0 });
        Assert.All(labels, l => Assert.Equal(0, Math.IEEERemainder(l, step), 9));

        // Map the gridlines back to values and check the first box's median line sits at its median.
        var grid = doc.WithClass("grid").ToList();
        double y0 = grid[0].D("y1");
        double y1 = grid[^1].D("y1");
        double PixelToValue(double y) => labels[0] + (y - y0) / (y1 - y0) * (labels[^1] - labels[0]);
        var median = doc.WithClass("median").First();
        Assert.Equal(BoxStats.Of(StatsFixture.Sample("stateful")).Median, PixelToValue(median.D("y1")), 0.05);
    }

    [Fact]
    public void Names_are_escaped_and_empty_sets_are_labelled_without_a_box()
    {
        var results = new Dictionary<string, double[]> { ["a<b & \"c\""] = [1, 2, 3], ["none"] = [] };
        string svg = BoxPlotSvg.Render(results, new BoxPlotOptions { Title = "x < y & z" });
        var doc = SvgAssert.Parse(svg);
        Assert.Equal("a<b & \"c\"", doc.WithClass("x-tick-label").First().Value);
        Assert.Equal("x < y & z", doc.WithClass("title").Single().Value);
        Assert.Single(doc.WithClass("box-body"));
        Assert.Equal(2, doc.WithClass("box").Count());
    }

    [Fact]
    public void Uses_invariant_numbers_whatever_the_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // The build runs in invariant-globalization mode, so fake a culture with a decimal comma.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            string svg = BoxPlotSvg.Render(new Dictionary<string, double[]> { ["a"] = [0.15, 0.25, 0.35, 0.9] });
            var doc = SvgAssert.Parse(svg);
            Assert.All(doc.WithClass("tick-label"), t => Assert.DoesNotContain(",", t.Value, StringComparison.Ordinal));
            Assert.Contains(doc.WithClass("tick-label"), t => t.Value.Contains('.', StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Long_names_are_rotated_and_means_can_be_shown()
    {
        var results = Enumerable.Range(0, 6).ToDictionary(i => $"experiment_stateful_seed_train_{i}", i => new double[] { i, i + 1, i + 3 });
        var doc = SvgAssert.Parse(BoxPlotSvg.Render(results, new BoxPlotOptions { ShowMeans = true }));
        Assert.All(doc.WithClass("x-tick-label"), t => Assert.StartsWith("rotate(-30", (string?)t.Attribute("transform"), StringComparison.Ordinal));
        Assert.Equal(6, doc.WithClass("mean").Count());
    }

    [Fact]
    public void Rejects_no_results() =>
        Assert.Throws<ArgumentException>(() => BoxPlotSvg.Render(new Dictionary<string, double[]>()));

    [Fact]
    public void Boxes_show_their_n_and_mean_by_default_and_reference_lines_are_drawn_and_labelled()
    {
        var results = Results();
        var doc = SvgAssert.Parse(BoxPlotSvg.Render(results, new BoxPlotOptions { ReferenceLines = [new ReferenceLine("persistence", 136.761)] }));
        Assert.Equal(results.Values.Select(v => $"n = {v.Length}"), doc.WithClass("count").Select(t => t.Value));
        Assert.Equal(3, doc.WithClass("mean").Count());
        var line = doc.WithClass("reference-line").Single();
        Assert.Equal("6,4", (string?)line.Attribute("stroke-dasharray"));
        Assert.Equal("persistence 136.76", doc.WithClass("reference-label").Single().Value);

        // The y range reaches the reference line even when every box lies far below it: the line sits
        // inside the plot area, below the top gridline.
        var grid = doc.WithClass("grid").ToList();
        double top = grid.Min(g => g.D("y1"));
        double bottom = grid.Max(g => g.D("y1"));
        Assert.InRange(line.D("y1"), top, bottom);

        var plain = SvgAssert.Parse(BoxPlotSvg.Render(results, new BoxPlotOptions { ShowMeans = false, ShowCounts = false }));
        Assert.Empty(plain.WithClass("mean"));
        Assert.Empty(plain.WithClass("count"));
        Assert.Empty(plain.WithClass("reference-line"));
    }

    // Provenance (hand): boxes at 90-160 (the ranges given), a baseline at 312.4 (twice as high: Shampoo's mean
    // forecast), one at -200; the 40% share is BoxPlotOptions' documented default.
    [Fact]
    public void A_reference_line_far_outside_the_boxes_is_an_arrow_at_the_edge_and_does_not_squash_them()
    {
        var results = new Dictionary<string, double[]> { ["a"] = [90, 100, 110, 120], ["b"] = [130, 140, 150, 160] };
        var doc = SvgAssert.Parse(BoxPlotSvg.Render(results, new BoxPlotOptions
        {
            ReferenceLines = [new ReferenceLine("persistence", 136.761), new ReferenceLine("drift", 175, "#8c564b", "2,3"), new ReferenceLine("mean", 312.4), new ReferenceLine("low", -200)],
        }));
        var ticks = doc.WithClass("tick-label").Select(t => double.Parse(t.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // The boxes keep at least 40% of the range: the range is at most (160 - 90) / 0.4 = 175, plus padding and rounding.
        Assert.InRange(ticks.Max() - ticks.Min(), 70, 175 * 1.3);
        Assert.Equal(["drift", "persistence"], doc.WithClass("reference").Select(g => (string)g.Attribute("data-name")!).Order());
        var drift = doc.WithClass("reference").Single(g => (string)g.Attribute("data-name")! == "drift").Descendants().Single(e => (string?)e.Attribute("class") == "reference-line");
        Assert.Equal(("#8c564b", "2,3"), ((string)drift.Attribute("stroke")!, (string)drift.Attribute("stroke-dasharray")!));
        var arrows = doc.WithClass("reference-offscale").ToList();
        Assert.Equal([("mean", "up"), ("low", "down")], arrows.Select(a => ((string)a.Attribute("data-name")!, (string)a.Attribute("data-direction")!)));
        var labels = doc.WithClass("reference-label").Select(t => t.Value).ToList();
        Assert.Contains("mean 312.4 ↑", labels);
        Assert.Contains("low -200 ↓", labels);
        Assert.Equal(2, doc.WithClass("reference-marker").Count());
        // Both markers sit inside the plot area.
        var grid = doc.WithClass("grid").ToList();
        foreach (var t in arrows.SelectMany(a => a.Descendants()).Where(e => e.Name.LocalName == "text"))
            Assert.InRange(t.D("y"), grid.Min(g => g.D("y1")) - 30, grid.Max(g => g.D("y1")));
    }
}
