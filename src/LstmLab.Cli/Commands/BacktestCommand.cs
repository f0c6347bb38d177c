using System.CommandLine;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Store;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>lstmlab backtest</c>: historical forecasts of the LSTM and the four baselines over N windows, with
/// RMSE, MAE, MAPE, sMAPE and MASE per window and overall; the windows' fits train in parallel.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var settings = new SchemaOptions<ForecastOptions>(ForecastSettings.All.Where(s => s.Commands.Contains("backtest")));
        var parallel = CommonOptions.Parallel("Fits");
        var output = new Option<string?>("--out") { Description = "Write backtest.csv, metrics.csv, backtest.svg, report.html, report.md and provenance.json into this folder." };
        var json = CommonOptions.Json();
        var command = new Command("backtest", "Backtest the LSTM (or GRU) against naive, seasonal naive, drift and mean forecasts over N windows.");
        data.AddTo(command);
        settings.AddTo(command);
        foreach (Option o in new Option[] { parallel, output, json })
            command.Options.Add(o);
        Option<string?> store = CommandStore.AddTo(command);
        command.SetAction(parse => Guard(() => SchemaOptions<ForecastOptions>.MapErrors(() =>
        {
            CommandStore.Check(parse, store);
            DataSource source = data.Source(parse);
            ForecastOptions options = settings.Apply(parse, new ForecastOptions());
            options = options with { Windows = options.Windows ?? 1 };
            options.Validate();
            if (parse.GetValue(parallel) < 1)
                throw new ArgumentException(F($"--parallel must be at least 1 (got {parse.GetValue(parallel)})."));
            string? outDir = parse.GetValue(output);
            if (outDir is not null && File.Exists(outDir))
                throw new ArgumentException($"--out {outDir} is a file; it must be a folder.");
            SeriesFrame frame = DataOptions.LoadFrame(source);
            int targets = source.TargetCount(frame);
            Console.Error.WriteLine(F($"Backtest of {string.Join(", ", frame.Names[^targets..])} from {frame.Source} ({frame.Length} steps): {options.Windows} windows of {options.Horizon}, stride {options.Stride ?? options.Horizon}, {(options.Sliding is int w ? $"sliding {w}" : "expanding")}, refit {(options.Refit == 0 ? "once" : $"every {options.Refit}")}; {options.DescribeNetwork()}"));
            var bar = new ProgressBar("Windows", options.Windows!.Value);
            BacktestResult result = Backtest.Run(frame, targets, options, parse.GetValue(parallel), _ => bar.Advance());
            ForecastCommand.Warn(result.Warnings);
            Console.Write(BacktestReport.Table(result));
            Console.WriteLine(F($"({result.Windows.Count} windows x {result.Horizon} steps pooled; * = best per metric; MASE scaled by the in-sample {(options.Season is int m ? $"seasonal naive (m = {m})" : "naive")} MAE)"));
            if (outDir is not null)
            {
                BacktestReport.Write(outDir, frame, result);
                BacktestReport.WriteReport(outDir, frame, result, BacktestReport.ProvenanceOf(source, options));
                Console.WriteLine($"Written to {outDir}: backtest.csv, metrics.csv, backtest.svg, report.html, report.md, provenance.json");
            }
            CommandStore.Record(parse, store, "backtest", CommandStore.DataOf(frame, source), ["run"], 1, options.Seed,
                [new CommandUnit("run", 0, options.Seed, CommandUnit.MetricsOf(CommandStore.BacktestMetrics(result)))]);
            if (parse.GetValue(json))
                WriteJsonLine(BacktestReport.Json(result));
            return 0;
        })));
        return command;
    }
}
