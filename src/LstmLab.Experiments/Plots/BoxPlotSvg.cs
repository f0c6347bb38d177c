using System.Globalization;

namespace LstmLab.Experiments.Plots;

/// <summary>Options of <see cref="BoxPlotSvg"/>.</summary>
public sealed record BoxPlotOptions
{
    /// <summary>Title above the plot; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>Label under the x axis (e.g. "configuration").</summary>
    public string? XLabel { get; init; }

    /// <summary>Label of the y axis (e.g. "test RMSE").</summary>
    public string? YLabel { get; init; }

    /// <summary>Canvas width in pixels (matplotlib's default figure is 640 × 480).</summary>
    public double Width { get; init; } = 640;

    /// <summary>Canvas height in pixels.</summary>
    public double Height { get; init; } = 480;

    /// <summary>Whisker reach in multiples of the IQR (matplotlib's <c>whis</c>, default 1.5).</summary>
    public double Whis { get; init; } = 1.5;

    /// <summary>Mark each mean with a green triangle (matplotlib's <c>showmeans</c>); on by default.</summary>
    public bool ShowMeans { get; init; } = true;

    /// <summary>Write each box's number of values ("n = 10") above it; on by default.</summary>
    public bool ShowCounts { get; init; } = true;

    /// <summary>
    /// Horizontal reference lines across the plot (e.g. the baselines), each dashed and labelled with its name and
    /// value. The y range is widened to take in a line only while the boxes keep at least
    /// <see cref="MinimumBoxShare"/> of it; a line further out is drawn as a labelled arrow at the plot's top or
    /// bottom edge ("mean 312.43 ↑"), so none is dropped and none squashes the boxes.
    /// </summary>
    public IReadOnlyList<ReferenceLine> ReferenceLines { get; init; } = [];

    /// <summary>The least share of the y range the boxes (whiskers, fliers, means) keep when it is widened for reference lines; default 0.4.</summary>
    public double MinimumBoxShare { get; init; } = 0.4;
}

/// <summary>A horizontal reference line of a <see cref="BoxPlotSvg"/>: a labelled value such as a baseline's error.</summary>
/// <param name="Label">What the value is, e.g. "persistence".</param>
/// <param name="Value">The value, in the plot's units.</param>
/// <param name="Color">The line's colour (default matplotlib's C3, red).</param>
/// <param name="Dash">The line's SVG dash pattern (default <c>6,4</c>).</param>
public sealed record ReferenceLine(string Label, double Value, string? Color = null, string? Dash = null);

/// <summary>
/// Box-and-whisker plots of several named result sets side by side, as pandas' <c>results.boxplot()</c>
/// draws them: a box from Q1 to Q3, a median line, whiskers to the furthest points within whis·IQR of the
/// box (see <see cref="BoxStats"/>), fliers as open circles, nice y ticks with a grid, the names as x tick
/// labels; by default also each mean (green triangle), each box's n above it, and any reference lines
/// (dashed, labelled). Output is a standalone SVG 1.1 document.
/// </summary>
/// <example>
/// <code>
/// File.WriteAllText("boxplot.svg", BoxPlotSvg.Render(results, new BoxPlotOptions { Title = "Test RMSE", YLabel = "RMSE" }));
/// </code>
/// </example>
public static class BoxPlotSvg
{
    private const string BoxColor = "#1f77b4";    // pandas boxplot: boxes, whiskers, caps in C0
    private const string MedianColor = "#2ca02c"; // medians in C2 (the tutorial's "green line")
    private const string ReferenceColor = "#d62728"; // reference lines in C3

