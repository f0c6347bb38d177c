using System.Globalization;
using System.Reflection;
using System.Text;
using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Plots;
using LstmLab.Experiments.Statistics;
using LstmLab.Numerics;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// The results of an experiment, by configuration, and everything written from them: one CSV per
/// configuration (like seed 001's <c>experiment_stateful.csv</c>), <c>results.csv</c> (long format),
/// <c>summary.csv</c> (pandas <c>describe()</c>), <c>boxplot.svg</c> (with n, means and the four
/// baselines), <c>comparisons.csv</c> (Welch and Mann–Whitney with Holm correction, Holm-adjusted and
/// unadjusted intervals), <c>sem.csv</c> (standard error of the mean against the number of repeats),
/// <c>baselines.csv</c>, <c>provenance.json</c> (what produced it), <c>report.md</c> and a self-contained
/// <c>report.html</c>.
/// </summary>
public sealed partial class ExperimentReport
{
    private ExperimentReport(string title, string? description, IReadOnlyList<RepeatResult> results, IReadOnlyList<ExperimentConfiguration>? configurations,
        Provenance provenance, IReadOnlyList<BaselineScore> baselines, IReadOnlyList<(string Folder, Provenance? Provenance)> sources)
    {
        Title = title;
        Description = description;
        Failed = results.Where(r => r.Failed).ToArray();
        results = results.Where(r => !r.Failed).ToArray();
        Results = results;
        Configurations = configurations;
        Provenance = provenance;
        Baselines = baselines;
        Sources = sources;
        Rmse = results.GroupBy(r => r.Configuration).Select(g => new KeyValuePair<string, double[]>(g.Key, g.OrderBy(r => r.Repeat).Select(r => r.Rmse).ToArray())).ToArray();
        if (Rmse.Count == 0)
            throw new ArgumentException("There are no results to report.");
        Describe = DescribeTable.Of(Rmse);
        Comparisons = PairwiseComparisons.Of(Rmse, "RMSE");
    }

    public string Title { get; }

    public string? Description { get; }

    /// <summary>Every finished repeat, in configuration and repeat order.</summary>
    public IReadOnlyList<RepeatResult> Results { get; }

    /// <summary>The repeats that failed (training diverged, say), with their reasons; they are in no statistic.</summary>
    public IReadOnlyList<RepeatResult> Failed { get; }

    /// <summary>One sentence on the failed repeats ("1 of 9 repeats failed: ..."), or null when none did.</summary>
    public string? FailedSentence => Failed.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"Failed repeats: {Failed.Count} of {Failed.Count + Results.Count} failed and are left out of every statistic below ({string.Join("; ", Failed.Take(3).Select(f => $"{f.Configuration} #{f.Repeat}: {f.Failure}"))}{(Failed.Count > 3 ? "; ..." : "")}); see failed.csv.");

    /// <summary>The configurations' settings when known (not for results compared from folders).</summary>
    public IReadOnlyList<ExperimentConfiguration>? Configurations { get; }

    /// <summary>What produced this report (for a comparison: the comparing run; see <see cref="Sources"/>).</summary>
    public Provenance Provenance { get; }

    /// <summary>
    /// The baselines (persistence first, then seasonal naive, drift and mean) on the repeats' test steps, drawn as
    /// reference lines on the box plot; one that could not be computed says why.
    /// </summary>
    public IReadOnlyList<BaselineScore> Baselines { get; }

    /// <summary>For a comparison, each folder and the provenance recorded there (null when the folder has none).</summary>
    public IReadOnlyList<(string Folder, Provenance? Provenance)> Sources { get; }

    /// <summary>Test RMSE by configuration, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, double[]>> Rmse { get; }

    /// <summary>The pandas describe() table of the RMSEs.</summary>
    public DescribeTable Describe { get; }

    /// <summary>All pairwise comparisons.</summary>
    public PairwiseComparisons Comparisons { get; }

    /// <summary>The report of a run experiment: its provenance is captured now, its baselines computed from its data.</summary>
    /// <exception cref="DataFormatException">The experiment's data cannot be loaded.</exception>
    public static ExperimentReport For(ExperimentDefinition experiment, IReadOnlyList<RepeatResult> results) =>
        For(experiment, results, ProvenanceOf(experiment));

