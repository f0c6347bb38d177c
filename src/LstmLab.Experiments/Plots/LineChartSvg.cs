namespace LstmLab.Experiments.Plots;

/// <summary>One line of a <see cref="LineChartSvg"/>: points (X[i], Y[i]); NaN in either breaks the line.</summary>
public sealed record LineSeries
{
    /// <summary>Creates a series from matching x and y values.</summary>
    /// <exception cref="ArgumentException">X and Y differ in length.</exception>
    public LineSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}': X has {x.Count} values but Y has {y.Count}.", nameof(y));
        }

        Name = name;
        X = x;
        Y = y;
    }

    /// <summary>Legend text.</summary>
    public string Name { get; }

    /// <summary>X coordinates.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>Y coordinates.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>A series with x = 0, 1, 2, … (pandas' default index).</summary>
    public static LineSeries FromValues(string name, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return new LineSeries(name, Enumerable.Range(0, y.Count).Select(i => (double)i).ToArray(), y);
    }
}

/// <summary>Options of <see cref="LineChartSvg"/>.</summary>
public sealed record LineChartOptions
{
    /// <summary>Title above the plot; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>Label under the x axis (e.g. "month").</summary>
    public string? XLabel { get; init; }

    /// <summary>Label of the y axis (e.g. "sales").</summary>
    public string? YLabel { get; init; }

    /// <summary>Canvas width in pixels.</summary>
    public double Width { get; init; } = 640;

    /// <summary>Canvas height in pixels.</summary>
    public double Height { get; init; } = 480;

    /// <summary>Mark each point with a dot; null (default) marks them when no series has more than 50 points.</summary>
    public bool? ShowMarkers { get; init; }

    /// <summary>Draw the legend (top right inside the plot); default true.</summary>
    public bool ShowLegend { get; init; } = true;
}

/// <summary>
/// Line chart of one or more (x, y) series with a legend, axes with nice ticks and a grid — e.g. expected vs
/// predicted values of a walk-forward forecast. Output is a standalone SVG 1.1 document; colors follow
/// matplotlib's default cycle.
/// </summary>
/// <example>
/// <code>
/// string svg = LineChartSvg.Render(
///     [LineSeries.FromValues("expected", expected), LineSeries.FromValues("predicted", predicted)],
///     new LineChartOptions { Title = "Shampoo sales, last 12 months", XLabel = "month", YLabel = "sales" });
/// </code>
/// </example>
public static class LineChartSvg
{
    /// <summary>Draws the series in order (later series on top).</summary>
    /// <exception cref="ArgumentException">No series.</exception>
    public static string Render(IEnumerable<LineSeries> series, LineChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new LineChartOptions();
        var list = series.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one series is needed.", nameof(series));
        }

        var points = list.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        double xMin = points.Count > 0 ? points.Min(p => p.First) : 0;
        double xMax = points.Count > 0 ? points.Max(p => p.First) : 1;
        double yMin = points.Count > 0 ? points.Min(p => p.Second) : 0;
        double yMax = points.Count > 0 ? points.Max(p => p.Second) : 1;
        double yPad = (yMax - yMin) * 0.03;
        var yScale = NiceScale.For(yMin - yPad, yMax + yPad);
        var xScale = NiceScale.For(xMin, xMax, 10);

        var frame = new PlotFrame(options.Width, options.Height, yScale, options.Title, options.XLabel, options.YLabel, 0);
        var svg = new SvgDocument(options.Width, options.Height);
        frame.DrawBackground(svg);
        double X(double v) => frame.Left + (v - xScale.Min) / (xScale.Max - xScale.Min) * (frame.Right - frame.Left);

        svg.BeginGroup("class=\"x-axis\"");
        foreach (double tick in xScale.Ticks)
        {
            double x = X(tick);
            svg.Line(x, frame.Top, x, frame.Bottom, "#b0b0b0", 0.8, "grid");
            svg.Line(x, frame.Bottom, x, frame.Bottom + 4, "#000000", 1, "tick");
            svg.Text(x, frame.Bottom + 18, xScale.Label(tick), "middle", cssClass: "tick-label");
        }

        svg.EndGroup();

        bool markers = options.ShowMarkers ?? list.All(s => s.X.Count <= 50);
        var allSegments = new List<List<(double X, double Y)>>();
        for (int k = 0; k < list.Count; k++)
        {
            LineSeries s = list[k];
            string color = SvgDocument.Palette[k % SvgDocument.Palette.Length];
            svg.BeginGroup("class=\"series\" data-name=\"" + SvgDocument.Escape(s.Name) + "\"");
            svg.Title(s.Name);
            var segments = new List<IReadOnlyList<(double X, double Y)>>();
            var current = new List<(double X, double Y)>();
            for (int i = 0; i < s.X.Count; i++)
            {
                if (double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
                {
                    current.Add((X(s.X[i]), frame.Y(s.Y[i])));
                }
                else if (current.Count > 0)
                {
                    segments.Add(current);
                    current = [];
                }
            }

            if (current.Count > 0)
            {
                segments.Add(current);
            }

            allSegments.AddRange(segments.Select(seg => seg.ToList()));
            svg.Polylines(segments, color, 1.5, "line");
            if (markers)
            {
                foreach (var (px, py) in segments.SelectMany(seg => seg))
                {
                    svg.Circle(px, py, 2.5, color, color, "marker");
                }
            }

            svg.EndGroup();
        }

        frame.DrawFrame(svg);
        if (options.ShowLegend)
        {
            DrawLegend(svg, frame, list, allSegments);
        }

        return svg.ToString();
    }

    // matplotlib's loc='best', simplified: the corner of the plot area whose legend box covers the fewest
    // points of the drawn lines (each line sampled densely along its segments).
    private static void DrawLegend(SvgDocument svg, PlotFrame frame, List<LineSeries> list, List<List<(double X, double Y)>> lines)
    {
        double width = 40 + list.Max(s => PlotFrame.TextWidth(s.Name));
        double height = 8 + 18 * list.Count;
        var samples = new List<(double X, double Y)>();
        foreach (var line in lines)
        {
            for (int i = 0; i < line.Count; i++)
            {
                samples.Add(line[i]);
                if (i + 1 < line.Count)
                {
                    for (int k = 1; k < 20; k++)
                    {
                        double f = k / 20.0;
                        samples.Add((line[i].X + f * (line[i + 1].X - line[i].X), line[i].Y + f * (line[i + 1].Y - line[i].Y)));
                    }
                }
            }
        }

        (double X, double Y)[] corners =
        [
            (frame.Right - width - 8, frame.Top + 8),
            (frame.Left + 8, frame.Top + 8),
            (frame.Right - width - 8, frame.Bottom - height - 8),
            (frame.Left + 8, frame.Bottom - height - 8),
        ];
        var (x, y) = corners.MinBy(c => samples.Count(p => p.X >= c.X - 4 && p.X <= c.X + width + 4 && p.Y >= c.Y - 4 && p.Y <= c.Y + height + 4));
        svg.BeginGroup("class=\"legend\"");
        svg.Rect(x, y, width, height, "white", "#cccccc", 1, "legend-box");
        for (int k = 0; k < list.Count; k++)
        {
            string color = SvgDocument.Palette[k % SvgDocument.Palette.Length];
            double rowY = y + 13 + 18 * k;
            svg.Line(x + 8, rowY, x + 28, rowY, color, 2, "legend-line");
            svg.Text(x + 34, rowY + 4, list[k].Name, cssClass: "legend-label");
        }

        svg.EndGroup();
    }
}
