using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LstmLab.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the CLI's promise: one <c>error:</c> line on standard
/// error, exit code 2, the nearest option or command for a typo, the expected kind of value in words,
/// and no help dump. Every command goes through here (<see cref="CliApp.Run"/>), so there is one
/// mechanism, not one per option.
/// </summary>
internal static class ParseErrors
{
    /// <summary>The one-line message for the first (root-cause) error of <paramref name="parse"/>.</summary>
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        CommandResult where = parse.CommandResult;
        string path = CommandPath(where);
        // An unknown token is the root cause of the other errors it brings (a missing command, say).
        if (parse.UnmatchedTokens.Count > 0)
            return Unmatched(parse, where, path, parse.UnmatchedTokens[0]);
        ParseError first = parse.Errors[0];
        switch (first.SymbolResult)
        {
            case OptionResult option:
                return OptionValue(option.Option, option.Tokens.Select(t => t.Value).ToArray());
            case ArgumentResult { Parent: OptionResult option }:
                return OptionValue(option.Option, option.Tokens.Select(t => t.Value).ToArray());
            case ArgumentResult argument when argument.Tokens.Count == 0:
                return F($"`{path}` needs {argument.Argument.Name}{Described(argument.Argument.Description)} (see `{path} --help`).");
            case ArgumentResult argument:
                return F($"{argument.Argument.Name} expects {Kind(argument.Argument.ValueType, argument.Tokens[0].Value)}, got {Quote(argument.Tokens[0].Value)}.");
            case CommandResult command when command.Command.Subcommands.Count > 0 && command.Command.Action is null:
                return F($"`{path}` needs a command: {Names(command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see `{path} --help`).");
            default:
                return first.Message;
        }
    }

    private static string Unmatched(ParseResult parse, CommandResult where, string path, string token)
    {
        Command command = where.Command;
        if (token.StartsWith('-'))
        {
            string name = token.Split('=', 2)[0];
            string? near = Nearest(name, OptionNames(where));
            string elsewhere = near is null ? ElsewhereHint(parse.RootCommandResult.Command, name) : "";
            string suggestion = near is null ? "" : F($"; did you mean {near}?");
            return F($"unknown option {Quote(name)} for `{path}`{suggestion}{elsewhere} (see `{path} --help`).");
        }
        if (command.Subcommands.Count > 0)
        {
            string? near = Nearest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            string suggestion = near is null ? F($"; expected one of {Names(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}") : F($"; did you mean {near}?");
            return F($"unknown command {Quote(token)} for `{path}`{suggestion} (see `{path} --help`).");
        }
        // A value nobody asked for: often one given to a switch (--json false), which takes none.
        Token? before = Previous(parse, token);
        if (before is { Type: TokenType.Option } && FindOption(where, before.Value) is Option { ValueType: var t } && t == typeof(bool))
            return F($"{before.Value} is a switch and takes no value, got {Quote(token)}: write {before.Value} alone to turn it on (see `{path} --help`).");
        return F($"unexpected argument {Quote(token)}: `{path}` takes no more arguments (see `{path} --help`).");
    }

    private static string OptionValue(Option option, string[] values)
    {
        string kind = Kind(option.ValueType, values.Length > 0 ? values[0] : null);
        if (values.Length == 0)
            return kind == AnyValue ? F($"{option.Name} needs a value.") : F($"{option.Name} needs a value: {kind}.");
        if (values.Length > 1 && !option.AllowMultipleArgumentsPerToken && option.Arity.MaximumNumberOfValues == 1)
            return F($"{option.Name} was given {values.Length} values ({string.Join(", ", values.Select(Quote))}); give it once, with {Kind(option.ValueType, null)}.");
        string bad = values.FirstOrDefault(v => !Parses(option.ValueType, v)) ?? values[0];
        return F($"{option.Name} expects {Kind(option.ValueType, bad)}, got {Quote(bad)}.");
    }

    /// <summary>The expected kind of value in words ("a whole number"), never a .NET type name.</summary>
    internal static string Kind(Type type, string? given)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        bool integral = given is not null && given.Length > 0 && given.TrimStart('-', '+').All(char.IsAsciiDigit) && given.TrimStart('-', '+').Length > 0;
        if (t == typeof(int))
            return integral ? F($"a whole number from {int.MinValue} to {int.MaxValue}") : "a whole number";
        if (t == typeof(long))
            return integral ? F($"a whole number from {long.MinValue} to {long.MaxValue}") : "a whole number";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal))
            return "a number (like 0.001 or 1e-7)";
        if (t == typeof(bool))
            return "true or false";
        if (t.IsEnum)
            return "one of " + Names(Enum.GetNames(t).Select(n => n.ToLowerInvariant()));
        return AnyValue;
    }

    private const string AnyValue = "a value";

    private static bool Parses(Type type, string value)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        if (t == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        if (t == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (t == typeof(bool))
            return bool.TryParse(value, out _);
        return true;
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="typed"/> (edit distance, or a unique prefix), if close enough to be a typo.</summary>
    internal static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        // Short aliases (-h, -?) are not what a typo of a longer name meant.
        string[] all = candidates.Where(c => c.Length > 2).Distinct(StringComparer.Ordinal).ToArray();
        string[] prefixed = all.Where(c => c.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (typed.TrimStart('-').Length >= 2 && prefixed.Length == 1)
            return prefixed[0];
        int limit = Math.Max(1, Math.Min(3, typed.TrimStart('-').Length / 3));
        return all.Select(c => (Name: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).FirstOrDefault();
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static IEnumerable<string> OptionNames(CommandResult where)
    {
        for (SymbolResult? s = where; s is not null; s = s.Parent)
        {
            if (s is not CommandResult c)
                continue;
            foreach (Option o in c.Command.Options)
            {
                if (o.Hidden || (!ReferenceEquals(c, where) && !o.Recursive))
                    continue;
                yield return o.Name;
                foreach (string alias in o.Aliases)
                    yield return alias;
            }
        }
    }

    private static Option? FindOption(CommandResult where, string name)
    {
        for (SymbolResult? s = where; s is not null; s = s.Parent)
        {
            if (s is CommandResult c && c.Command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name)) is Option o)
                return o;
        }
        return null;
    }

    // "--variant is an option of `lstmlab run echo`": the user may be on the wrong command.
    private static string ElsewhereHint(Command root, string name)
    {
        var owners = new List<string>();
        void Walk(Command c, string path)
        {
            if (c.Options.Any(o => !o.Hidden && (o.Name == name || o.Aliases.Contains(name))))
                owners.Add(path);
            foreach (Command sub in c.Subcommands)
                Walk(sub, path + " " + sub.Name);
        }
        Walk(root, root.Name);
        return owners.Count == 0 ? "" : F($"; it is an option of {Names(owners.Take(3).Select(o => "`" + o + "`"))}");
    }

    private static Token? Previous(ParseResult parse, string token)
    {
        for (int i = 1; i < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Value == token)
                return parse.Tokens[i - 1];
        }
        return null;
    }

    private static string CommandPath(CommandResult where)
    {
        var names = new List<string>();
        for (SymbolResult? s = where; s is not null; s = s.Parent)
        {
            if (s is CommandResult c)
                names.Add(c.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Described(string? description) =>
        string.IsNullOrWhiteSpace(description) ? "" : " (" + LowerFirst(description.Split(';', '(')[0].Trim().TrimEnd('.')) + ")";

    private static string LowerFirst(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static string Names(IEnumerable<string> names)
    {
        string[] n = names.ToArray();
        return n.Length <= 1 ? string.Concat(n) : string.Join(", ", n[..^1]) + " or " + n[^1];
    }

    private static string Quote(string value) => "'" + CliOutput.Printable(value, 60) + "'";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
