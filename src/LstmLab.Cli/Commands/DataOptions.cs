using System.CommandLine;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Cli.Commands;

/// <summary>The options that choose and read a series, from the schema's data rows (<see cref="ForecastSettings.Data"/>).</summary>
internal sealed class DataOptions
{
    private readonly SchemaOptions<DataSource> _options = new(ForecastSettings.Data);

    public void AddTo(Command command) => _options.AddTo(command);

    /// <summary>The data source the options name.</summary>
    public DataSource Source(ParseResult parse) => _options.Apply(parse, new DataSource());

    /// <summary>Loads the first target column as a series.</summary>
    public TimeSeries Load(ParseResult parse) => Source(parse).Load();
}