    /// <summary>The report of a run experiment with the given provenance (a results store's: when and where its units ran); its baselines computed from its data.</summary>
    /// <exception cref="DataFormatException">The experiment's data cannot be loaded.</exception>
    public static ExperimentReport For(ExperimentDefinition experiment, IReadOnlyList<RepeatResult> results, Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(provenance);
        TimeSeries series = experiment.Data.Load();
        return new ExperimentReport(experiment.Name, experiment.Description, results, experiment.Configurations,
            provenance, ExperimentBaselines.Of(series, experiment.Configurations), []);
    }

    /// <summary>The provenance of an experiment run now: name, source, repeats, seeds, every configuration's settings, the data.</summary>
    public static Provenance ProvenanceOf(ExperimentDefinition experiment) => ProvenanceOf(experiment, DateTimeOffset.UtcNow, MachineInfo.Current());

    /// <summary>The provenance of an experiment run on <paramref name="date"/> on <paramref name="machine"/>.</summary>
    public static Provenance ProvenanceOf(ExperimentDefinition experiment, DateTimeOffset date, MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Provenance.Capture(
            [
                new("experiment", experiment.Name),
                new("defined in", experiment.Source),
                new("repeats", experiment.Repeats.ToString(CultureInfo.InvariantCulture)),
                new("experiment seed", experiment.Seed.ToString(CultureInfo.InvariantCulture) + " (each repeat's seed derives from it, the configuration and the repeat index)"),
            ],
            experiment.Configurations.Select(c => new NamedSettings(c.Name, SettingsOf(c.Options))),
            [DataProvenance.Of(experiment.Data)], date, machine);
    }

