using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// Reads experiment files (YAML). Example:
/// <code>
/// name: stateful-vs-stateless
/// description: Seed 001, section "Stateful vs Stateless"
/// data: shampoo            # or a CSV path, with column:, date_column:, no_header:, columns:, target:, delimiter:, ...
/// repeats: 10
/// seed: 1
/// base:                    # the `lstmlab forecast` / `backtest` options, snake_case (ForecastSettings.All)
///   epochs: 1000
///   neurons: 1
/// configurations:
///   stateful: {}
///   stateless: { stateful: false }
///   stateless_shuffle: { stateful: false, shuffle: true }
/// </code>
/// The keys come from <see cref="ForecastSettings"/>: the data keys at the top, the option keys in
/// <c>base</c> and each configuration (per-column settings as <c>difference: { sales: 1, price: 0 }</c>).
/// Errors name the file, the line and the key.
/// </summary>
public static class ExperimentFile
{
    private static readonly string[] TopKeys = ["name", "description", .. ForecastSettings.Data.Select(s => s.Key), "repeats", "seed", "base", "configurations"];

    /// <summary>The option keys a base or configuration may set (every schema row but the seed, which the repeats derive).</summary>
    public static IReadOnlyList<string> OptionKeys { get; } =
        [.. ForecastSettings.All.Where(s => s.Name != "Seed").SelectMany(s => s.Negation is string n ? new[] { s.Key, n } : [s.Key])];

