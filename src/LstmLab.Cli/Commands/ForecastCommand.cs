using System.CommandLine;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Numerics;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab forecast</c>: walk-forward LSTM forecasting (seed tutorial 001) on Shampoo Sales or a CSV series.</summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var test = new Option<int>("--test") { Description = "Final observations to forecast one step at a time.", DefaultValueFactory = _ => 12 };
        var lag = new Option<int>("--lag") { Description = "Lagged differences given as inputs.", DefaultValueFactory = _ => 1 };
        var neurons = new Option<int>("--neurons") { Description = "LSTM units.", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size for training and forecasting.", DefaultValueFactory = _ => 1 };
        var trainRows = new Option<int?>("--train-rows") { Description = "Train on the last N training rows only (the tutorial's batch-12 experiment uses 12)." };
        var stateless = new Option<bool>("--stateless") { Description = "Stateless LSTM: state reset every batch." };
        var shuffle = new Option<bool>("--shuffle") { Description = "Shuffle the training samples each epoch." };
        var noReset = new Option<bool>("--no-reset-each-epoch") { Description = "Stateful: never reset the state during training." };
        var resetPrediction = new Option<bool>("--reset-each-prediction") { Description = "Stateful: reset the state after each one-step forecast." };
        var seedState = new Option<bool>("--seed-state") { Description = "Stateful: predict over the training rows first, to build up state." };
        var seed = CommonOptions.Seed("Random seed of the weights and shuffles.");
        var recurrent = CommonOptions.RecurrentActivation();
        var epsilon = new Option<double>("--adam-epsilon") { Description = "Adam's epsilon (Keras 2.0 used 1e-8).", DefaultValueFactory = _ => 1e-7 };
        var persistence = new Option<bool>("--persistence") { Description = "Evaluate only the persistence baseline, without training." };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG line chart of expected and predicted values to this file." };
        var json = CommonOptions.Json();
        var command = new Command("forecast", "Seed 001: walk-forward one-step LSTM forecasts of a series, with RMSE and the persistence baseline.");
        data.AddTo(command);
        foreach (Option o in new Option[] { test, lag, neurons, epochs, batch, trainRows, stateless, shuffle, noReset, resetPrediction, seedState, seed, recurrent, epsilon, persistence, plot, json })
            command.Options.Add(o);
        command.SetAction(parse => Guard(() =>
        {
            TimeSeries series = data.Load(parse);
            int testCount = parse.GetValue(test);
            ForecastResult baseline = WalkForward.Persistence(series, testCount);
            if (parse.GetValue(persistence))
                return Report(series, null, baseline, parse.GetValue(plot), parse.GetValue(json));
            var options = new ForecastOptions
            {
                Test = testCount,
                Lag = parse.GetValue(lag),
                Neurons = parse.GetValue(neurons),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                TrainRows = parse.GetValue(trainRows),
                Stateful = !parse.GetValue(stateless),
                Shuffle = parse.GetValue(shuffle),
                ResetEachEpoch = !parse.GetValue(noReset),
                ResetEachPrediction = parse.GetValue(resetPrediction),
                SeedState = parse.GetValue(seedState),
                Seed = parse.GetValue(seed),
                RecurrentActivation = Activations.ParseRecurrent(parse.GetValue(recurrent)!),
                AdamEpsilon = parse.GetValue(epsilon),
            };
            options.Validate();
            Console.Error.WriteLine(F($"Forecasting {series.Name} from {series.Source} ({series.Length} values): last {options.Test} steps; {(options.Stateful ? "stateful" : "stateless")} LSTM({options.Neurons}), batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}"));
            var bar = new ProgressBar("Training", options.Epochs);
            ForecastResult result = WalkForward.Run(series, options, e => bar.Advance(1, F($"loss {e.Loss:F5}")));
            return Report(series, result, baseline, parse.GetValue(plot), parse.GetValue(json));
        }));
        return command;
    }

    private static int Report(TimeSeries series, ForecastResult? result, ForecastResult baseline, string? plotPath, bool json)
    {
        ForecastResult shown = result ?? baseline;
        for (int i = 0; i < shown.Predicted.Length; i++)
            Console.WriteLine(F($"Month={i + 1}, Predicted={shown.Predicted[i]:F6}, Expected={shown.Expected[i]:F6}"));
        if (result is not null)
            Console.WriteLine(F($"Test RMSE: {result.Rmse:F3}"));
        Console.WriteLine(F($"Persistence RMSE: {baseline.Rmse:F3}"));
        if (plotPath is not null)
        {
            ForecastPlot.Write(plotPath, series, shown, result is null ? "persistence" : "LSTM");
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
                Model = result is null ? "persistence" : "lstm",
                shown.Seconds,
            });
        }
        return 0;
    }
}
