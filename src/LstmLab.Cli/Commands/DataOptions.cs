using System.CommandLine;
using LstmLab.Data;
using LstmLab.Experiments.Harness;

namespace LstmLab.Cli.Commands;

/// <summary>The options that choose a series: <c>--data shampoo|FILE</c>, <c>--column</c>, <c>--date-column</c>, <c>--no-header</c>.</summary>
internal sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "'shampoo' (the embedded Shampoo Sales data) or a CSV file.", DefaultValueFactory = _ => "shampoo" };

    public Option<string?> Column { get; } = new("--column") { Description = "The value column of a CSV file: a header name or a 0-based index (default: the last column)." };

    public Option<string?> DateColumn { get; } = new("--date-column") { Description = "The date or label column of a CSV file: a header name or a 0-based index (optional)." };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The CSV file has no header row." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Column);
        command.Options.Add(DateColumn);
        command.Options.Add(NoHeader);
    }

    /// <summary>Loads the series the options name.</summary>
    public TimeSeries Load(ParseResult parse) =>
        new DataSource(parse.GetValue(Data)!, parse.GetValue(Column), parse.GetValue(DateColumn), parse.GetValue(NoHeader)).Load();
}
