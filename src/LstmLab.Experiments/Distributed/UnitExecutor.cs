using System.Collections.Concurrent;
using System.Globalization;
using LstmLab.Data;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Store;

namespace LstmLab.Experiments.Distributed;

/// <summary>
/// Runs units in a worker: reads the experiment (definition and data content) from the store once, runs
/// the repeat exactly as a local run does (same seed, same code), and writes the result keyed on
/// (experiment, unit), so a unit delivered twice after a lost lease is recorded once.
/// </summary>
public sealed class UnitExecutor
{
    private readonly ResultsStore _store;
    private readonly string _scratch;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, Lazy<Loaded>> _experiments = new();

    /// <summary>An executor recording into <paramref name="store"/> as <paramref name="worker"/>.</summary>
    /// <param name="scratch">A folder for copies of the experiments' data files.</param>
    /// <param name="log">Receives one line per unit.</param>
    public UnitExecutor(ResultsStore store, string worker, string scratch, Action<string>? log = null)
    {
        _store = store;
        Worker = worker;
        _scratch = scratch;
        _log = log ?? (_ => { });
    }

    /// <summary>This worker's name in the store (<c>host:pid</c>).</summary>
    public string Worker { get; }

    private sealed record Loaded(ExperimentRecord Record, ExperimentDefinition? Definition, TimeSeries? Series, string? Problem);

    /// <summary>Runs one unit; see <see cref="UnitJob.Run"/>.</summary>
    /// <exception cref="UnitFailedException">The unit failed; it is recorded as failed with the reason.</exception>
    public void Run(string experimentId, string configuration, int repeat, CancellationToken cancel)
    {
        var key = new UnitKey(experimentId, configuration, repeat);
        Loaded loaded = Experiment(experimentId);
        string started = ResultsStore.Now();
        UnitRecord unit = _store.Unit(key)
            ?? throw new UnitFailedException($"unit {configuration} #{repeat} is not part of experiment {experimentId} in {_store.Description}");
        if (loaded.Problem is not null)
            throw Fail(key, unit.ConfigIndex, unit.Seed, unit.SettingsHash, started, loaded.Problem);
        if (!_store.StartUnit(key, Worker, started))
        {
            _log(F($"{configuration} #{repeat}: done already (delivered again after a lost lease); skipped"));
            return;
        }
        ExperimentConfiguration config = loaded.Definition!.Configurations[unit.ConfigIndex];
        var losses = new List<double>();
        RepeatResult result;
        try
        {
            // One Hangfire worker thread trains one unit on one core: a worker's --threads counts units at once, not cores per model.
            using LstmLab.Numerics.EngineThreads.Scope threads = LstmLab.Numerics.EngineThreads.UseDefault(1);
            result = RepeatRunner.RunOne(loaded.Definition, loaded.Series!, config, repeat, e => losses.Add(e.Loss), cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            _store.ReleaseUnit(key, Worker);
            _log(F($"{configuration} #{repeat}: stopped, back to the queue"));
            throw;
        }
        catch (Exception e)
        {
            throw Fail(key, unit.ConfigIndex, unit.Seed, unit.SettingsHash, started, Reason(e), e);
        }
        bool first = _store.CompleteUnit(key, unit.ConfigIndex, result with { SettingsHash = unit.SettingsHash }, losses, Worker, started, ResultsStore.Now(), config.Options.LossEvery);
        _log(first
            ? F($"{configuration} #{repeat}: RMSE {result.Rmse:F3}, {result.Seconds:F2} s")
            : F($"{configuration} #{repeat}: finished, but another worker recorded it first; kept theirs"));
    }

    private UnitFailedException Fail(UnitKey key, int configIndex, long seed, string hash, string started, string reason, Exception? inner = null)
    {
        _store.FailUnit(key, configIndex, seed, hash, reason, Worker, started, ResultsStore.Now());
        _log($"{key.Configuration} #{key.Repeat}: failed: {reason}");
        return inner is null ? new UnitFailedException(reason) : new UnitFailedException(reason, inner);
    }

    private Loaded Experiment(string experimentId)
    {
        try
        {
            return _experiments.GetOrAdd(experimentId, id => new Lazy<Loaded>(() => Load(id))).Value;
        }
        catch
        {
            // A store that could not be reached is tried again with the next delivery, not remembered.
            _experiments.TryRemove(experimentId, out _);
            throw;
        }
    }

    private Loaded Load(string experimentId)
    {
        ExperimentRecord record = _store.FindExperiment(experimentId);
        if (record.ToolVersion != ExperimentIdentity.ToolVersion)
        {
            return new Loaded(record, null, null,
                $"experiment {record.Id} was submitted with {record.ToolVersion}, this worker is {ExperimentIdentity.ToolVersion}: run workers of the same version");
        }
        try
        {
            string? dataPath = StoredDefinition.WriteData(record, _scratch);
            ExperimentDefinition definition = StoredDefinition.Rebuild(record, dataPath);
            TimeSeries series = definition.Data.Load();
            string hash = ExperimentIdentity.DataHash(series);
            if (hash != record.DataHash)
                return new Loaded(record, null, null, $"the stored data of experiment {record.Id} reads differently on this worker (hash {hash[..16]}, submitted {record.DataHash[..16]})");
            return new Loaded(record, definition, series, null);
        }
        catch (Exception e) when (e is InvalidDataException or DataFormatException or ArgumentException or FormatException)
        {
            return new Loaded(record, null, null, $"experiment {record.Id} cannot be read back: {e.Message}");
        }
    }

    private static string Reason(Exception e) =>
        e is ArgumentException or InvalidDataException or DataFormatException or InvalidOperationException
            ? e.Message
            : e.GetType().Name + ": " + e.Message;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
