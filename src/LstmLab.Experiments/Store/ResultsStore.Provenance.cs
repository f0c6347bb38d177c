using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>When and where an experiment's results were produced, as its units recorded it.</summary>
/// <param name="Date">The UTC day the last of its done units finished (midnight of that day): a local and a distributed run of one experiment on one day name the same date.</param>
/// <param name="Machine">The machine the done units ran on; several machines are listed together.</param>
public sealed record ProducedOn(DateTimeOffset Date, MachineInfo Machine);

public abstract partial class ResultsStore
{
    private static readonly JsonSerializerOptions MachineJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>This process's machine as the store records it with each unit the process finishes (<see cref="MachineInfo"/> as JSON).</summary>
    public static string ThisMachine { get; } = JsonSerializer.Serialize(MachineInfo.Current(), MachineJson);

    /// <summary>
    /// When and where the done units of an experiment were produced (<see cref="ProducedOn"/>), or null when no
    /// done unit recorded its machine (a store written before schema version 2).
    /// </summary>
    public ProducedOn? Produced(string experimentId)
    {
        var finished = new List<DateTimeOffset>();
        var machines = new List<string>();
        using (DbConnection connection = OpenConnection())
        using (DbCommand command = Command(connection, null, "SELECT finished, machine FROM units WHERE experiment_id = @e AND state = @s",
            ("e", experimentId), ("s", UnitState.Done)))
        using (DbDataReader r = command.ExecuteReader())
        {
            while (r.Read())
            {
                if (r.IsDBNull(0) || r.IsDBNull(1))
                    return null;
                finished.Add(DateTimeOffset.Parse(r.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
                machines.Add(r.GetString(1));
            }
        }
        if (finished.Count == 0)
            return null;
        MachineInfo[] distinct = [.. machines.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(ReadMachine)];
        return new ProducedOn(new DateTimeOffset(finished.Max().UtcDateTime.Date, TimeSpan.Zero), Together(distinct));
    }

    private MachineInfo ReadMachine(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MachineInfo>(json, MachineJson) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"A unit's machine in the results store {Description} cannot be read ({e.Message}).", e);
        }
    }

    // One machine as it is; several as one description of all (each field's distinct values, in order).
    private static MachineInfo Together(MachineInfo[] machines)
    {
        if (machines.Length == 1)
            return machines[0];
        static string All(IEnumerable<string?> values) => string.Join(" | ", values.Select(v => v ?? "not reported").Distinct(StringComparer.Ordinal));
        string cpus = string.Create(CultureInfo.InvariantCulture, $"{machines.Length} machines: {All(machines.Select(m => $"{m.Cpu ?? "CPU model not reported"} ({m.Cores} cores)"))}");
        return new MachineInfo(All(machines.Select(m => m.Os)), All(machines.Select(m => m.Architecture)), machines.Max(m => m.Cores), cpus,
            All(machines.Select(m => m.Runtime)), All(machines.Select(m => m.InstructionSets)), All(machines.Select(m => m.KernelPath)));
    }
}
