namespace LstmLab.Experiments.Store;

/// <summary>The states of a unit (one repeat of one configuration).</summary>
public static class UnitState
{
    /// <summary>Waiting in the queue.</summary>
    public const string Queued = "queued";

    /// <summary>Taken by a worker.</summary>
    public const string Running = "running";

    /// <summary>Finished; its metrics are in the store.</summary>
    public const string Done = "done";

    /// <summary>Ended with an error (in <see cref="UnitRecord.Error"/>).</summary>
    public const string Failed = "failed";
}

/// <summary>One experiment in the store.</summary>
/// <param name="Id">The content id: a hash of <paramref name="Canonical"/>, so a changed definition, data or tool version is another experiment.</param>
/// <param name="Definition">The experiment file as written (YAML).</param>
/// <param name="Overrides">Command-line overrides applied to it (<c>repeats=N</c>, <c>epochs=N</c>, one a line), or null.</param>
/// <param name="Canonical">Everything that determines the results, normalised (what <paramref name="Id"/> hashes).</param>
/// <param name="Source">Where the definition came from (file path or <c>builtin:NAME</c>).</param>
/// <param name="Configurations">The configuration names in their order.</param>
/// <param name="DataName">The data file's name or the shipped dataset's name.</param>
/// <param name="DataContent">The data file's text, so a worker on another machine reads the same values; null for a shipped dataset.</param>
/// <param name="DataHash">SHA-256 of the loaded series' values and labels.</param>
/// <param name="Created">When it was first recorded (UTC, ISO 8601).</param>
public sealed record ExperimentRecord(
    string Id,
    string Name,
    string? Description,
    string Definition,
    string? Overrides,
    string Canonical,
    string Source,
    IReadOnlyList<string> Configurations,
    int Repeats,
    long Seed,
    string DataName,
    string? DataContent,
    string DataHash,
    string ToolVersion,
    string Created)
{
    /// <summary>The number of units: configurations × repeats.</summary>
    public int UnitCount => Configurations.Count * Repeats;
}

/// <summary>One unit of an experiment: a repeat of a configuration.</summary>
public sealed record UnitRecord(
    string ExperimentId,
    string Configuration,
    int Repeat,
    int ConfigIndex,
    long Seed,
    string SettingsHash,
    string State,
    int Attempts,
    string? Worker,
    string? JobId,
    string? Started,
    string? Finished,
    string? Error);

/// <summary>A unit's identity within the store: (experiment, configuration, repeat).</summary>
public readonly record struct UnitKey(string ExperimentId, string Configuration, int Repeat);

/// <summary>A file kept beside the store.</summary>
public sealed record ArtifactRecord(string ExperimentId, string Name, string Path, long Bytes, string Sha256, string Created);

/// <summary>Counts of an experiment's units by state, and timing.</summary>
/// <param name="FirstStarted">The earliest start of any unit, if one started.</param>
/// <param name="LastFinished">The latest end of any unit, if one ended.</param>
/// <param name="TrainSeconds">Mean training time of the done units (their <c>seconds</c> metric).</param>
/// <param name="UnitSeconds">Mean time from start to end recorded in the store for the done units.</param>
public sealed record UnitCounts(int Queued, int Running, int Done, int Failed, DateTimeOffset? FirstStarted, DateTimeOffset? LastFinished, double? TrainSeconds, double? UnitSeconds)
{
    /// <summary>All units.</summary>
    public int Total => Queued + Running + Done + Failed;
}
