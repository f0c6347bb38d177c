using System.CommandLine;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab predict --model FILE --data NEW.csv</c>: forecasts from new data with a saved forecaster, without retraining.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A forecaster saved by `lstmlab forecast --horizon H --save FILE`.", Required = true };
        var data = new SchemaOptions<DataSource>(ForecastSettings.Data.Where(s => s.Name is not "Column" and not "Columns" and not "Target"));
        var horizon = new Option<int?>("--horizon") { Description = "Steps to forecast (default: the saved horizon; a direct forecaster cannot go beyond it)." };
        var output = new Option<string?>("--out") { Description = "Write the forecasts to this CSV file." };
        var json = CommonOptions.Json();
        var command = new Command("predict", "Forecast the steps after the end of new data with a saved forecaster (no retraining).") { model, horizon, output, json };
        data.AddTo(command);
        command.SetAction(parse => Guard(() => SchemaOptions<ForecastOptions>.MapErrors(() =>
        {
            ForecasterFile.Saved saved = ForecasterFile.Load(parse.GetValue(model)!);
            DataSource source = data.Apply(parse, new DataSource()) with { Columns = saved.Covariates, Target = saved.TargetColumns };
            if (source.DateColumn is null && saved.LabelColumn is not null && !DataSource.IsDatasetName(source.Data))
                source = source with { DateColumn = saved.LabelColumn };
            SeriesFrame frame;
            try
            {
                frame = DataOptions.LoadFrame(source);
            }
            catch (DataFormatException e)
            {
                throw new DataFormatException($"{source.Data} does not fit the saved forecaster (columns {string.Join(", ", saved.Columns)}): {e.Message}", e);
            }
            var warnings = new List<string>();
            LstmForecaster forecaster = saved.Bind(frame, warnings);
            ForecastCommand.Warn(warnings);
            int h = parse.GetValue(horizon) ?? saved.Options.Horizon;
            if (h < 1)
                throw new ArgumentException(F($"--horizon must be at least 1 (got {h})."));
            double[][] future = forecaster.Forecast(frame.Length, h);
            return ForecastCommand.WriteFuture(frame, saved.Targets, saved.Options with { Horizon = h }, future, parse.GetValue(output), null, parse.GetValue(json), null);
        })));
        return command;
    }
}
