namespace LstmLab.Experiments.Harness;

/// <summary>The experiments of seed tutorial 001, shipped inside the library as YAML files.</summary>
public static class BuiltinExperiments
{
    private const string Prefix = "LstmLab.Experiments.Harness.Builtin.";

    /// <summary>The names, in the tutorial's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["a-vs-a", "stateful-vs-stateless", "batch-size", "reset-regimes", "gru-vs-lstm"];

    /// <summary>The YAML text of experiment <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No built-in experiment has that name.</exception>
    public static string Yaml(string name)
    {
        if (!Names.Contains(name))
            throw new ArgumentException($"No built-in experiment is named '{name}'. Available: {string.Join(", ", Names)}.");
        using Stream stream = typeof(BuiltinExperiments).Assembly.GetManifestResourceStream(Prefix + name + ".yaml")
            ?? throw new InvalidOperationException($"The built-in experiment '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The parsed experiment <paramref name="name"/>.</summary>
    public static ExperimentDefinition Load(string name) => ExperimentFile.Parse(Yaml(name), "builtin:" + name);
}