    /// <summary>Draws one box per named result set, in enumeration order.</summary>
    /// <exception cref="ArgumentException">No result sets.</exception>
    public static string Render<TValues>(IEnumerable<KeyValuePair<string, TValues>> results, BoxPlotOptions? options = null)
        where TValues : IReadOnlyList<double>
    {
        ArgumentNullException.ThrowIfNull(results);
        options ??= new BoxPlotOptions();
        var boxes = results.Select(kv => (Name: kv.Key, Stats: BoxStats.Of(kv.Value, options.Whis))).ToList();
        if (boxes.Count == 0)
        {
            throw new ArgumentException("At least one result set is needed.", nameof(results));
        }

        // Y range: the boxes (whiskers, fliers, means), widened for the reference lines that fit without squashing
        // them, padded a little so nothing sits on the frame.
        var drawn = boxes.Where(b => b.Stats.Count > 0)
            .SelectMany(b => b.Stats.Fliers.Append(b.Stats.WhiskerLow).Append(b.Stats.WhiskerHigh).Append(b.Stats.Mean))
            .Where(double.IsFinite).ToList();
        var references = options.ReferenceLines.Where(r => double.IsFinite(r.Value)).ToList();
        (double lo, double hi, List<ReferenceLine> inside, List<ReferenceLine> above, List<ReferenceLine> below) = Range(drawn, references, options.MinimumBoxShare);
        double pad = (hi - lo) * 0.03;
        // Room at the top for the "n = …" labels.
        var yScale = NiceScale.For(lo - pad, hi + (options.ShowCounts ? 5 * pad : pad));

        // Rotate the x labels when they would overlap.
        double plotWidthGuess = options.Width - 100;
        double slotGuess = plotWidthGuess / boxes.Count;
        double widestLabel = boxes.Max(b => PlotFrame.TextWidth(b.Name));
        bool rotate = widestLabel > slotGuess - 6;
        double extraBottom = rotate ? widestLabel * 0.5 + 4 : 0;
        // A rotated first label reaches about cos 30° of its width to the left of its tick.
        double minLeft = rotate ? PlotFrame.TextWidth(boxes[0].Name) * 0.87 - slotGuess / 2 + 8 : 0;

        var frame = new PlotFrame(options.Width, options.Height, yScale, options.Title, options.XLabel, options.YLabel, extraBottom, minLeft);
        var svg = new SvgDocument(options.Width, options.Height);
        frame.DrawBackground(svg);

        double slot = (frame.Right - frame.Left) / boxes.Count;
        double boxWidth = 0.5 * slot;
        double capWidth = 0.5 * boxWidth;
        svg.BeginGroup("class=\"boxes\"");
        for (int i = 0; i < boxes.Count; i++)
        {
            var (name, s) = boxes[i];
            double cx = frame.Left + slot * (i + 0.5);
            svg.BeginGroup("class=\"box\" data-name=\"" + SvgDocument.Escape(name) + "\"");
            if (s.Count > 0)
            {
                svg.Title(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: n = {s.Count}, median {s.Median:G6}, Q1 {s.Q1:G6}, Q3 {s.Q3:G6}, whiskers {s.WhiskerLow:G6} to {s.WhiskerHigh:G6}, {s.Fliers.Count} flier(s)"));
                double yQ1 = frame.Y(s.Q1);
                double yQ3 = frame.Y(s.Q3);
                svg.Line(cx, yQ1, cx, frame.Y(s.WhiskerLow), BoxColor, 1, "whisker");
                svg.Line(cx, yQ3, cx, frame.Y(s.WhiskerHigh), BoxColor, 1, "whisker");
                svg.Line(cx - capWidth / 2, frame.Y(s.WhiskerLow), cx + capWidth / 2, frame.Y(s.WhiskerLow), BoxColor, 1, "cap");
                svg.Line(cx - capWidth / 2, frame.Y(s.WhiskerHigh), cx + capWidth / 2, frame.Y(s.WhiskerHigh), BoxColor, 1, "cap");
                svg.Rect(cx - boxWidth / 2, yQ3, boxWidth, Math.Max(yQ1 - yQ3, 0), "none", BoxColor, 1, "box-body");
                svg.Line(cx - boxWidth / 2, frame.Y(s.Median), cx + boxWidth / 2, frame.Y(s.Median), MedianColor, 1.5, "median");
                foreach (double f in s.Fliers)
                {
                    svg.Circle(cx, frame.Y(f), 3.5, "none", "#000000", "flier");
                }

                if (options.ShowCounts)
                {
                    svg.Text(cx, frame.Top + 14, string.Create(CultureInfo.InvariantCulture, $"n = {s.Count}"), "middle", 11, "count");
                }

                if (options.ShowMeans)
                {
                    double ym = frame.Y(s.Mean);
                    svg.Polylines([[(cx - 4, ym + 3.5), (cx + 4, ym + 3.5), (cx, ym - 3.5), (cx - 4, ym + 3.5)]], MedianColor, 1.5, "mean");
                }
            }
            else
            {
                svg.Title(name + ": no results");
            }

            svg.Line(cx, frame.Bottom, cx, frame.Bottom + 4, "#000000", 1, "tick");
            if (rotate)
            {
                svg.Text(cx + 4, frame.Bottom + 16, name, "end", cssClass: "x-tick-label", rotate: -30);
            }
            else
            {
                svg.Text(cx, frame.Bottom + 18, name, "middle", cssClass: "x-tick-label");
            }

            svg.EndGroup();
        }

        svg.EndGroup();
        DrawReferences(svg, frame, inside, above, below, options.ShowCounts);
        frame.DrawFrame(svg);
        return svg.ToString();
    }

    // The y range of the boxes and of the reference lines taken in; the others, above and below it.
    private static (double Lo, double Hi, List<ReferenceLine> Inside, List<ReferenceLine> Above, List<ReferenceLine> Below) Range(
        List<double> drawn, List<ReferenceLine> references, double minimumBoxShare)
    {
        if (drawn.Count == 0)
        {
            var all = references.Select(r => r.Value).DefaultIfEmpty(0).ToList();
            return (all.Min(), references.Count > 0 ? all.Max() : 1, references, [], []);
        }

        double boxLo = drawn.Min(), boxHi = drawn.Max();
        // A zero-width set of boxes still leaves room: as much as 10% of its value.
        double span = Math.Max(boxHi - boxLo, Math.Abs(boxHi) * 0.1);
        double limit = span / Math.Clamp(minimumBoxShare, 0.01, 1);
        double lo = boxLo, hi = boxHi;
        var inside = new List<ReferenceLine>();
        // Nearest first: each line taken in widens the range only as far as the limit allows.
        foreach (ReferenceLine r in references.OrderBy(r => Math.Max(boxLo - r.Value, r.Value - boxHi)))
        {
            double newLo = Math.Min(lo, r.Value), newHi = Math.Max(hi, r.Value);
            if (newHi - newLo <= limit)
            {
                (lo, hi) = (newLo, newHi);
                inside.Add(r);
            }
        }

        var outside = references.Except(inside).ToList();
        return (lo, hi, [.. references.Where(inside.Contains)], [.. outside.Where(r => r.Value > hi).OrderBy(r => r.Value)], [.. outside.Where(r => r.Value < lo).OrderByDescending(r => r.Value)]);
    }

    // Lines across the plot, labels at the right moved apart when close; lines beyond the range as arrows at the edge.
    private static void DrawReferences(SvgDocument svg, PlotFrame frame, List<ReferenceLine> inside, List<ReferenceLine> above, List<ReferenceLine> below, bool counts)
    {
        const double LabelGap = 12;
        double previous = double.NegativeInfinity;
        foreach (ReferenceLine reference in inside.OrderBy(r => frame.Y(r.Value)))
        {
            double y = frame.Y(reference.Value);
            double labelY = Math.Max(y - 4, previous + LabelGap);
            previous = labelY;
            svg.BeginGroup("class=\"reference\" data-name=\"" + SvgDocument.Escape(reference.Label) + "\"");
            svg.Line(frame.Left, y, frame.Right, y, reference.Color ?? ReferenceColor, 1.2, "reference-line", reference.Dash ?? "6,4");
            svg.Text(frame.Right - 4, labelY, string.Create(CultureInfo.InvariantCulture, $"{reference.Label} {reference.Value:G5}"), "end", 11, "reference-label",
                fill: reference.Color ?? ReferenceColor, halo: true);
            svg.EndGroup();
        }

        // Off the scale: an arrow at the edge with the label, stacked inwards (below the "n = …" row at the top).
        for (int k = 0; k < above.Count; k++)
            OffScale(svg, frame, above[k], frame.Top + (counts ? 30 : 14) + k * LabelGap, up: true);
        for (int k = 0; k < below.Count; k++)
            OffScale(svg, frame, below[k], frame.Bottom - 6 - k * LabelGap, up: false);
    }

    private static void OffScale(SvgDocument svg, PlotFrame frame, ReferenceLine reference, double y, bool up)
    {
        string color = reference.Color ?? ReferenceColor;
        double x = frame.Right - 8;
        svg.BeginGroup("class=\"reference-offscale\" data-name=\"" + SvgDocument.Escape(reference.Label) + "\" data-direction=\"" + (up ? "up" : "down") + "\"");
        svg.Title(string.Create(CultureInfo.InvariantCulture, $"{reference.Label} {reference.Value:G6}: {(up ? "above" : "below")} the axis range"));
        double tip = up ? y - 8 : y + 2, tail = up ? y + 2 : y - 8;
        svg.Polylines([[(x, tail), (x, tip)], [(x - 3.5, up ? tip + 4 : tip - 4), (x, tip), (x + 3.5, up ? tip + 4 : tip - 4)]], color, 1.5, "reference-marker");
        svg.Text(x - 6, y, string.Create(CultureInfo.InvariantCulture, $"{reference.Label} {reference.Value:G5} {(up ? "↑" : "↓")}"), "end", 11, "reference-label",
            fill: color, halo: true);
        svg.EndGroup();
    }
}
