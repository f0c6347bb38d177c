using System.Globalization;

namespace LstmLab.Experiments.Forecasting;

/// <summary>The kind of value a <see cref="Setting"/> takes.</summary>
public enum SettingKind
{
    /// <summary>A whole number (int, or long for seeds).</summary>
    Integer,

    /// <summary>A finite number.</summary>
    Number,

    /// <summary>True or false; on the command line a flag.</summary>
    Flag,

    /// <summary>One of <see cref="Setting.Choices"/>.</summary>
    Choice,

    /// <summary>Free text (a path, a column name).</summary>
    Text,

    /// <summary>A comma-separated list of names.</summary>
    List,

    /// <summary>One value for every column, or <c>column=value</c> pairs (<see cref="PerColumn"/>); values are whole numbers or choices.</summary>
    PerColumn,
}

/// <summary>
/// One row of a settings schema: the library name (<c>Epochs</c>), the key in experiment files
/// (<c>epochs</c>), the command-line flag (<c>--epochs</c>), the kind, default, valid range and help
/// text. The CLI options, the YAML keys, the README's option list and the validation all come from the
/// rows, so a setting is added in one place.
/// </summary>
public abstract class Setting
{
    private protected Setting(string name, string key, SettingKind kind, string help)
    {
        Name = name;
        Key = key;
        Kind = kind;
        Help = help;
    }

    /// <summary>The library's name of the setting (the property), e.g. <c>BatchSize</c>.</summary>
    public string Name { get; }

    /// <summary>The key in experiment files, e.g. <c>batch_size</c>.</summary>
    public string Key { get; }

    /// <summary>The command-line flag, e.g. <c>--batch-size</c>.</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>For a flag whose default is true: the flag (and key) that turns it off, e.g. <c>--stateless</c>.</summary>
    public string? Negation { get; init; }

    /// <summary>What the <see cref="Negation"/> flag does, for its help text.</summary>
    public string? NegationHelp { get; init; }

    /// <summary>The kind of value.</summary>
    public SettingKind Kind { get; }

    /// <summary>What the setting does, for help and the README.</summary>
    public string Help { get; }

    /// <summary>The default as text (empty when there is none).</summary>
    public string Default { get; init; } = "";

    /// <summary>The smallest valid value of a number (also of each per-column value), or null.</summary>
    public double? Min { get; init; }

    /// <summary>Whether a number must be above 0 (a learning rate, a clipping bound), rather than at least <see cref="Min"/>.</summary>
    public bool Positive { get; init; }

    /// <summary>The largest valid value of a whole number, or the bound a number must stay below, or null.</summary>
    public double? Max { get; init; }

    /// <summary>The valid values of a choice (also of each per-column value), or null.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>A long integer (seeds) rather than an int.</summary>
    public bool Long { get; init; }

    /// <summary>The commands that offer the setting: <c>forecast</c>, <c>backtest</c> (experiment files offer every row).</summary>
    public IReadOnlyList<string> Commands { get; init; } = ["forecast", "backtest"];

    /// <summary>The valid range in words, e.g. "a whole number, at least 1".</summary>
    public string Range => Kind switch
    {
        SettingKind.Integer => Min is double lo ? F($"a whole number, at least {lo}") + (Max is double hi ? F($" and at most {hi}") : "") : "a whole number",
        SettingKind.Number => Positive ? "a number above 0" : Min is double lo ? F($"a number, at least {lo}") + (Max is double hi ? F($" and below {hi}") : "") : "a number",
        SettingKind.Flag => "true or false",
        SettingKind.Choice => "one of " + string.Join(", ", Choices ?? []),
        SettingKind.List => "names or 0-based indices, comma-separated",
        SettingKind.PerColumn => (Choices is null ? F($"a whole number, at least {Min ?? 0}") : "one of " + string.Join(", ", Choices)) + ", for all columns or as column=value pairs",
        _ => "text",
    };

