using System.CommandLine;
using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Store;

namespace LstmLab.Cli.Commands;

/// <summary>
/// <c>--store</c> on the commands that are not experiment files (<c>forecast</c>, <c>backtest</c>, <c>run memory</c>,
/// <c>run echo</c>, <c>run long-lag</c>): record the run into a results store (<see cref="CommandRecord"/>), as MLflow
/// logs a run. Recorded only when <c>--store</c> or <c>LSTMLAB_STORE</c> names a store.
/// </summary>
internal static class CommandStore
{
    // Options that change how a run is shown or where files go, not its results.
    private static readonly HashSet<string> NotSettings = new(StringComparer.Ordinal)
    {
        "--store", "--json", "--verbose", "--parallel", "--threads", "--plot", "--out", "--save", "--help", "-h", "-?", "--version",
    };

    /// <summary>Adds <c>--store</c> to <paramref name="command"/> and returns it.</summary>
    public static Option<string?> AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var option = new Option<string?>("--store")
        {
            Description = $"Record this run into a results store: a SQLite file (created if missing) or a PostgreSQL connection string (\"Host=…;Database=…\"); default ${ResultsStore.EnvironmentVariable}, else not recorded.",
        };
        command.Options.Add(option);
        return option;
    }

    /// <summary>
    /// Every option of the command with its value, defaults included, but those that change only the output (<c>--json</c>,
    /// <c>--out</c>, ...) and, with <paramref name="hasData"/>, the data's path (its content is hashed instead).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(ParseResult parse, bool hasData = false)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var settings = new List<KeyValuePair<string, string>>();
        foreach (Option option in parse.CommandResult.Command.Options.Where(o => !NotSettings.Contains(o.Name) && !(hasData && o.Name == "--data")))
        {
            object? value = parse.GetValue<object?>(option.Name);
            if (value is null || value is false)
                continue;
            settings.Add(new(option.Name, value switch
            {
                true => "",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable e and not string => string.Join(",", e.Cast<object?>()),
                _ => value.ToString() ?? "",
            }));
        }
        return settings;
    }

    /// <summary>
    /// Opens the named store (if any) before the run trains, so that a store that cannot be used is refused with its reason
    /// instead of after the training, when its results would be lost.
    /// </summary>
    public static void Check(ParseResult parse, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (CommandRecord.StoreFor(parse.GetValue(option)) is string store)
            ResultsStore.Open(store).Dispose();
    }

    /// <summary>
    /// Records the run when a store is named (<c>--store</c>, else <c>LSTMLAB_STORE</c>) and says so on stderr; does
    /// nothing otherwise.
    /// </summary>
    public static void Record(ParseResult parse, Option<string?> option, string command, (string Name, string Hash)? data,
        IReadOnlyList<string> configurations, int repeats, long seed, IReadOnlyList<CommandUnit> units)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(units);
        if (CommandRecord.StoreFor(parse.GetValue(option)) is not string store)
            return;
        ExperimentRecord experiment = CommandRecord.Describe(command, Settings(parse, data is not null), data, configurations, repeats, seed);
        CommandRecord.Record(store, experiment, units);
        Console.Error.WriteLine(CommandRecord.Recorded(store, experiment, units.Count));
    }

    /// <summary>The data a forecasting command read: its name and the content hash of every column and label.</summary>
    public static (string Name, string Hash) DataOf(SeriesFrame frame, DataSource source)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(source);
        TimeSeries last = frame.Series(frame.Width - 1);
        var series = new TimeSeries(last.Values, last.Name, last.Labels, last.Dates, last.Source, last.LabelName) { Frame = frame };
        return (File.Exists(source.Data) ? Path.GetFileName(source.Data) : source.Data, ExperimentIdentity.DataHash(series));
    }

    /// <summary>A backtest's overall metrics: the network's as <c>rmse</c>, <c>mae</c>, ...; each baseline's as <c>naive_rmse</c>, ...; and <c>seconds</c>.</summary>
    public static IEnumerable<(string Name, double Value)> BacktestMetrics(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (string model in result.Models)
        {
            MetricSet m = result.Overall(model);
            foreach (string name in MetricSet.Names)
                yield return (model == result.Model ? name : model + "_" + name, m[name]);
        }
        yield return ("seconds", result.Seconds);
    }
}