    /// <summary>
    /// The settings of a forecast that differ from <see cref="ForecastOptions"/>' defaults, plus the ones that
    /// matter whatever their value (epochs, batch size, recurrent activation, Adam ε), in declaration order,
    /// with the option names of experiment files. The seed is left out: each repeat has its own.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SettingsOf(ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = new ForecastOptions();
        var rows = new List<KeyValuePair<string, string>>();
        foreach (PropertyInfo p in typeof(ForecastOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.Name == nameof(ForecastOptions.Seed) || p.GetIndexParameters().Length > 0)
                continue;
            object? value = p.GetValue(options);
            bool always = p.Name is nameof(ForecastOptions.Epochs) or nameof(ForecastOptions.BatchSize)
                or nameof(ForecastOptions.RecurrentActivation) or nameof(ForecastOptions.AdamEpsilon);
            if (always || !Equals(value, p.GetValue(defaults)))
                rows.Add(new(Snake(p.Name), Format(value)));
        }
        return rows;
    }

    /// <summary>
    /// Combines the <c>results.csv</c> of earlier runs (<c>lstmlab experiment compare DIR...</c>). When two
    /// folders hold a configuration of the same name, it is prefixed with its folder's name. Each folder's
    /// <c>provenance.json</c> and <c>baselines.csv</c> are shown when present.
    /// </summary>
    /// <param name="preface">Shown first, in place of a description (e.g. how the compared runs' settings differ).</param>
    public static ExperimentReport Compare(IReadOnlyList<string> directories, string? preface = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0)
            throw new ArgumentException("Name at least one results folder to compare.");
        var loaded = directories.Select(d => (Dir: d, Results: ReadResultsCsv(Path.Combine(d, "results.csv")))).ToArray();
        var names = loaded.SelectMany(l => l.Results.Select(r => r.Configuration)).ToArray();
        var clashes = names.GroupBy(n => n).Where(g => loaded.Count(l => l.Results.Any(r => r.Configuration == g.Key)) > 1).Select(g => g.Key).ToHashSet();
        var combined = new List<RepeatResult>();
        var sources = new List<(string, Provenance?)>();
        var baselines = new List<BaselineScore>();
        foreach ((string dir, List<RepeatResult> results) in loaded)
        {
            string prefix = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
            combined.AddRange(results.Select(r => clashes.Contains(r.Configuration) ? r with { Configuration = prefix + "/" + r.Configuration } : r));
            string provenancePath = Path.Combine(dir, "provenance.json");
            sources.Add((dir, File.Exists(provenancePath) ? Provenance.FromJson(File.ReadAllText(provenancePath), provenancePath) : null));
            baselines.AddRange(ReadBaselines(Path.Combine(dir, "baselines.csv")));
        }
        // One line per distinct baseline; the same value from several folders is drawn once.
        var distinct = baselines.GroupBy(b => (b.Label, b.Rmse, b.Unavailable)).Select(g => g.First()).ToArray();
        Provenance own = Provenance.Capture([new("compared", string.Join(", ", directories))], [], []);
        return new ExperimentReport("comparison of " + string.Join(", ", directories), preface, combined, null, own, distinct, sources);
    }

    /// <summary>Writes every result file into <paramref name="directory"/>; returns their paths.</summary>
    public IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, string text)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, text);
            written.Add(path);
        }
        foreach ((string name, double[] values) in Rmse)
            Write($"experiment_{Safe(name)}.csv", "rmse\n" + string.Concat(values.Select(v => R(v) + "\n")));
        Write("results.csv", ResultsCsv());
        Write("summary.csv", Describe.ToCsv());
        Write("boxplot.svg", BoxPlot());
        Write("comparisons.csv", Comparisons.ToCsv());
        Write("sem.csv", SemCsv());
        Write("baselines.csv", BaselinesCsv());
        Write("provenance.json", Provenance.ToJson());
        Write("report.md", Markdown());
        Write("report.html", Html());
        return written;
    }

    /// <summary>The box plot of the RMSEs, all configurations side by side, n and mean marked, baselines as dashed lines (or arrows at the edge).</summary>
    public string BoxPlot() => BoxPlotSvg.Render(Rmse, new BoxPlotOptions
    {
        Title = $"{Title}: test RMSE over repeats",
        XLabel = "configuration",
        YLabel = "test RMSE",
        Width = Math.Max(640, 110 * Rmse.Count + 120),
        ReferenceLines = ExperimentBaselines.Lines(Baselines),
    });

    /// <summary>The long-format CSV of every repeat.</summary>
    public string ResultsCsv()
    {
        var sb = new StringBuilder("configuration,repeat,seed,rmse,mae,mape,seconds\n");
        foreach (RepeatResult r in Results)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Configuration},{r.Repeat},{r.Seed},{R(r.Rmse)},{R(r.Mae)},{(r.Mape is double m ? R(m) : "")},{R(r.Seconds)}\n");
        return sb.ToString();
    }

    /// <summary>The SEM against the number of repeats, for each configuration.</summary>
    public string SemCsv()
    {
        var sb = new StringBuilder("configuration,n,mean,std,sem,ci95_half_width\n");
        foreach ((string name, double[] values) in Rmse)
        {
            foreach (SemRow row in SemTable.Of(values).Rows)
                sb.Append(CultureInfo.InvariantCulture, $"{name},{row.N},{R(row.Mean)},{R(row.StandardDeviation)},{R(row.StandardError)},{R(row.CiHalfWidth)}\n");
        }
        return sb.ToString();
    }

    /// <summary>What the console shows: the describe() table, the baseline, and the comparisons in words (each sentence once).</summary>
    public string ConsoleText()
    {
        var sb = new StringBuilder();
        if (FailedSentence is not null)
            sb.AppendLine(FailedSentence).AppendLine();
        sb.AppendLine(Describe.ToString());
        if (BaselineSentence() is string baseline)
            sb.AppendLine(baseline);
        if (Rmse.Count > 1)
        {
            sb.AppendLine();
            foreach (string sentence in Comparisons.Sentences)
                sb.AppendLine(sentence);
            if (Comparisons.DisagreementSentence is string disagreement)
                sb.AppendLine(disagreement);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The baselines in one sentence (test RMSE, and how many configurations have a lower mean), with the ones
    /// that could not be computed and why; null without baselines.
    /// </summary>
    public string? BaselineSentence()
    {
        if (Baselines.Count == 0)
            return null;
        int n = Describe.Summaries.Count;
        string lines = string.Join("; ", Baselines.Where(b => b.Computed).Select(b => string.Create(CultureInfo.InvariantCulture,
            $"{b.Label} RMSE {b.Rmse:F3} ({Describe.Summaries.Count(s => s.Mean < b.Rmse)} of {n})")));
        string missing = string.Concat(Baselines.Where(b => !b.Computed).Select(b => $" {b.Label}: not computed here, {LowerFirst(b.Unavailable!)}"));
        return (lines.Length > 0 ? "Baselines on the same test steps (in brackets: the configurations with a lower mean test RMSE): " + lines + "." : "No baseline could be computed on these test steps.") + missing;
    }

    /// <summary><c>baselines.csv</c>: each baseline's test RMSE, MAE and MAPE on the repeats' test steps, or why it is missing.</summary>
    public string BaselinesCsv()
    {
        var sb = new StringBuilder("baseline,rmse,mae,mape,unavailable\n");
        foreach (BaselineScore b in Baselines)
        {
            sb.Append(b.Label).Append(',').Append(b.Computed ? R(b.Rmse) : "").Append(',').Append(b.Computed ? R(b.Mae) : "").Append(',')
                .Append(b.Mape is double m ? R(m) : "").Append(',').Append(Quoted(b.Unavailable ?? "")).Append('\n');
        }
        return sb.ToString();
    }

    private string SemSentence()
    {
        var parts = new List<string>();
        foreach ((string name, double[] values) in Rmse)
        {
            if (values.Length < 2)
            {
                parts.Add($"{name}: one repeat, no spread to estimate");
                continue;
            }
            SemRow last = SemTable.Of(values).Rows[^1];
            int forOne = SemTable.RepeatsFor(last.StandardDeviation, 1.0);
            // Never advise fewer repeats than were run: past the target, say so instead.
            string advice = forOne <= last.N
                ? "already at or below 1 RMSE"
                : string.Create(CultureInfo.InvariantCulture, $"about {forOne} repeats in all ({forOne - last.N} more) would bring it to 1 RMSE");
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}: mean {last.Mean:F2} ± {last.StandardError:F2} (SEM, n = {last.N}; 95% CI half-width {last.CiHalfWidth:F2}); SEM {advice}"));
        }
        return string.Join("; ", parts) + ". sem.csv has the SEM after 2, 3, ... repeats.";
    }

    private static List<RepeatResult> ReadResultsCsv(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' does not exist: compare folders written by `lstmlab experiment run` or `lstmlab run shampoo`.", path);
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("configuration,repeat,seed,rmse", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}, line 1: expected the header 'configuration,repeat,seed,rmse,...'.");
        var results = new List<RepeatResult>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            string[] f = lines[i].Split(',');
            if (f.Length < 7)
                throw new InvalidDataException($"{path}, line {i + 1}: expected 7 fields, got {f.Length}.");
            double Num(int column) => double.TryParse(f[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new InvalidDataException($"{path}, line {i + 1}, column {column + 1}: expected a number, got '{f[column]}'.");
            results.Add(new RepeatResult(f[0], (int)Num(1), (long)Num(2), Num(3), Num(4), f[5].Length == 0 ? null : Num(5), Num(6), [], ""));
        }
        if (results.Count == 0)
            throw new InvalidDataException($"{path}: no results.");
        return results;
    }

    // baselines.csv: "baseline,rmse" (older runs: persistence only) or "baseline,rmse,mae,mape,unavailable".
    private static IEnumerable<BaselineScore> ReadBaselines(string path)
    {
        if (!File.Exists(path))
            yield break;
        string[] lines = File.ReadAllLines(path);
        bool full = lines.Length > 0 && lines[0] == "baseline,rmse,mae,mape,unavailable";
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            string[] f = full ? lines[i].Split(',', 5) : lines[i].Split(',');
            double? Num(int column) => f[column].Length == 0 ? null
                : double.TryParse(f[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new InvalidDataException($"{path}, line {i + 1}, column {column + 1}: expected a number, got '{f[column]}'.");
            if (f.Length != (full ? 5 : 2))
                throw new InvalidDataException($"{path}, line {i + 1}: expected '{(full ? "baseline,rmse,mae,mape,unavailable" : "name,rmse")}', got '{lines[i]}'.");
            string name = f[0].StartsWith("persistence", StringComparison.Ordinal) ? "naive" : f[0].StartsWith("seasonal naive", StringComparison.Ordinal) ? "seasonal_naive"
                : f[0].StartsWith("drift", StringComparison.Ordinal) ? "drift" : f[0].StartsWith("mean", StringComparison.Ordinal) ? "mean" : f[0];
            string? unavailable = full && f[4].Length > 0 ? f[4].Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal) : null;
            yield return new BaselineScore(name, f[0], Num(1) ?? double.NaN, full ? Num(2) ?? double.NaN : double.NaN, full ? Num(3) : null, unavailable);
        }
    }

    private static string Quoted(string s) => s.Length == 0 ? "" : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string LowerFirst(string s) => s.Length > 0 && char.IsUpper(s[0]) && (s.Length < 2 || !char.IsUpper(s[1])) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(ch) : ch.ToString()));

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        bool b => b ? "true" : "false",
        RecurrentActivation a => Activations.Name(a),
        double d => Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        System.Collections.IEnumerable e => string.Join(" ", e.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? "",
    };

    /// <summary>A setting's number as people write it: 1000, 0.5, 1e-7.</summary>
    internal static string Number(double d) =>
        d != 0 && Math.Abs(d) < 1e-3 ? d.ToString("0.###e0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.' ? ch : '_'));

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
