using LstmLab.Data;
using LstmLab.Experiments.Forecasting;

namespace LstmLab.Experiments.Harness;

/// <summary>One configuration of an experiment: a name and the forecast settings it runs.</summary>
/// <param name="Settings">The settings that differ from the forecast defaults, as written in the file (key → value), for reports.</param>
public sealed record ExperimentConfiguration(string Name, ForecastOptions Options, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>An experiment: a series, configurations that vary from a base, a number of repeats and a seed.</summary>
/// <param name="Source">Where the definition came from (file path or <c>builtin:NAME</c>), for messages.</param>
public sealed record ExperimentDefinition(
    string Name,
    string? Description,
    DataSource Data,
    int Repeats,
    long Seed,
    IReadOnlyList<ExperimentConfiguration> Configurations,
    string Source)
{
    /// <summary>The seed of one repeat, derived from (experiment seed, configuration name, repeat index) only,
    /// so results do not depend on thread count or order.</summary>
    public long RepeatSeed(string configuration, int repeat) =>
        Numerics.RandomGenerator.DeriveSeed(Seed, configuration, repeat);

    /// <summary>A copy with <paramref name="repeats"/> and/or every configuration's epochs overridden.</summary>
    public ExperimentDefinition With(int? repeats, int? epochs)
    {
        if (repeats is < 1)
            throw new ArgumentException($"--repeats must be at least 1 (got {repeats}).");
        if (epochs is < 0)
            throw new ArgumentException($"--epochs must be 0 or more (got {epochs}).");
        var configurations = epochs is int e
            ? Configurations.Select(c => c with
            {
                Options = c.Options with { Epochs = e },
                Settings = [.. c.Settings.Where(s => s.Key != "epochs"), new("epochs", e.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            }).ToArray()
            : Configurations;
        return this with { Repeats = repeats ?? Repeats, Configurations = configurations };
    }
}
