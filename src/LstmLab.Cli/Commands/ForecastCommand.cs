using System.CommandLine;
using System.Globalization;
using System.Text;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>lstmlab forecast</c>: without <c>--horizon</c>, the seed's walk-forward one-step forecasts of the last
/// <c>--test</c> steps, scored beside the four baselines; with <c>--horizon H</c>, trains on all the data
/// (after a backtest when <c>--windows</c> is given) and forecasts the H steps after the last observation.
/// </summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var settings = new SchemaOptions<ForecastOptions>(ForecastSettings.All.Where(s => s.Commands.Contains("forecast")));
        var persistence = new Option<bool>("--persistence") { Description = "Evaluate only the persistence baseline, without training." };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG line chart of the observed series and the forecasts to this file." };
        var output = new Option<string?>("--out") { Description = "With --horizon: write the future forecasts to this CSV file (label, then one column per target)." };
        var save = new Option<string?>("--save") { Description = "With --horizon: save the trained forecaster (columns, settings, scaler, network) for `lstmlab predict`." };
        var json = CommonOptions.Json();
        var command = new Command("forecast", "Forecast a series with an LSTM: the seed's one-step walk-forward with baselines, or the future with --horizon.");
        data.AddTo(command);
        settings.AddTo(command);
        foreach (Option o in new Option[] { persistence, plot, output, save, json })
            command.Options.Add(o);
        Option<string?> store = CommandStore.AddTo(command);
        command.SetAction(parse => Guard(() => SchemaOptions<ForecastOptions>.MapErrors(() =>
        {
            CommandStore.Check(parse, store);
            if (parse.GetValue(plot) is string plotPath)
                CheckWritableFile(plotPath, "--plot");
            if (parse.GetValue(output) is string outPath)
                CheckWritableFile(outPath, "--out");
            DataSource source = data.Source(parse);
            ForecastOptions options = settings.Apply(parse, new ForecastOptions());
            options.Validate();
            SeriesFrame frame = DataOptions.LoadFrame(source);
            int targets = source.TargetCount(frame);
            if (parse.GetValue(save) is not null && !settings.Given(parse, nameof(ForecastOptions.Horizon)))
                throw new ArgumentException("--save keeps a forecaster of the future: give --horizon H too.");
            var losses = new List<double>();
            Action<IEnumerable<(string, double)>> record = finals => CommandStore.Record(parse, store, "forecast", CommandStore.DataOf(frame, source), ["run"], 1, options.Seed,
                [new CommandUnit("run", 0, options.Seed, CommandUnit.MetricsOf(finals, ("loss", losses)))]);
            return settings.Given(parse, nameof(ForecastOptions.Horizon))
                ? Future(frame, targets, options, parse.GetValue(output), parse.GetValue(plot), parse.GetValue(json), parse.GetValue(save), losses, record)
                : OneStep(frame, targets, options, parse.GetValue(persistence), parse.GetValue(plot), parse.GetValue(json), losses, record);
        })));
        return command;
    }

    private static int OneStep(SeriesFrame frame, int targets, ForecastOptions options, bool persistenceOnly, string? plotPath, bool json,
        List<double> losses, Action<IEnumerable<(string, double)>> record)
    {
        TimeSeries series = frame.Series(frame.Width - targets);
        ForecastResult baseline = WalkForward.Persistence(series, options.Test);
        if (persistenceOnly)
        {
            record([("persistence_rmse", baseline.Rmse), ("persistence_mae", baseline.Mae)]);
            return Report(series, null, baseline, null, plotPath, json);
        }
        ForecastOptions seed = options.SeedProtocol();
        Console.Error.WriteLine(F($"Forecasting {series.Name} from {series.Source} ({series.Length} values): last {options.Test} steps; {options.DescribeNetwork()}, batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}"));
        var bar = new ProgressBar("Training", options.Epochs);
        BacktestResult r = Backtest.Run(frame, targets, seed, 1, null, e =>
        {
            losses.Add(e.Loss);
            bar.Advance(1, F($"loss {e.Loss:F5}"));
        });
        Warn(r.Warnings);
        var result = new ForecastResult([.. r.Labels.SelectMany(l => l)], [.. r.Forecasts[r.Model].SelectMany(w => w[0])], [.. r.Actual.SelectMany(w => w[0])], r.Seconds, r.FinalLoss);
        record(CommandStore.BacktestMetrics(r).Append(("persistence_rmse", baseline.Rmse)));
        return Report(series, result, baseline, r, plotPath, json);
    }

    private static int Report(TimeSeries series, ForecastResult? result, ForecastResult baseline, BacktestResult? backtest, string? plotPath, bool json)
    {
        ForecastResult shown = result ?? baseline;
        for (int i = 0; i < shown.Predicted.Length; i++)
            Console.WriteLine(F($"Month={i + 1}, Predicted={shown.Predicted[i]:F6}, Expected={shown.Expected[i]:F6}"));
        if (result is not null)
            Console.WriteLine(F($"Test RMSE: {result.Rmse:F3}"));
        Console.WriteLine(F($"Persistence RMSE: {baseline.Rmse:F3}"));
        if (backtest is not null)
            Console.Write(BacktestReport.Table(backtest));
        if (plotPath is not null)
        {
            ForecastPlot.Write(plotPath, series, shown, result is null ? "persistence" : backtest?.Model.ToUpperInvariant() ?? "LSTM");
            Console.Error.WriteLine($"Plot written to {plotPath}");
        }
        if (json)
        {
            WriteJsonLine(new
            {
                Rmse = shown.Rmse,
                PersistenceRmse = baseline.Rmse,
                shown.Mae,
                shown.Mape,
                PersistenceMae = baseline.Mae,
                Predictions = shown.Predicted,
                Expected = shown.Expected,
                shown.Labels,
                Model = result is null ? "persistence" : backtest?.Model ?? "lstm",
                shown.Seconds,
                Models = backtest is null ? null : BacktestReport.Json(backtest)["models"],
            });
        }
        return 0;
    }

    private static int Future(SeriesFrame frame, int targets, ForecastOptions options, string? outPath, string? plotPath, bool json, string? savePath,
        List<double> losses, Action<IEnumerable<(string, double)>> record)
    {
        Dictionary<string, object?>? backtestJson = null;
        var finals = new List<(string, double)>();
        if (options.Windows is not null)
        {
            var windows = new ProgressBar("Backtest windows", options.Windows.Value);
            BacktestResult r = Backtest.Run(frame, targets, options, null, _ => windows.Advance());
            Warn(r.Warnings);
            Console.WriteLine(F($"Backtest: {r.Windows.Count} windows of {r.Horizon} steps"));
            Console.Write(BacktestReport.Table(r));
            backtestJson = BacktestReport.Json(r);
            finals.AddRange(CommandStore.BacktestMetrics(r).Select(m => ("backtest_" + m.Name, m.Value)));
        }
        Console.Error.WriteLine(F($"Training on all {frame.Length} steps of {frame.Source}, then forecasting {options.Horizon} steps ({options.Strategy.ToString().ToLowerInvariant()}); {options.DescribeNetwork()}"));
        var bar = new ProgressBar("Training", options.Epochs);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (LstmForecaster model, double[][] future, IReadOnlyList<string> warnings) = Backtest.Future(frame, targets, options, e =>
        {
            losses.Add(e.Loss);
            bar.Advance(1, F($"loss {e.Loss:F5}"));
        });
        finals.AddRange(future.SelectMany((f, k) => f.Select((v, h) => (F($"future_{k}_{h + 1}"), v))));
        finals.Add(("seconds", clock.Elapsed.TotalSeconds));
        record(finals);
        Warn(warnings);
        if (savePath is not null)
        {
            ForecasterFile.Save(model, savePath);
            Console.Error.WriteLine($"Forecaster saved to {savePath}");
        }
        return WriteFuture(frame, targets, options, future, outPath, plotPath, json, backtestJson);
    }

    /// <summary>Prints (and writes) a future forecast: the table, the CSV, the plot, the JSON line.</summary>
    internal static int WriteFuture(SeriesFrame frame, int targets, ForecastOptions options, double[][] future, string? outPath, string? plotPath, bool json,
        Dictionary<string, object?>? backtestJson)
    {
        string[] labels = LabelContinuation.Next(frame, options.Horizon);
        string[] names = frame.Names[^targets..];
        var csv = new StringBuilder(Quote(frame.LabelName ?? "step")).Append(',').AppendJoin(',', names.Select(Quote)).Append('\n');
        Console.WriteLine($"{frame.LabelName ?? "step",-12}" + string.Concat(names.Select(n => $"{n,16}")));
        for (int h = 0; h < labels.Length; h++)
        {
            Console.WriteLine($"{labels[h],-12}" + string.Concat(future.Select(f => F($"{f[h],16:F3}"))));
            csv.Append(Quote(labels[h])).Append(',').AppendJoin(',', future.Select(f => f[h].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        if (outPath is not null)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (folder is not null)
                Directory.CreateDirectory(folder);
            AtomicFile.WriteAllText(outPath, csv.ToString());
            Console.Error.WriteLine($"Forecasts written to {outPath}");
        }
        if (plotPath is not null)
        {
            ForecastPlot.WriteFuture(plotPath, frame.Series(frame.Width - targets), future[0], labels);
            Console.Error.WriteLine($"Plot written to {plotPath}");
        }
        if (json)
        {
            WriteJsonLine(new Dictionary<string, object?>
            {
                ["horizon"] = options.Horizon,
                ["strategy"] = options.Strategy.ToString().ToLowerInvariant(),
                ["targets"] = names,
                ["future"] = targets == 1 ? future[0] : future,
                ["future_labels"] = labels,
                ["backtest"] = backtestJson,
            });
        }
        return 0;
    }

    internal static void Warn(IEnumerable<string> warnings)
    {
        foreach (string w in warnings)
            Console.Error.WriteLine("warning: " + w);
    }

    private static string Quote(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
