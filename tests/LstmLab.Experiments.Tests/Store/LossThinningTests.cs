using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LstmLab.Experiments.Tests.Store;

/// <summary>The <c>loss_every</c> setting: the store keeps the loss of epochs N, 2N, ... and the last; results, repeat identities and default ids do not change.</summary>
public sealed class LossThinningTests : IDisposable
{
    private const string Yaml = "name: thin\ndata: shampoo\nrepeats: 2\nseed: 4\nbase:\n  epochs: 25\nconfigurations:\n  a: {}\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-thin-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (ExperimentRecord Record, IReadOnlyList<RepeatResult> Results, List<(string, long, long)> Losses) Run(string yaml, string name)
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(yaml, name + ".yaml");
        string output = Path.Combine(_dir, name);
        IReadOnlyList<RepeatResult> results = LocalStoreRun.Run(experiment, new RunSettings(output));
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, yaml).Record;
        using ResultsStore store = ResultsStore.Open(Path.Combine(output, LocalStoreRun.FileName));
        var losses = store.Rows("metrics", record.Id).Where(r => (string)r[3]! == "loss").Select(r => ((string)r[1]!, (long)r[2]!, (long)r[4]!)).ToList();
        return (record, results, losses);
    }

    // Provenance (hand): 25 epochs every 10 keep epochs 10, 20 and the last, 25, for each of the 2 repeats.
    [Fact]
    public void Every_tenth_epochs_loss_and_the_last_are_recorded_and_nothing_else_changes()
    {
        var every = Run(Yaml, "every");
        var thin = Run(Yaml.Replace("  epochs: 25\n", "  epochs: 25\n  loss_every: 10\n", StringComparison.Ordinal), "thin");
        Assert.Equal(2 * 25, every.Losses.Count);
        Assert.Equal([("a", 0L, 10L), ("a", 0L, 20L), ("a", 0L, 25L), ("a", 1L, 10L), ("a", 1L, 20L), ("a", 1L, 25L)], thin.Losses.Order());
        // The same training: the same RMSE, bit for bit, and the same repeat identity (resume accepts either).
        Assert.Equal(every.Results.Select(r => (r.Seed, r.Rmse, r.SettingsHash)), thin.Results.Select(r => (r.Seed, r.Rmse, r.SettingsHash)));
        // Recorded differently, so another experiment; at the default the canonical text has no trace of the setting (older ids stay).
        Assert.NotEqual(every.Record.Id, thin.Record.Id);
        Assert.DoesNotContain("LossEvery", every.Record.Canonical, StringComparison.Ordinal);
        Assert.Contains("LossEvery = 10", thin.Record.Canonical, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => ExperimentFile.Parse(Yaml.Replace("  epochs: 25\n", "  epochs: 25\n  loss_every: 0\n", StringComparison.Ordinal), "bad.yaml"));
        Assert.Contains("loss_every", e.Message, StringComparison.Ordinal);
    }
}
