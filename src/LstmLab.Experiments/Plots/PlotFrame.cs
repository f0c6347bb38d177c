namespace LstmLab.Experiments.Plots;

/// <summary>
/// The parts shared by every chart: the plot area, y axis with nice ticks and grid, frame, title and axis
/// labels. Computes the layout from the label sizes, then maps data to pixels.
/// </summary>
internal sealed class PlotFrame
{
    private const double CharWidth = 7.0; // rough width of a 12 px sans-serif character
    private const string AxisColor = "#000000";
    private const string GridColor = "#b0b0b0";

    public PlotFrame(double width, double height, NiceScale yScale, string? title, string? xLabel, string? yLabel, double extraBottom, double minLeft = 0)
    {
        Width = width;
        Height = height;
        YScale = yScale;
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        double yTickWidth = yScale.Ticks.Max(t => yScale.Label(t).Length) * CharWidth;
        Left = Math.Max(minLeft, 12 + (string.IsNullOrEmpty(yLabel) ? 0 : 22) + yTickWidth + 8);
        Top = string.IsNullOrEmpty(title) ? 16 : 40;
        Right = width - 20;
        Bottom = height - (24 + extraBottom + (string.IsNullOrEmpty(xLabel) ? 0 : 22));
        if (Right - Left < 40 || Bottom - Top < 40)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}×{height} canvas leaves no room for the plot area.");
        }
    }

    public double Width { get; }

    public double Height { get; }

    public NiceScale YScale { get; }

    public string? Title { get; }

    public string? XLabel { get; }

    public string? YLabel { get; }

    /// <summary>Pixel x of the plot area's left edge.</summary>
    public double Left { get; }

    /// <summary>Pixel x of the plot area's right edge.</summary>
    public double Right { get; }

    /// <summary>Pixel y of the plot area's top edge.</summary>
    public double Top { get; }

    /// <summary>Pixel y of the plot area's bottom edge.</summary>
    public double Bottom { get; }

    /// <summary>Estimated pixel width of a text at 12 px.</summary>
    public static double TextWidth(string text) => text.Length * CharWidth;

    /// <summary>Pixel y of data value <paramref name="v"/>.</summary>
    public double Y(double v) => Bottom - (v - YScale.Min) / (YScale.Max - YScale.Min) * (Bottom - Top);

    /// <summary>Draws the y grid, the y ticks with labels, the title and the axis labels.</summary>
    public void DrawBackground(SvgDocument svg)
    {
        svg.BeginGroup("class=\"y-axis\"");
        foreach (double tick in YScale.Ticks)
        {
            double y = Y(tick);
            svg.Line(Left, y, Right, y, GridColor, 0.8, "grid");
            svg.Line(Left - 4, y, Left, y, AxisColor, 1, "tick");
            svg.Text(Left - 7, y + 4, YScale.Label(tick), "end", cssClass: "tick-label");
        }

        svg.EndGroup();
        if (!string.IsNullOrEmpty(Title))
        {
            svg.Text((Left + Right) / 2, 24, Title, "middle", 14, "title", weight: "bold");
        }

        if (!string.IsNullOrEmpty(XLabel))
        {
            svg.Text((Left + Right) / 2, Height - 10, XLabel, "middle", cssClass: "x-label");
        }

        if (!string.IsNullOrEmpty(YLabel))
        {
            svg.Text(18, (Top + Bottom) / 2, YLabel, "middle", cssClass: "y-label", rotate: -90);
        }
    }

    /// <summary>Draws the frame (matplotlib's four spines) on top of the data.</summary>
    public void DrawFrame(SvgDocument svg) =>
        svg.Rect(Left, Top, Right - Left, Bottom - Top, "none", AxisColor, 1, "frame");
}
