using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Recipes;

namespace LstmLab.Experiments.Reproduce;

/// <summary>Where a reproduce run stands: the section running and the share of the estimated work done.</summary>
/// <param name="Section">The section now running, e.g. "seed 002: echo lag-context".</param>
/// <param name="Fraction">Estimated share of all the work done, 0 to 1 (finished items weighted by their typical cost).</param>
/// <param name="ItemsDone">Trials and repeats finished, reused ones included.</param>
/// <param name="ItemsTotal">All trials and repeats of the plan.</param>
/// <param name="Reused">Items found finished in the output folder and not run again.</param>
public sealed record ReproduceProgress(string Section, double Fraction, int ItemsDone, int ItemsTotal, int Reused);

/// <summary>One seed 001 experiment as run: its definition and every repeat.</summary>
public sealed record ShampooSection(ExperimentDefinition Definition, IReadOnlyList<RepeatResult> Results);

/// <summary>One echo variant as run.</summary>
public sealed record EchoSection(EchoVariant Variant, EchoOptions Options, IReadOnlyList<EchoTrial> Trials);

/// <summary>Everything a reproduce run produced.</summary>
/// <param name="Reused">Items taken from the output folder instead of being run.</param>
public sealed record ReproduceResults(ReproducePlan Plan, IReadOnlyList<MemoryTrial> Memory, IReadOnlyList<MemoryTrial> Mlp,
    IReadOnlyList<ShampooSection> Shampoo, IReadOnlyList<EchoSection> Echo, int Reused)
{
    /// <summary>The long-sequence memory trials (P = <see cref="ReproducePlan.LongLength"/>); empty when the plan leaves them out.</summary>
    public IReadOnlyList<MemoryTrial> LongSequence { get; init; } = [];
}

/// <summary>
/// Runs a <see cref="ReproducePlan"/>: the memory demonstration and its MLP (seed 000), seed 001's experiments
/// through the experiment harness (its repeat files and resume), and the three echo variants (seed 002).
/// Every trial is saved as it ends (<see cref="TrialStore"/>), every repeat by the harness, so a run started
/// again with the same output folder runs only what is missing.
/// </summary>
public static class ReproduceRunner
{
    // Typical CPU milliseconds of one item on the reference machine (2-core AMD EPYC), for an even progress bar.
    // A long-sequence trial (P = 100, LSTM(64), stopped when solved, about 600 epochs) costs about 1.3 s.
    private const double MemoryCost = 50, MlpCost = 35, ShampooCost = 60, LongCost = 1300;

    /// <summary>Runs the plan into <paramref name="outputDirectory"/>, <paramref name="parallel"/> items at once.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; every finished item is already on disk.</exception>
    /// <exception cref="InvalidDataException">The folder holds results made with other settings.</exception>
    public static ReproduceResults Run(ReproducePlan plan, string outputDirectory, int parallel, Action<ReproduceProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        plan.Validate();
        if (parallel < 1)
            throw new ArgumentException($"--parallel must be at least 1 (got {parallel}).");
        var shampoo = ReproducePlan.ShampooExperiments.Select(n => BuiltinExperiments.Load(n).With(plan.ShampooRepeats, plan.ShampooEpochs)).ToArray();
        double total = plan.MemoryTrials * MemoryCost * plan.MemoryEpochs / 250 + plan.MlpTrials * MlpCost * plan.MemoryEpochs / 250
            + shampoo.Sum(d => d.Configurations.Sum(c => c.Options.Epochs) * d.Repeats * ShampooCost / 1000)
            + ReproducePlan.EchoVariants.Sum(v => plan.EchoTrials * EchoCost(plan.Echo(v, 0))) + plan.LongTrials * LongCost * Math.Min(plan.LongEpochs, 600) / 600;
        int items = plan.MemoryTrials + plan.MlpTrials + shampoo.Sum(d => d.Configurations.Count * d.Repeats) + 3 * plan.EchoTrials + plan.LongTrials;
        var meter = new Meter(total, items, progress);

        var memory = RunMemory(plan, MemoryModel.Lstm, plan.MemoryTrials, Path.Combine(outputDirectory, "trials", "memory"), parallel, meter, cancel);
        var mlp = RunMemory(plan, MemoryModel.Mlp, plan.MlpTrials, Path.Combine(outputDirectory, "trials", "memory-mlp"), parallel, meter, cancel);
        var sections = new List<ShampooSection>();
        foreach (ExperimentDefinition definition in shampoo)
        {
            string folder = Path.Combine(outputDirectory, "seed-001", definition.Name);
            double cost = ShampooCost * definition.Configurations[0].Options.Epochs / 1000;
            meter.Section("seed 001: " + definition.Name);
            meter.Reuse(RepeatRunner.LoadFinished(definition, folder).Count, cost);
            IReadOnlyList<RepeatResult> results = RepeatRunner.Run(definition, new RunSettings(folder, parallel), _ => meter.Done(cost), cancel);
            ExperimentReport.For(definition, results).WriteAll(folder);
            sections.Add(new ShampooSection(definition, results));
        }
        var echo = new List<EchoSection>();
        foreach (EchoVariant variant in ReproducePlan.EchoVariants)
        {
            string name = EchoOptions.Name(variant);
            EchoOptions first = plan.Echo(variant, 0);
            double cost = EchoCost(first);
            meter.Section("seed 002: echo " + name);
            string hash = TrialStore.SettingsHash("echo/1\n" + (first with { Seed = 0 }));
            var trials = RunTrials(Path.Combine(outputDirectory, "trials", "echo-" + name), hash, plan.EchoTrials, parallel, meter, cost,
                i =>
                {
                    EchoResult r = EchoExperiment.Run(plan.Echo(variant, i), null, cancel);
                    return new EchoTrial(i, r.Options.Seed, r.Solved, r.FirstSuccessEpoch, r.Correct, r.Total,
                        r.Expected.Select(e => e[0]).ToArray(), r.Predicted.Select(p => p[0]).ToArray(), r.Seconds, hash);
                },
                t => t.Index, t => t.SettingsHash, cancel);
            echo.Add(new EchoSection(variant, first, trials));
        }
        MemoryTrial[] longSequence = plan.LongTrials == 0 ? [] : RunMemory(plan.LongSequence, F($"seed 000: long sequences (P = {plan.LongLength})"),
            LongCost * Math.Min(plan.LongEpochs, 600) / 600, plan.LongTrials, Path.Combine(outputDirectory, "trials", "memory-long"), parallel, meter, cancel);
        return new ReproduceResults(plan, memory, mlp, sections, echo, meter.Reused) { LongSequence = longSequence };
    }

