using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LstmLab.Data;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Tests.Plots;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

/// <summary>What makes a report trustworthy: provenance, the baseline, one family of corrections, each sentence once.</summary>
public sealed partial class ExperimentReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExperimentDefinition Small(int repeats = 4) => BuiltinExperiments.Load("reset-regimes").With(repeats, epochs: 12);

    private ExperimentReport Run(string name, ExperimentDefinition? experiment = null)
    {
        experiment ??= Small();
        string output = Path.Combine(_dir, name);
        ExperimentReport report = ExperimentReport.For(experiment, RepeatRunner.Run(experiment, new RunSettings(output)));
        report.WriteAll(output);
        return report;
    }

    // Provenance (hand): the settings restate the experiment the test runs; the date bound is 'made now'.
    [Fact]
    public void Provenance_names_settings_data_hash_seed_version_commit_date_and_machine()
    {
        ExperimentReport report = Run("provenance");
        Provenance p = report.Provenance;
        var rows = p.Rows().ToDictionary(r => r.Key, r => r.Value);
        Assert.Equal("4", rows["repeats"]);
        Assert.StartsWith("1 ", rows["experiment seed"], StringComparison.Ordinal);
        // The content hash is the SHA-256 of the shipped CSV text, computed here independently.
        string expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Datasets.ShampooSalesCsv()))).ToLowerInvariant();
        Assert.Equal(expected, p.Data.Single().Sha256);
        Assert.Equal(36, p.Data.Single().Rows);
        Assert.Contains(expected, rows["data"], StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", p.Version);
        Assert.Contains("cores", rows["machine"], StringComparison.Ordinal);
        Assert.Matches("AVX-512F (yes|no), AVX2 (yes|no), FMA (yes|no); kernels use (AVX-512|AVX2|scalar)", rows["instruction set"]);
        Assert.True(DateTimeOffset.UtcNow - p.Date < TimeSpan.FromMinutes(10));

        // Every configuration lists what differs from the defaults and always the settings that matter.
        NamedSettings noseed3 = p.Configurations.Single(c => c.Name == "noseed_3");
        var settings = noseed3.Settings.ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal("false", settings["reset_each_epoch"]);
        Assert.Equal("12", settings["epochs"]);
        Assert.Equal("1", settings["batch_size"]);
        Assert.Equal("sigmoid", settings["recurrent_activation"]);
        Assert.Equal("1e-7", settings["adam_epsilon"]);
        Assert.False(settings.ContainsKey("neurons"));

        // Saved beside the results and read back by a comparison.
        Provenance back = Provenance.FromJson(File.ReadAllText(Path.Combine(_dir, "provenance", "provenance.json")), "provenance.json");
        Assert.Equal(p.Data.Single().Sha256, back.Data.Single().Sha256);
        Assert.Equal(p.Configurations.Count, back.Configurations.Count);
    }

    [Fact]
    public void The_commit_is_embedded_at_build_time_when_built_from_a_git_checkout()
    {
        // A checkout (or a worktree: .git is then a file) above the test binaries means the build saw git.
        bool inGit = false;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            inGit |= Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git"));
        if (inGit)
            Assert.Matches("^[0-9a-f]{40}$", Provenance.Capture([], [], []).Commit ?? "");
        Assert.StartsWith(Provenance.Capture([], [], []).Version, Provenance.InformationalVersion, StringComparison.Ordinal);
    }

    // Provenance (cited): 136.761, the tutorial's persistence RMSE (../shared/seeds/001; numpy:
    // tools/provenance/independent_values.txt [persistence]); n = 4 = the repeats run. The other baselines' values are
    // checked in ExperimentBaselinesTests.
    [Fact]
    public void The_baselines_are_in_the_report_and_reference_lines_on_the_box_plot()
    {
        ExperimentReport report = Run("baseline");
        // 136.761 is the tutorial's persistence RMSE on the last 12 months (seed 001, "Data Split").
        Assert.Equal(136.761, report.Baselines[0].Rmse, 3);
        Assert.Equal(4, report.Baselines.Count);
        Assert.Contains("| persistence | each test step = the observation before it | 136.761 |", report.Markdown(), StringComparison.Ordinal);
        Assert.Contains("136.761", report.Html(), StringComparison.Ordinal);
        Assert.Contains("persistence RMSE 136.761", report.ConsoleText(), StringComparison.Ordinal);
        var svg = SvgAssert.Parse(report.BoxPlot());
        Assert.Equal(4, svg.WithClass("reference-line").Count() + svg.WithClass("reference-marker").Count());
        Assert.Equal(6, svg.WithClass("mean").Count());
        Assert.Equal(Enumerable.Repeat("n = 4", 6), svg.WithClass("count").Select(t => t.Value));
        Assert.Equal("baseline,rmse,mae,mape,unavailable", File.ReadAllLines(Path.Combine(_dir, "baseline", "baselines.csv"))[0]);
    }

    [Fact]
    public void No_sentence_is_printed_twice_in_any_form()
    {
        ExperimentReport report = Run("once");
        foreach (string text in new[] { report.Markdown(), StripTags(report.Html()), report.ConsoleText() })
        {
            var sentences = SentenceSplit().Split(text).Select(s => s.Trim()).Where(s => s.Count(char.IsLetter) > 30).ToList();
            var repeated = sentences.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, "printed twice: " + string.Join(" | ", repeated));
        }
    }

    // Provenance (hand): a bound on the repeats the text may recommend (more than the 30 run).
    [Fact]
    public void The_standard_error_text_never_recommends_fewer_repeats_than_were_run()
    {
        // Thirty repeats of a stable configuration: its SEM is already below 1 RMSE.
        ExperimentDefinition stable = BuiltinExperiments.Load("stateful-vs-stateless").With(30, epochs: 10);
        ExperimentReport report = Run("sem", stable);
        string text = report.Markdown();
        foreach (Match m in AdvisedRepeats().Matches(text))
            Assert.True(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 30, m.Value);
        Assert.Matches("(already at or below 1 RMSE|repeats in all)", text);
    }

    [Fact]
    public void Comparisons_read_each_folders_provenance_and_baseline()
    {
        Run("first");
        ExperimentDefinition other = BuiltinExperiments.Load("stateful-vs-stateless").With(3, epochs: 12);
        Run("second", other);
        // A folder from an older LstmLab, without provenance.json: said so, not guessed.
        Run("old", other);
        File.Delete(Path.Combine(_dir, "old", "provenance.json"));
        // ... and with the older baselines.csv (persistence only): read, and the same line as the others' drawn once.
        string persistence = File.ReadAllLines(Path.Combine(_dir, "first", "baselines.csv"))[1].Split(',')[1];
        File.WriteAllText(Path.Combine(_dir, "old", "baselines.csv"), "baseline,rmse\npersistence," + persistence + "\n");
        ExperimentReport compared = ExperimentReport.Compare([Path.Combine(_dir, "first"), Path.Combine(_dir, "second"), Path.Combine(_dir, "old")]);
        Assert.Equal(3, compared.Sources.Count);
        Assert.Equal("reset-regimes", compared.Sources[0].Provenance!.Run[0].Value);
        Assert.Null(compared.Sources[2].Provenance);
        // Both folders test on Shampoo's last 12 months: the same four baselines, each shown once.
        // Provenance (hand): the four baselines in the order the report lists them; Shampoo's monthly dates give the season m = 12.
        Assert.Equal(["persistence", "seasonal naive (m = 12)", "drift", "mean"], compared.Baselines.Select(b => b.Label));
        string html = compared.Html();
        Assert.Contains("No provenance.json in this folder", html, StringComparison.Ordinal);
        Assert.Contains("reference-line", compared.BoxPlot(), StringComparison.Ordinal);
        Assert.Equal("svg", XDocument.Parse(compared.BoxPlot()).Root!.Name.LocalName);
    }

    private static string StripTags(string html) => TagPattern().Replace(html, "\n");

    [GeneratedRegex(@"(?<=[.;:])\s+|\n")]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"about (\d+) repeats")]
    private static partial Regex AdvisedRepeats();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
