using System.Xml.Linq;
using LstmLab.Experiments.Harness;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

public sealed class RepeatRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExperimentDefinition Small(int repeats = 3) =>
        BuiltinExperiments.Load("stateful-vs-stateless").With(repeats, epochs: 15);

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        var one = RepeatRunner.Run(Small(), new RunSettings(Path.Combine(_dir, "p1"), Parallel: 1));
        var two = RepeatRunner.Run(Small(), new RunSettings(Path.Combine(_dir, "p2"), Parallel: 2));
        Assert.Equal(9, one.Count);
        Assert.Equal(one.Select(r => (r.Configuration, r.Repeat, r.Seed, r.Rmse)), two.Select(r => (r.Configuration, r.Repeat, r.Seed, r.Rmse)));
    }

    [Fact]
    public void A_second_run_keeps_finished_repeats_and_runs_only_the_missing_ones()
    {
        string output = Path.Combine(_dir, "resume");
        var first = RepeatRunner.Run(Small(repeats: 2), new RunSettings(output));
        // Simulate an interruption: one finished repeat file disappears, as if that repeat had not ended.
        File.Delete(Path.Combine(output, "repeats", "stateless", "repeat-0001.json"));
        var ran = new List<RepeatResult>();
        var second = RepeatRunner.Run(Small(repeats: 3), new RunSettings(output), r => { lock (ran) ran.Add(r); });
        Assert.Equal(9, second.Count);
        // Missing: repeat 2 of each configuration, plus the deleted one.
        Assert.Equal(4, ran.Count);
        Assert.Contains(ran, r => r.Configuration == "stateless" && r.Repeat == 1);
        // The finished ones were read back, not recomputed, and are identical.
        Assert.Equal(first.Single(r => r.Configuration == "stateful" && r.Repeat == 0).Rmse, second.Single(r => r.Configuration == "stateful" && r.Repeat == 0).Rmse);
        Assert.Equal(first.Single(r => r.Configuration == "stateless" && r.Repeat == 1).Rmse, second.Single(r => r.Configuration == "stateless" && r.Repeat == 1).Rmse);
    }

    [Fact]
    public void Results_made_with_other_settings_are_never_mixed_in()
    {
        string output = Path.Combine(_dir, "mixed");
        RepeatRunner.Run(Small(repeats: 1), new RunSettings(output));
        ExperimentDefinition changed = BuiltinExperiments.Load("stateful-vs-stateless").With(1, epochs: 16);
        var e = Assert.Throws<InvalidDataException>(() => RepeatRunner.Run(changed, new RunSettings(output)));
        Assert.Contains("other settings", e.Message);
    }

    [Fact]
    public void Cancelling_keeps_every_finished_repeat_on_disk()
    {
        string output = Path.Combine(_dir, "cancel");
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => RepeatRunner.Run(Small(repeats: 4), new RunSettings(output, Parallel: 1), _ =>
        {
            if (Interlocked.Increment(ref finished) == 2)
                cancel.Cancel();
        }, cancel.Token));
        Assert.Equal(2, RepeatRunner.LoadFinished(Small(repeats: 4), output).Count);
    }

    // Provenance (hand): 3 configurations give 3 pairs.
    [Fact]
    public void Report_writes_the_tutorials_csvs_summary_boxplot_comparisons_and_reports()
    {
        string output = Path.Combine(_dir, "report");
        var results = RepeatRunner.Run(Small(), new RunSettings(output));
        ExperimentReport report = ExperimentReport.For(Small(), results);
        report.WriteAll(output);

        string[] stateful = File.ReadAllLines(Path.Combine(output, "experiment_stateful.csv"));
        Assert.Equal("rmse", stateful[0]);
        Assert.Equal(4, stateful.Length);
        Assert.StartsWith("configuration,repeat,seed,rmse", File.ReadAllText(Path.Combine(output, "results.csv")));
        string summary = File.ReadAllText(Path.Combine(output, "summary.csv"));
        Assert.Contains("stateless_shuffle", summary);
        Assert.Contains("25%", summary);
        Assert.Equal("svg", XDocument.Load(Path.Combine(output, "boxplot.svg")).Root!.Name.LocalName);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "comparisons.csv")).Length - 1);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("RMSE", File.ReadAllText(Path.Combine(output, "report.md")));

        ExperimentReport compared = ExperimentReport.Compare([output]);
        Assert.Equal(report.Rmse.Select(kv => kv.Key), compared.Rmse.Select(kv => kv.Key));
        Assert.Equal(report.Rmse[0].Value, compared.Rmse[0].Value);
    }
}