    private static MemoryTrial[] RunMemory(ReproducePlan plan, MemoryModel model, int count, string folder, int parallel, Meter meter, CancellationToken cancel) =>
        RunMemory(i => plan.Memory(i, model), model == MemoryModel.Mlp ? "seed 000: the MLP" : "seed 000: memory demonstration",
            (model == MemoryModel.Mlp ? MlpCost : MemoryCost) * plan.MemoryEpochs / 250, count, folder, parallel, meter, cancel);

    private static MemoryTrial[] RunMemory(Func<int, MemoryOptions> options, string section, double cost, int count, string folder, int parallel, Meter meter, CancellationToken cancel)
    {
        meter.Section(section);
        string hash = TrialStore.SettingsHash("memory/1\n" + (options(0) with { Seed = 0 }));
        return RunTrials(folder, hash, count, parallel, meter, cost, i =>
        {
            MemoryResult r = MemoryDemonstration.Run(options(i), null, cancel);
            return new MemoryTrial(i, r.Options.Seed, r.Solved, r.FirstSolvedEpoch, r.Correct, r.Total,
                r.Sequences.Select(s => s.X).ToArray(), r.Sequences.Select(s => s.Y).ToArray(), r.Sequences.Select(s => s.Predicted).ToArray(),
                MemoryOutcome.Explain(r), r.Seconds, hash);
        }, t => t.Index, t => t.SettingsHash, cancel);
    }

    private static T[] RunTrials<T>(string folder, string hash, int count, int parallel, Meter meter, double cost,
        Func<int, T> run, Func<T, int> index, Func<T, string> hashOf, CancellationToken cancel)
    {
        Dictionary<int, T> have = TrialStore.Load(folder, hash, count, index, hashOf);
        meter.Reuse(have.Count, cost);
        var results = new T[count];
        foreach ((int i, T t) in have)
            results[i] = t;
        int[] missing = Enumerable.Range(0, count).Where(i => !have.ContainsKey(i)).ToArray();
        try
        {
            Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel }, i =>
            {
                using LstmLab.Numerics.EngineThreads.Scope threads = LstmLab.Numerics.EngineThreads.UseDefault(parallel > 1 ? 1 : null);
                T trial = run(i);
                TrialStore.Save(folder, i, trial);
                results[i] = trial;
                meter.Done(cost);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            throw new OperationCanceledException("The reproduce run was interrupted.", e, cancel);
        }
        return results;
    }

    private static string F(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Cost per trial grows with epochs and with the window (timesteps per sample).
    private static double EchoCost(EchoOptions o) => o.Variant switch
    {
        EchoVariant.Current => 175.0 * o.ResolvedEpochs / 500,
        EchoVariant.LagNoContext => 470.0 * o.ResolvedEpochs / 2000,
        _ => 870.0 * o.ResolvedEpochs / 2000,
    };

    /// <summary>Thread-safe progress: weighted work done, items done, the section's name.</summary>
    private sealed class Meter(double total, int items, Action<ReproduceProgress>? report)
    {
        private readonly Lock _gate = new();
        private double _done;
        private int _items;
        private string _section = "";

        public int Reused { get; private set; }

        public void Section(string name)
        {
            lock (_gate)
            {
                _section = name;
                Publish();
            }
        }

        public void Reuse(int count, double cost)
        {
            lock (_gate)
            {
                Reused += count;
                _items += count;
                _done += count * cost;
                Publish();
            }
        }

        public void Done(double cost)
        {
            lock (_gate)
            {
                _items++;
                _done += cost;
                Publish();
            }
        }

        private void Publish() => report?.Invoke(new ReproduceProgress(_section, total <= 0 ? 1 : Math.Min(1, _done / total), _items, items, Reused));
    }
}