    /// <summary>Loads an experiment file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid experiment; the message names line and key.</exception>
    public static ExperimentDefinition Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Experiment file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses experiment YAML; relative data paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ExperimentDefinition Parse(string yaml, string source, string? baseDirectory = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Error(source, e.Start.Line, null, e.InnerException?.Message ?? e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(source, 1, null, "expected a mapping with name:, base: and configurations:");

        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach ((YamlNode keyNode, YamlNode value) in root.Children)
        {
            string key = Scalar(source, keyNode, "key");
            if (!TopKeys.Contains(key))
                throw Error(source, keyNode.Start.Line, key, $"unknown key; expected one of {string.Join(", ", TopKeys)}");
            seen[key] = value;
        }
        string name = seen.TryGetValue("name", out YamlNode? n) ? Scalar(source, n, "name") : throw Error(source, root.Start.Line, "name", "missing: every experiment needs a name");
        string? description = seen.TryGetValue("description", out YamlNode? d) ? Scalar(source, d, "description") : null;
        var dataSource = new DataSource();
        foreach (Setting<DataSource> row in ForecastSettings.Data)
        {
            if (seen.TryGetValue(row.Key, out YamlNode? node))
                dataSource = Set(source, row, dataSource, node, row.Key, negate: false);
        }
        if (baseDirectory is not null && !Path.IsPathRooted(dataSource.Data) && !DataSource.IsDatasetName(dataSource.Data))
            dataSource = dataSource with { Data = Path.Combine(baseDirectory, dataSource.Data) };
        int repeats = seen.TryGetValue("repeats", out YamlNode? r) ? Int(source, r, "repeats", min: 1) : 10;
        long seed = seen.TryGetValue("seed", out YamlNode? s) ? Long(source, s, "seed") : 1;

        var baseSettings = new List<(string Key, YamlNode Value, string Owner)>();
        if (seen.TryGetValue("base", out YamlNode? baseNode))
            baseSettings.AddRange(Settings(source, baseNode, "base").Select(x => (x.Key, x.Value, "base")));
        if (!seen.TryGetValue("configurations", out YamlNode? configsNode) || configsNode is not YamlMappingNode configs || configs.Children.Count == 0)
            throw Error(source, (configsNode ?? root).Start.Line, "configurations", "expected a mapping of configuration names to their settings, e.g. `stateful: {}`");

        var configurations = new List<ExperimentConfiguration>();
        foreach ((YamlNode keyNode, YamlNode value) in configs.Children)
        {
            string configName = Scalar(source, keyNode, "configuration name");
            if (configName.Length == 0 || configName.Any(ch => !(char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.')))
                throw Error(source, keyNode.Start.Line, configName, "configuration names may use letters, digits, '_', '-' and '.' only");
            if (configurations.Any(x => x.Name == configName))
                throw Error(source, keyNode.Start.Line, configName, "configuration defined twice");
            var own = value is YamlScalarNode { Value: null or "" or "~" or "null" }
                ? []
                : Settings(source, value, configName).Select(x => (x.Key, x.Value, Owner: configName)).ToList();
            var options = new ForecastOptions();
            var effective = new List<KeyValuePair<string, string>>();
            foreach ((string key, YamlNode v, string owner) in baseSettings.Concat(own))
            {
                options = Apply(source, options, key, v, owner);
                effective.RemoveAll(e => e.Key == key || (key is "stateful" or "stateless" && e.Key is "stateful" or "stateless"));
                effective.Add(new(key, Text(source, v, key)));
            }
            try
            {
                options.Validate();
            }
            catch (SettingException e)
            {
                throw Error(source, keyNode.Start.Line, configName, e.Render(ForecastSettings.KeyOf));
            }
            configurations.Add(new ExperimentConfiguration(configName, options, effective));
        }
        return new ExperimentDefinition(name, description, dataSource, repeats, seed, configurations, source);
    }

    private static IEnumerable<(string Key, YamlNode Value)> Settings(string source, YamlNode node, string owner)
    {
        if (node is not YamlMappingNode map)
            throw Error(source, node.Start.Line, owner, "expected a mapping of forecast options, e.g. `{ epochs: 1000, stateful: false }`");
        foreach ((YamlNode keyNode, YamlNode value) in map.Children)
        {
            string key = Scalar(source, keyNode, "option");
            if (!OptionKeys.Contains(key))
                throw Error(source, keyNode.Start.Line, $"{owner}.{key}", $"unknown option; expected one of {string.Join(", ", OptionKeys)}");
            yield return (key, value);
        }
    }

    private static ForecastOptions Apply(string source, ForecastOptions o, string key, YamlNode v, string owner)
    {
        Setting<ForecastOptions> row = ForecastSettings.All.FirstOrDefault(s => s.Key == key)
            ?? ForecastSettings.All.First(s => s.Negation == key);
        return Set(source, row, o, v, $"{owner}.{key}", negate: row.Key != key);
    }

    /// <summary>Reads a node through its schema row; errors name the line and <paramref name="where"/>.</summary>
    private static T Set<T>(string source, Setting<T> row, T settings, YamlNode node, string where, bool negate)
    {
        try
        {
            object value = row.Parse(Text(source, node, where));
            return row.Set(settings, negate ? !(bool)value : value);
        }
        catch (SettingException e)
        {
            throw Error(source, node.Start.Line, where, e.Render(_ => where));
        }
    }

    /// <summary>A scalar's text; a sequence as <c>a,b</c>; a mapping as <c>k=v,k=v</c> (per-column settings).</summary>
    private static string Text(string source, YamlNode node, string where) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode seq => string.Join(',', seq.Children.Select(c => Scalar(source, c, where))),
        YamlMappingNode map => string.Join(',', map.Children.Select(kv => Scalar(source, kv.Key, where) + "=" + Scalar(source, kv.Value, where))),
        _ => throw Error(source, node.Start.Line, where, "expected a value"),
    };

    private static string Scalar(string source, YamlNode node, string what) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "" : throw Error(source, node.Start.Line, what, "expected a single value");

    private static int Int(string source, YamlNode node, string key, int min)
    {
        string text = Scalar(source, node, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw Error(source, node.Start.Line, key, $"expected a whole number, got '{text}'");
        if (value < min)
            throw Error(source, node.Start.Line, key, $"must be at least {min}, got {value}");
        return value;
    }

    private static long Long(string source, YamlNode node, string key)
    {
        string text = Scalar(source, node, key);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Error(source, node.Start.Line, key, $"expected a whole number, got '{text}'");
    }

    private static InvalidDataException Error(string source, long line, string? key, string message) =>
        new(key is null ? $"{source}, line {line}: {message}" : $"{source}, line {line}, key '{key}': {message}");
}
