using System.CommandLine;
using System.Text.RegularExpressions;
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
    public TimeSeries Load(ParseResult parse) => Named(() => Source(parse).Load());

    /// <summary>Loads the source's frame; the reader's setting names in errors become this command's flags.</summary>
    public static SeriesFrame LoadFrame(DataSource source) => Named(source.LoadFrame);

    private static T Named<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (DataFormatException e)
        {
            string message = e.Message;
            foreach (Setting s in ForecastSettings.Data)
                message = Regex.Replace(message, $@"\b{s.Name}\b", s.Flag);
            throw new DataFormatException(message, e);
        }
    }
}
