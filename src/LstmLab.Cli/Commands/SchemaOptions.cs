using System.CommandLine;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Cli.Commands;

/// <summary>
/// Command-line options made from schema rows (<see cref="ForecastSettings"/>): a flag for each true/false
/// setting (its negation, e.g. <c>--stateless</c>, when it defaults to true), a value option for the others,
/// with the row's help, default and range. Values are read and checked by the row itself.
/// </summary>
internal sealed class SchemaOptions<T>
{
    private readonly List<(Setting<T> Row, Option Option, bool Negated)> _options = [];

    public SchemaOptions(IEnumerable<Setting<T>> rows)
    {
        foreach (Setting<T> row in rows)
        {
            string help = row.Help + (row.Kind == SettingKind.Flag || row.Default.Length == 0 ? "" : $" Default: {row.Default}.");
            if (row.Kind == SettingKind.Flag)
            {
                string flag = row.Negation is string neg ? "--" + neg.Replace('_', '-') : row.Flag;
                _options.Add((row, new Option<bool>(flag) { Description = row.NegationHelp ?? help }, row.Negation is not null));
            }
            else
            {
                _options.Add((row, new Option<string?>(row.Flag) { Description = help + $" ({row.Range})", HelpName = row.Kind == SettingKind.Integer ? "N" : "VALUE" }, false));
            }
        }
    }

    public void AddTo(Command command)
    {
        foreach ((_, Option option, _) in _options)
            command.Options.Add(option);
    }

    /// <summary>Whether the user gave the setting named <paramref name="name"/>.</summary>
    public bool Given(ParseResult parse, string name) =>
        _options.Where(o => o.Row.Name == name).Any(o => parse.GetResult(o.Option) is { Implicit: false });

    /// <summary>The settings of <paramref name="start"/> changed by every option the user gave.</summary>
    /// <exception cref="SettingException">A value is invalid (the caller maps names to flags).</exception>
    public T Apply(ParseResult parse, T start)
    {
        T settings = start;
        foreach ((Setting<T> row, Option option, bool negated) in _options)
        {
            if (option is Option<bool> flag)
            {
                if (parse.GetValue(flag))
                    settings = row.Set(settings, !negated);
            }
            else if (parse.GetValue((Option<string?>)option) is string text)
            {
                settings = row.Set(settings, row.Parse(text));
            }
        }
        return settings;
    }

    /// <summary>Runs <paramref name="body"/>, turning a <see cref="SettingException"/> into an error naming the flags.</summary>
    public static int MapErrors(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (SettingException e)
        {
            throw new ArgumentException(e.Render(ForecastSettings.FlagOf), e);
        }
    }
}
