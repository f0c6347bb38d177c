using System.CommandLine;
using LstmLab.Data;

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
    public TimeSeries Load(ParseResult parse)
    {
        string data = parse.GetValue(Data)!;
        if (!File.Exists(data))
        {
            if (data.Equals("shampoo", StringComparison.OrdinalIgnoreCase))
                return Datasets.ShampooSales();
            if (Datasets.Names.Contains(data, StringComparer.OrdinalIgnoreCase))
                return Datasets.Load(data);
        }
        var options = new SeriesCsvOptions
        {
            ValueColumn = parse.GetValue(Column) is string c ? ColumnRef.Parse(c) : null,
            LabelColumn = parse.GetValue(DateColumn) is string d ? ColumnRef.Parse(d) : null,
            Header = parse.GetValue(NoHeader) ? CsvHeader.Absent : CsvHeader.Auto,
        };
        return SeriesCsv.Load(data, options);
    }
}
