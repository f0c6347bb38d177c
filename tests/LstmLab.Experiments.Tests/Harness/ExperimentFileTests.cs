using LstmLab.Experiments.Harness;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

// Provenance (whole file) (spec): names, epochs, repeats and seeds restate the built-in experiment YAML
// (Harness/Builtin, the tutorial's settings) and the YAML texts the tests write.

public sealed class ExperimentFileTests
{
    [Fact]
    public void Builtin_experiments_parse_with_the_tutorials_configurations()
    {
        Assert.Equal(["stateful", "stateful2"], BuiltinExperiments.Load("a-vs-a").Configurations.Select(c => c.Name));
        ExperimentDefinition svs = BuiltinExperiments.Load("stateful-vs-stateless");
        Assert.Equal(["stateful", "stateless", "stateless_shuffle"], svs.Configurations.Select(c => c.Name));
        Assert.True(svs.Configurations[0].Options.Stateful);
        Assert.False(svs.Configurations[1].Options.Stateful);
        Assert.True(svs.Configurations[2].Options.Shuffle);
        Assert.All(svs.Configurations, c => Assert.Equal(1000, c.Options.Epochs));
        ExperimentDefinition batch = BuiltinExperiments.Load("batch-size");
        Assert.All(batch.Configurations, c => Assert.Equal((12, 12), (c.Options.BatchSize, c.Options.TrainRows!.Value)));
        ExperimentDefinition resets = BuiltinExperiments.Load("reset-regimes");
        Assert.Equal(["noseed_1", "noseed_2", "noseed_3", "seed_1", "seed_2", "seed_3"], resets.Configurations.Select(c => c.Name));
        var seed3 = resets.Configurations[5].Options;
        Assert.True(seed3.SeedState);
        Assert.False(seed3.ResetEachEpoch);
        Assert.True(resets.Configurations[1].Options.ResetEachPrediction);
    }

    [Fact]
    public void Configurations_override_the_base_and_overrides_apply_to_all()
    {
        const string yaml = """
            name: mine
            repeats: 3
            seed: 42
            base:
              epochs: 50
              neurons: 2
            configurations:
              a: {}
              b: { neurons: 4, stateless: true }
            """;
        ExperimentDefinition d = ExperimentFile.Parse(yaml, "mine.yaml");
        Assert.Equal((3, 42L), (d.Repeats, d.Seed));
        Assert.Equal(2, d.Configurations[0].Options.Neurons);
        Assert.Equal(4, d.Configurations[1].Options.Neurons);
        Assert.False(d.Configurations[1].Options.Stateful);
        ExperimentDefinition e = d.With(repeats: 5, epochs: 7);
        Assert.Equal(5, e.Repeats);
        Assert.All(e.Configurations, c => Assert.Equal(7, c.Options.Epochs));
    }

    [Theory]
    [InlineData("name: x\nconfigurations:\n  a: { epochz: 3 }\n", "line 3", "a.epochz")]
    [InlineData("name: x\nbase:\n  epochs: many\nconfigurations:\n  a: {}\n", "line 3", "base.epochs")]
    [InlineData("name: x\nrepeats: 0\nconfigurations:\n  a: {}\n", "line 2", "repeats")]
    [InlineData("name: x\ncolour: red\nconfigurations:\n  a: {}\n", "line 2", "colour")]
    [InlineData("configurations:\n  a: {}\n", "line 1", "name")]
    [InlineData("name: x\nconfigurations:\n  a: { stateful: false, seed_state: true }\n", "line 3", "seed_state")]
    [InlineData("name: x\nconfigurations: [a, b]\n", "line 2", "configurations")]
    [InlineData("name: x\nconfigurations:\n  a: { shuffle: maybe }\n", "line 3", "a.shuffle")]
    public void Errors_name_the_line_and_the_key(string yaml, string line, string key)
    {
        var e = Assert.Throws<InvalidDataException>(() => ExperimentFile.Parse(yaml, "bad.yaml"));
        Assert.Contains("bad.yaml", e.Message);
        Assert.Contains(line, e.Message);
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Repeat_seeds_depend_only_on_experiment_seed_configuration_and_index()
    {
        ExperimentDefinition d = BuiltinExperiments.Load("a-vs-a");
        Assert.Equal(d.RepeatSeed("stateful", 3), d.RepeatSeed("stateful", 3));
        Assert.NotEqual(d.RepeatSeed("stateful", 3), d.RepeatSeed("stateful2", 3));
        Assert.NotEqual(d.RepeatSeed("stateful", 3), d.RepeatSeed("stateful", 4));
        Assert.NotEqual(d.RepeatSeed("stateful", 3), (d with { Seed = 2 }).RepeatSeed("stateful", 3));
    }
}
