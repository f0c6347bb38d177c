using System.Globalization;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LstmLab.Experiments.Tests.Store;

/// <summary>
/// The provenance of a report written from a store comes from what its units recorded (the day the last one
/// finished, the machine they ran on), so two runs of one experiment on one machine on one day report the same bytes.
/// </summary>
public sealed class StoreProvenanceTests : IDisposable
{
    private const string Yaml = "name: tiny\ndata: shampoo\nrepeats: 2\nseed: 3\nbase:\n  epochs: 4\nconfigurations:\n  a: {}\n  b: { stateful: false }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-store-provenance-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Two_local_runs_of_one_experiment_write_the_same_report_bytes_dated_by_their_last_repeat()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        string[] outputs = [Path.Combine(_dir, "first"), Path.Combine(_dir, "second")];
        foreach (string output in outputs)
            LocalStoreRun.Report(experiment, LocalStoreRun.Run(experiment, new RunSettings(output, 2)), output).WriteAll(output);

        foreach (string name in new[] { "report.md", "report.html", "provenance.json", "summary.csv", "boxplot.svg", "comparisons.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(outputs[0], name)), File.ReadAllBytes(Path.Combine(outputs[1], name)));
        Provenance provenance = Provenance.FromJson(File.ReadAllText(Path.Combine(outputs[0], "provenance.json")), "provenance.json");
        Assert.Equal(MachineInfo.Current(), provenance.Machine);
        Assert.Equal(TimeSpan.Zero, provenance.Date.TimeOfDay);
        // Provenance (hand): "made now" is within a day of the test's clock.
        Assert.True((DateTimeOffset.UtcNow - provenance.Date).TotalHours is >= 0 and < 24.01, $"dated {provenance.Date:O}, not the day the repeats finished");
    }

    [Fact]
    public void A_version_1_store_is_migrated_and_its_units_without_a_machine_give_no_recorded_provenance()
    {
        string path = Path.Combine(_dir, "v1.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            foreach (string statement in new[] { "CREATE TABLE lstmlab_schema (version BIGINT NOT NULL)", "INSERT INTO lstmlab_schema (version) VALUES (1)" }
                .Concat(StoreSchema.Migrations[1]))
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }
        }
        SqliteConnection.ClearAllPools();
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, Yaml).Record;
        using ResultsStore store = ResultsStore.Open(path);
        Assert.Equal(2, store.SchemaVersion());
        store.PutExperiment(record);
        var result = new RepeatResult("a", 0, 11, 1.5, 1.25, null, 0.5, [10.0], "h");
        Assert.True(store.CompleteUnit(new UnitKey(record.Id, "a", 0), 0, result, [], "w", "2026-03-04T05:06:07.0000000+00:00", "2026-03-04T23:59:59.0000000+00:00"));
        ProducedOn produced = store.Produced(record.Id)!;
        // Provenance (hand): 2026-03-04 is the finish date the test stamps on its units.
        Assert.Equal(DateTimeOffset.Parse("2026-03-04T00:00:00Z", CultureInfo.InvariantCulture), produced.Date);
        Assert.Equal(MachineInfo.Current(), produced.Machine);

        // A unit done before the store recorded machines: the report cannot say where, so it says now and here.
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE units SET machine = NULL";
            command.ExecuteNonQuery();
        }
        Assert.Null(store.Produced(record.Id));
    }

    [Fact]
    public void A_stored_data_file_is_named_as_the_submitting_run_named_it()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "exp")).FullName;
        File.WriteAllLines(Path.Combine(folder, "series.csv"), ["month,sales", .. Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture, $"m{i},{100 + i * 3 + i % 4}"))]);
        string yaml = Path.Combine(folder, "csv.yaml");
        File.WriteAllText(yaml, "name: csv\ndata: series.csv\nrepeats: 1\nbase:\n  epochs: 3\n  test: 6\nconfigurations:\n  a: {}\n");
        ExperimentDefinition experiment = ExperimentFile.Load(yaml);
        ExperimentRecord record = ExperimentIdentity.Describe(experiment).Record;
        Assert.Equal(experiment.Data.Data, StoredDefinition.SubmittedDataPath(record));
        Assert.Null(StoredDefinition.SubmittedDataPath(ExperimentIdentity.Describe(ExperimentFile.Parse(Yaml, "tiny.yaml")).Record));
    }

    [Fact]
    public void Units_done_on_two_machines_name_both()
    {
        ExperimentDefinition experiment = ExperimentFile.Parse(Yaml, "tiny.yaml");
        ExperimentRecord record = ExperimentIdentity.Describe(experiment, Yaml).Record;
        string path = Path.Combine(_dir, "two.db");
        using ResultsStore store = ResultsStore.Open(path);
        store.PutExperiment(record);
        for (int r = 0; r < 2; r++)
            store.CompleteUnit(new UnitKey(record.Id, "a", r), 0, new RepeatResult("a", r, r, 1, 1, null, 1, [], "h"), [], "w", ResultsStore.Now(), ResultsStore.Now());
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE units SET machine = replace(replace(machine, '\"cores\":', '\"cores\":1'), '\"cpu\":', '\"cpu\":\"Other CPU\",\"x\":') WHERE repeat = 1";
            command.ExecuteNonQuery();
        }
        MachineInfo machine = store.Produced(record.Id)!.Machine;
        MachineInfo here = MachineInfo.Current();
        Assert.StartsWith("2 machines: ", machine.Cpu, StringComparison.Ordinal);
        Assert.Contains("Other CPU (1" + here.Cores.ToString(CultureInfo.InvariantCulture) + " cores)", machine.Cpu, StringComparison.Ordinal);
        Assert.Contains($"{here.Cpu ?? "CPU model not reported"} ({here.Cores} cores)", machine.Cpu, StringComparison.Ordinal);
        Assert.Equal(here.InstructionSets, machine.InstructionSets);
    }
}