    /// <summary>Reads the setting's value from text (a command-line or YAML value).</summary>
    /// <exception cref="SettingException">The text is not a valid value; the message names the setting.</exception>
    public object Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        object value = Kind switch
        {
            SettingKind.Integer when Long => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : Fail(t),
            SettingKind.Integer => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : Fail(t),
            SettingKind.Number => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : Fail(t),
            SettingKind.Flag => t.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => Fail(t),
            },
            SettingKind.Choice => Choices!.FirstOrDefault(c => string.Equals(c, t, StringComparison.OrdinalIgnoreCase)) ?? Fail(t),
            SettingKind.List => t.Length == 0 ? Fail(t) : (object)t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            SettingKind.PerColumn => PerColumn.Parse(t, CheckPerColumn, Default),
            _ => t,
        };
        Check(value);
        return value;
    }

    /// <summary>Checks a value against the valid range.</summary>
    /// <exception cref="SettingException">Out of range; the message names the setting.</exception>
    public void Check(object? value)
    {
        double? number = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            _ => null,
        };
        bool numberBelow = Kind == SettingKind.Number && Max is not null;
        if (number is double n && ((Min is double lo && n < lo) || (Max is double hi && (numberBelow ? n >= hi : n > hi)) || (Positive && !(n > 0))))
            throw new SettingException("{0} must be " + Range.Replace("a whole number, ", "", StringComparison.Ordinal).Replace("a number, ", "", StringComparison.Ordinal) + F($" (got {n})."), Name);
    }

    private string CheckPerColumn(string v)
    {
        if (Choices is not null)
            return Choices.FirstOrDefault(c => string.Equals(c, v, StringComparison.OrdinalIgnoreCase)) ?? Fail(v);
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) || i < (Min ?? 0))
            return Fail(v);
        return v;
    }

    private string Fail(string text) => throw new SettingException($"{{0}} expects {Range}; got '{text}'.", Name);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A schema row that reads and writes one property of a settings record <typeparamref name="T"/>.</summary>
public sealed class Setting<T> : Setting
{
    private readonly Func<T, object?> _get;
    private readonly Func<T, object?, T> _set;

    /// <summary>Creates a row.</summary>
    public Setting(string name, string key, SettingKind kind, string help, Func<T, object?> get, Func<T, object?, T> set)
        : base(name, key, kind, help)
    {
        _get = get;
        _set = set;
    }

    /// <summary>The setting's value in <paramref name="settings"/>.</summary>
    public object? Get(T settings) => _get(settings);

    /// <summary>A copy of <paramref name="settings"/> with the setting changed to <paramref name="value"/> (checked against the range).</summary>
    /// <exception cref="SettingException">Out of range.</exception>
    public T Set(T settings, object? value)
    {
        Check(value);
        return _set(settings, value);
    }
}

/// <summary>
/// A settings error that names the settings it is about with placeholders (<c>{0}</c>, <c>{1}</c>), so each
/// front end shows them in its own terms: the library's <c>Epochs</c>, the experiment file's <c>epochs</c>,
/// the command line's <c>--epochs</c>.
/// </summary>
public sealed class SettingException : ArgumentException
{
    /// <summary>Creates the error from a template such as <c>"{0} must be at least 1 (got 0)."</c>.</summary>
    public SettingException(string template, params string[] settings)
        : base(string.Format(CultureInfo.InvariantCulture, template, settings))
    {
        Template = template;
        Settings = settings;
    }

    /// <summary>Creates an error about no particular setting.</summary>
    public SettingException()
        : this("Invalid settings.")
    {
    }

    /// <summary>Creates an error with a plain message.</summary>
    public SettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Template = message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        Settings = [];
    }

    /// <summary>The message with <c>{i}</c> where setting i is named.</summary>
    public string Template { get; }

    /// <summary>The library names of the settings the message is about.</summary>
    public IReadOnlyList<string> Settings { get; }

    /// <summary>The message with each setting named by <paramref name="nameOf"/> (e.g. its flag).</summary>
    public string Render(Func<string, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        return string.Format(CultureInfo.InvariantCulture, Template, [.. Settings.Select(nameOf)]);
    }
}
