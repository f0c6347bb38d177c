using System.Globalization;
using System.Text;
using LstmLab.Data;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Plots;

namespace LstmLab.Experiments.Forecasting;

/// <summary>What a backtest shows: the model × metric table, <c>backtest.csv</c>, <c>metrics.csv</c> and the plot.</summary>
public static partial class BacktestReport
{
    /// <summary>
    /// The table of every model's overall metrics (steps of all windows pooled, averaged over targets), the
    /// best value per metric marked with <c>*</c>, and the LSTM's row saying on which metrics it beats the best baseline.
    /// </summary>
    public static string Table(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"model",-16}");
        foreach (string m in MetricSet.Names)
            sb.Append(CultureInfo.InvariantCulture, $"{m,12}");
        sb.Append("  vs the best baseline\n");
        foreach (string model in result.Models)
        {
            MetricSet s = result.Overall(model);
            sb.Append(CultureInfo.InvariantCulture, $"{model,-16}");
            foreach (string m in MetricSet.Names)
            {
                string mark = result.Best(m) == model ? "*" : " ";
                sb.Append(CultureInfo.InvariantCulture, $"{Format(s[m]),11}{mark}");
            }
            if (model == result.Model)
                sb.Append("  ").Append(Versus(result));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>"beats seasonal_naive on rmse, mase; loses on mae, …" — the LSTM against the best baseline of each metric.</summary>
    public static string Versus(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var beats = new List<string>();
        var loses = new List<string>();
        foreach (string m in MetricSet.Names)
        {
            double lstm = result.Overall(result.Model)[m];
            double best = Baselines.Names.Select(b => result.Overall(b)[m]).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();
            if (double.IsNaN(lstm) || double.IsNaN(best))
                continue;
            (lstm < best ? beats : loses).Add(m);
        }
        return (beats.Count > 0 ? "beats it on " + string.Join(", ", beats) : "beats it on none")
            + (loses.Count > 0 ? "; not on " + string.Join(", ", loses) : "");
    }

    /// <summary>The JSON object of the issue: horizon, windows, models → metrics (and per target when there are several).</summary>
    public static Dictionary<string, object?> Json(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = new Dictionary<string, object?>
        {
            ["horizon"] = result.Horizon,
            ["windows"] = result.Windows.Count,
            ["models"] = Models(result, null),
            ["best"] = MetricSet.Names.ToDictionary(m => m, result.Best),
            ["seconds"] = result.Seconds,
        };
        if (result.Targets.Length > 1)
            json["targets"] = Enumerable.Range(0, result.Targets.Length).ToDictionary(k => result.Targets[k], k => Models(result, k));
        return json;
    }

    /// <summary>Writes <c>backtest.csv</c>, <c>metrics.csv</c> and <c>backtest.svg</c> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, SeriesFrame frame, BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var rows = new StringBuilder("model,target,window,step,origin,label,actual,forecast\n");
        foreach (string model in result.Models)
        {
            foreach (BacktestWindow w in result.Windows)
            {
                for (int k = 0; k < result.Targets.Length; k++)
                {
                    for (int h = 0; h < result.Horizon; h++)
                    {
                        rows.Append(CultureInfo.InvariantCulture,
                            $"{model},{Csv(result.Targets[k])},{w.Index},{h + 1},{Csv(frame.LabelAt(w.Origin))},{Csv(result.Labels[w.Index][h])},{R(result.Actual[w.Index][k][h])},{R(result.Forecasts[model][w.Index][k][h])}\n");
                    }
                }
            }
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "backtest.csv"), rows.ToString());
        var metrics = new StringBuilder("model,window,origin," + string.Join(',', MetricSet.Names) + "\n");
        foreach (string model in result.Models)
        {
            foreach (BacktestWindow w in result.Windows)
                metrics.Append(CultureInfo.InvariantCulture, $"{model},{w.Index},{Csv(frame.LabelAt(w.Origin))},{Values(result.WindowMetrics(model, w.Index))}\n");
            metrics.Append(CultureInfo.InvariantCulture, $"{model},overall,,{Values(result.Overall(model))}\n");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.csv"), metrics.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "backtest.svg"), Plot(frame, result));
    }

    /// <summary>The chart: the first target's observations and every model's forecasts of each window.</summary>
    public static string Plot(SeriesFrame frame, BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        int target = Array.IndexOf(frame.Names, result.Targets[0]);
        var lines = new List<LineSeries> { new("observed", [.. Enumerable.Range(1, frame.Length).Select(i => (double)i)], frame.Columns[target]) };
        foreach (string model in result.Models)
        {
            var x = new List<double>();
            var y = new List<double>();
            foreach (BacktestWindow w in result.Windows)
            {
                for (int h = 0; h < result.Horizon; h++)
                {
                    x.Add(w.Origin + h + 1);
                    y.Add(result.Forecasts[model][w.Index][0][h]);
                }
                x.Add(double.NaN);
                y.Add(double.NaN);
            }
            lines.Add(new LineSeries(model, x, y));
        }
        return LineChartSvg.Render(lines, new LineChartOptions
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"{result.Targets[0]}: backtest, {result.Windows.Count} windows of {result.Horizon}"),
            XLabel = frame.LabelName is null ? "step" : $"step ({frame.LabelName})",
            YLabel = result.Targets[0],
        });
    }

    /// <summary>A metric for a table: 3 decimals, <c>n/a</c> when undefined.</summary>
    public static string Format(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3", CultureInfo.InvariantCulture);

    private static Dictionary<string, Dictionary<string, double?>> Models(BacktestResult result, int? target) =>
        result.Models.ToDictionary(m => m, m =>
        {
            MetricSet s = result.Overall(m, target);
            return MetricSet.Names.ToDictionary(n => n, n => double.IsNaN(s[n]) ? (double?)null : s[n]);
        });

    private static string Values(MetricSet s) => string.Join(',', MetricSet.Names.Select(n => double.IsNaN(s[n]) ? "" : R(s[n])));

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
