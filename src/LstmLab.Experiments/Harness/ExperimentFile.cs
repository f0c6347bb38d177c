using System.Globalization;
using LstmLab.Experiments.Forecasting;
using LstmLab.Numerics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// Reads experiment files (YAML). Example:
/// <code>
/// name: stateful-vs-stateless
/// description: Seed 001, section "Stateful vs Stateless"
/// data: shampoo            # or a CSV path, with column:, date_column:, no_header:
/// repeats: 10
/// seed: 1
/// base:                    # the `lstmlab forecast` options, snake_case
///   epochs: 1000
///   neurons: 1
/// configurations:
///   stateful: {}
///   stateless: { stateful: false }
///   stateless_shuffle: { stateful: false, shuffle: true }
/// </code>
/// Errors name the file, the line and the key.
/// </summary>
public static class ExperimentFile
{
    private static readonly string[] TopKeys = ["name", "description", "data", "column", "date_column", "no_header", "repeats", "seed", "base", "configurations"];

    /// <summary>The option keys a base or configuration may set.</summary>
    public static IReadOnlyList<string> OptionKeys { get; } =
        ["test", "lag", "neurons", "epochs", "batch_size", "train_rows", "stateful", "stateless", "shuffle", "reset_each_epoch", "reset_each_prediction", "seed_state", "recurrent_activation", "adam_epsilon"];

    /// <summary>Loads an experiment file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid experiment; the message names line and key.</exception>
    public static ExperimentDefinition Load(string path)
    {
        return Parse(YamlText.Read(path, "Experiment file"), path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses experiment YAML; relative data paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ExperimentDefinition Parse(string yaml, string source, string? baseDirectory = null)
    {
        YamlStream stream = YamlText.Parse(yaml, source);
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
        string data = seen.TryGetValue("data", out YamlNode? dn) ? Scalar(source, dn, "data") : "shampoo";
        if (baseDirectory is not null && !Path.IsPathRooted(data) && !DataSource.IsDatasetName(data))
            data = Path.Combine(baseDirectory, data);
        var dataSource = new DataSource(
            data,
            seen.TryGetValue("column", out YamlNode? c) ? Scalar(source, c, "column") : null,
            seen.TryGetValue("date_column", out YamlNode? dc) ? Scalar(source, dc, "date_column") : null,
            seen.TryGetValue("no_header", out YamlNode? nh) && Bool(source, nh, "no_header"));
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
                effective.Add(new(key, ((YamlScalarNode)v).Value ?? ""));
            }
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw Error(source, keyNode.Start.Line, configName, e.Message);
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
            if (value is not YamlScalarNode)
                throw Error(source, value.Start.Line, $"{owner}.{key}", "expected a single value");
            yield return (key, value);
        }
    }

    private static ForecastOptions Apply(string source, ForecastOptions o, string key, YamlNode v, string owner)
    {
        string where = $"{owner}.{key}";
        return key switch
        {
            "test" => o with { Test = Int(source, v, where, 1) },
            "lag" => o with { Lag = Int(source, v, where, 1) },
            "neurons" => o with { Neurons = Int(source, v, where, 1) },
            "epochs" => o with { Epochs = Int(source, v, where, 0) },
            "batch_size" => o with { BatchSize = Int(source, v, where, 1) },
            "train_rows" => o with { TrainRows = Int(source, v, where, 1) },
            "stateful" => o with { Stateful = Bool(source, v, where) },
            "stateless" => o with { Stateful = !Bool(source, v, where) },
            "shuffle" => o with { Shuffle = Bool(source, v, where) },
            "reset_each_epoch" => o with { ResetEachEpoch = Bool(source, v, where) },
            "reset_each_prediction" => o with { ResetEachPrediction = Bool(source, v, where) },
            "seed_state" => o with { SeedState = Bool(source, v, where) },
            "recurrent_activation" => o with { RecurrentActivation = Recurrent(source, v, where) },
            "adam_epsilon" => o with { AdamEpsilon = Double(source, v, where) },
            _ => throw Error(source, v.Start.Line, where, "unknown option"),
        };
    }

    private static RecurrentActivation Recurrent(string source, YamlNode v, string where)
    {
        try
        {
            return Activations.ParseRecurrent(Scalar(source, v, where));
        }
        catch (ArgumentException e)
        {
            throw Error(source, v.Start.Line, where, e.Message);
        }
    }

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

    private static double Double(string source, YamlNode node, string key)
    {
        string text = Scalar(source, node, key);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Error(source, node.Start.Line, key, $"expected a number, got '{text}'");
    }

    private static bool Bool(string source, YamlNode node, string key)
    {
        string text = Scalar(source, node, key).ToLowerInvariant();
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(source, node.Start.Line, key, $"expected true or false, got '{text}'"),
        };
    }

    private static InvalidDataException Error(string source, long line, string? key, string message) =>
        new(key is null ? $"{source}, line {line}: {message}" : $"{source}, line {line}, key '{key}': {message}");
}
