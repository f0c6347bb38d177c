using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Store;

/// <summary>One trial (seed) of a command, or its single run, with the metrics to record.</summary>
/// <param name="Configuration">The unit's configuration name (the command's variant, or <c>run</c>).</param>
/// <param name="Repeat">The trial index (0 for a single run).</param>
/// <param name="Seed">The trial's seed.</param>
/// <param name="Metrics">Name, step and value: step 0 for a final figure (accuracy, rmse, seconds), the epoch for a per-epoch one (loss).</param>
/// <param name="Error">Why the trial failed, or null.</param>
public sealed record CommandUnit(string Configuration, int Repeat, long Seed, IReadOnlyList<(string Name, int Step, double Value)> Metrics, string? Error = null)
{
    /// <summary>The final metrics (step 0) and the per-epoch <paramref name="series"/> (steps 1, 2, ...), in that order.</summary>
    public static IReadOnlyList<(string Name, int Step, double Value)> MetricsOf(IEnumerable<(string Name, double Value)> finals,
        params (string Name, IReadOnlyList<double> Values)[] series)
    {
        ArgumentNullException.ThrowIfNull(finals);
        ArgumentNullException.ThrowIfNull(series);
        return [.. finals.Select(f => (f.Name, 0, f.Value)), .. series.SelectMany(s => s.Values.Select((v, i) => (s.Name, i + 1, v)))];
    }
}

/// <summary>
/// Records the runs of the commands that are not experiment files (<c>forecast</c>, <c>backtest</c>, <c>run memory</c>,
/// <c>run echo</c>, <c>run long-lag</c>) into a results store, as MLflow logs every run: one experiment per distinct
/// command line (name = the command, definition = its normalised settings, every option's value including defaults,
/// data = the content hash of its series, tool version), one unit per trial or seed, and its metrics. The experiment's id
/// hashes all of that, so running the same command again records into the same experiment (its units are deterministic:
/// the first result stays) and any changed setting, data or tool is a new experiment, never mixed with the old one.
/// </summary>
public static class CommandRecord
{
    /// <summary>The <see cref="ExperimentRecord.Source"/> of a recorded command run.</summary>
    public const string Source = "command line";

    /// <summary>Whether <paramref name="experiment"/> records a command run rather than an experiment file (so it has no repeats report).</summary>
    public static bool IsCommandRun(ExperimentRecord experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.Source == Source;
    }

    /// <summary>The store to record into: <paramref name="option"/> (<c>--store</c>), else <c>LSTMLAB_STORE</c>, else null (not recorded).</summary>
    public static string? StoreFor(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
            return option;
        string? environment = Environment.GetEnvironmentVariable(ResultsStore.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(environment) ? null : environment;
    }

    /// <summary>The experiment a command line records into (not yet stored).</summary>
    /// <param name="command">The command, as typed: <c>run memory</c>, <c>forecast</c>, ...</param>
    /// <param name="settings">Every setting that determines the results (option name → value, defaults included).</param>
    /// <param name="data">The data's name and SHA-256 (<see cref="ExperimentIdentity.DataHash"/>), or null for a command without data.</param>
    /// <param name="configurations">The units' configuration names, in order.</param>
    /// <param name="repeats">Units per configuration (trials).</param>
    /// <param name="seed">The first trial's seed.</param>
    public static ExperimentRecord Describe(string command, IEnumerable<KeyValuePair<string, string>> settings, (string Name, string Hash)? data,
        IReadOnlyList<string> configurations, int repeats, long seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configurations);
        var sorted = settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToArray();
        string definition = "lstmlab " + command + string.Concat(sorted.Select(s => " " + s.Key + (s.Value.Length == 0 ? "" : " " + Quote(s.Value))));
        var canonical = new StringBuilder()
            .Append("command: ").Append(command).Append('\n')
            .Append(string.Concat(sorted.Select(s => s.Key + "=" + s.Value + "\n")))
            .Append("data: ").Append(data?.Hash ?? "(none)").Append('\n')
            .Append("tool: ").Append(ExperimentIdentity.ToolVersion).Append('\n').ToString();
        return new ExperimentRecord(ExperimentIdentity.Id(canonical), command.Replace(' ', '-'), null, definition, null, canonical, Source,
            configurations, repeats, seed, data?.Name ?? "(none)", null, data?.Hash ?? "", ExperimentIdentity.ToolVersion, ResultsStore.Now());
    }

    /// <summary>
    /// Records <paramref name="experiment"/> and its <paramref name="units"/> (each finished at <paramref name="finished"/>,
    /// started its own <c>seconds</c> metric earlier) into <paramref name="store"/>; returns the experiment as recorded.
    /// </summary>
    /// <exception cref="ArgumentException">The store text is neither a connection string nor a usable path.</exception>
    public static ExperimentRecord Record(string store, ExperimentRecord experiment, IReadOnlyList<CommandUnit> units, DateTimeOffset? finished = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(units);
        string? folder = LooksLikeFile(store) ? Path.GetDirectoryName(Path.GetFullPath(store)) : null;
        if (folder is not null)
            Directory.CreateDirectory(folder);
        using ResultsStore opened = ResultsStore.Open(store);
        opened.PutExperiment(experiment);
        DateTimeOffset end = finished ?? DateTimeOffset.UtcNow;
        string worker = "local:" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (CommandUnit u in units)
        {
            var key = new UnitKey(experiment.Id, u.Configuration, u.Repeat);
            int index = Math.Max(0, experiment.Configurations.ToList().IndexOf(u.Configuration));
            double seconds = u.Metrics.Where(m => m.Name == "seconds" && m.Step == 0).Select(m => m.Value).FirstOrDefault();
            string started = end.AddSeconds(-seconds).ToString("O", CultureInfo.InvariantCulture), ended = end.ToString("O", CultureInfo.InvariantCulture);
            if (u.Error is not null)
                opened.FailUnit(key, index, u.Seed, experiment.Id, u.Error, worker, started, ended);
            else
                opened.CompleteUnit(key, index, u.Seed, experiment.Id, u.Metrics, worker, started, ended);
        }
        return experiment;
    }

    /// <summary>The line a command prints after recording: where, and under which name and id.</summary>
    public static string Recorded(string store, ExperimentRecord experiment, int units)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        string where = ResultsStore.LooksLikeConnectionString(store) ? "the shared results store" : store;
        return string.Create(CultureInfo.InvariantCulture, $"Recorded {units} unit{(units == 1 ? "" : "s")} into {where} as {experiment.Name}@{experiment.Id}.");
    }

    private static bool LooksLikeFile(string store) => !ResultsStore.LooksLikeConnectionString(store);

    private static string Quote(string value) => value.Any(ch => char.IsWhiteSpace(ch) || ch is '"' or '\'') ? "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : value;
}
