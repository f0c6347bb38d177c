using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Plots;

namespace LstmLab.Experiments.Forecasting;

/// <summary>The line chart of a forecast: the whole observed series and the forecasts over the test steps.</summary>
public static class ForecastPlot
{
    /// <summary>Renders the chart as a standalone SVG document.</summary>
    public static string Render(TimeSeries series, ForecastResult result, string model)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(result);
        int first = series.Length - result.Predicted.Length;
        var observed = new LineSeries("expected (observed)", Enumerable.Range(1, series.Length).Select(i => (double)i).ToArray(), series.Values);
        var predicted = new LineSeries($"predicted ({model})", Enumerable.Range(first + 1, result.Predicted.Length).Select(i => (double)i).ToArray(), result.Predicted);
        string range = series.Labels is null ? "" : $", test {series.LabelAt(first)} .. {series.LabelAt(series.Length - 1)}";
        return LineChartSvg.Render([observed, predicted], new LineChartOptions
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"{series.Name}: {model} one-step forecasts, RMSE {result.Rmse:F3}{range}"),
            XLabel = series.LabelName is null ? "step" : $"step ({series.LabelName})",
            YLabel = series.Name,
        });
    }

    /// <summary>Writes the chart to <paramref name="path"/> (creating its folder).</summary>
    public static void Write(string path, TimeSeries series, ForecastResult result, string model)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, Render(series, result, model));
    }

    /// <summary>Writes the chart of a future forecast: the observed series and the <paramref name="future"/> steps after it.</summary>
    public static void WriteFuture(string path, TimeSeries series, double[] future, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(future);
        ArgumentNullException.ThrowIfNull(labels);
        var observed = new LineSeries("observed", Enumerable.Range(1, series.Length).Select(i => (double)i).ToArray(), series.Values);
        var forecast = new LineSeries("forecast (LSTM)", Enumerable.Range(series.Length + 1, future.Length).Select(i => (double)i).ToArray(), future);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, LineChartSvg.Render([observed, forecast], new LineChartOptions
        {
            Title = $"{series.Name}: {future.Length}-step forecast, {labels[0]} .. {labels[^1]}",
            XLabel = series.LabelName is null ? "step" : $"step ({series.LabelName})",
            YLabel = series.Name,
        }));
    }
}
