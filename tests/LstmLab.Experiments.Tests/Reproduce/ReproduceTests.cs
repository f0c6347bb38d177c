using System.Text.RegularExpressions;
using LstmLab.Experiments.Reproduce;
using Xunit;

namespace LstmLab.Experiments.Tests.Reproduce;

/// <summary>The reproduce run: every section, resumable like an experiment, and a report that puts the tutorial next to us.</summary>
public sealed partial class ReproduceTests : IDisposable
{
    // Small enough for a test: the structure of the real run, a fraction of its work.
    private static readonly ReproducePlan Tiny = new()
    {
        MemoryTrials = 3,
        MlpTrials = 2,
        MemoryEpochs = 80,
        ShampooRepeats = 3,
        ShampooEpochs = 15,
        EchoTrials = 2,
        EchoEpochs = 30,
        LongTrials = 2,
        LongEpochs = 20,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-reproduce-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Provenance (hand): item counts of the Tiny plan: 3 + 2 memory/MLP trials, (3 + 6 configurations) × 3 repeats =
    // 27, 3 echo variants × 2, 2 long-sequence trials; P = 100 scores 99 steps per sequence.
    [Fact]
    public void Runs_every_section_and_a_second_run_reuses_every_finished_item()
    {
        var progress = new List<ReproduceProgress>();
        ReproduceResults first = ReproduceRunner.Run(Tiny, _dir, 2, p => { lock (progress) progress.Add(p); });
        Assert.Equal(3, first.Memory.Count);
        Assert.Equal(2, first.Mlp.Count);
        Assert.Equal(["stateful-vs-stateless", "reset-regimes"], first.Shampoo.Select(s => s.Definition.Name));
        Assert.Equal(9 + 18, first.Shampoo.Sum(s => s.Results.Count));
        Assert.Equal(3, first.Echo.Count);
        Assert.All(first.Echo, e => Assert.Equal(2, e.Trials.Count));
        // The long-sequence run: the README's recipe at P = 100 (99 inputs per sequence, every step scored).
        Assert.Equal(2, first.LongSequence.Count);
        Assert.All(first.LongSequence, t => Assert.Equal(2 * 99, t.Total));
        Assert.Equal([1L, 2L], first.LongSequence.Select(t => t.Seed));
        Assert.Equal(0, first.Reused);
        // One progress display: it only moves forward and ends at all items.
        Assert.Equal(3 + 2 + 27 + 6 + 2, progress[^1].ItemsDone);
        Assert.Equal(1, progress[^1].Fraction, 6);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second.Fraction >= p.First.Fraction));

        // Interrupted runs: delete one trial and one repeat, run again: only those two run.
        File.Delete(Path.Combine(_dir, "trials", "echo-lag-context", "trial-0001.json"));
        File.Delete(Path.Combine(_dir, "seed-001", "reset-regimes", "repeats", "seed_2", "repeat-0000.json"));
        File.Delete(Path.Combine(_dir, "trials", "memory-long", "trial-0000.json"));
        ReproduceResults second = ReproduceRunner.Run(Tiny, _dir, 2);
        Assert.Equal(3 + 2 + 27 + 6 + 2 - 3, second.Reused);
        Assert.Equal(first.LongSequence.Select(t => t.Predicted.SelectMany(p => p)), second.LongSequence.Select(t => t.Predicted.SelectMany(p => p)));
        Assert.Equal(first.Echo[2].Trials.Select(t => (t.Seed, t.Correct)), second.Echo[2].Trials.Select(t => (t.Seed, t.Correct)));
        Assert.Equal(first.Memory.Select(t => t.Predicted.SelectMany(p => p)), second.Memory.Select(t => t.Predicted.SelectMany(p => p)));

        // Other settings in the same folder are refused, never mixed in.
        var e = Assert.Throws<InvalidDataException>(() => ReproduceRunner.Run(Tiny with { MemoryEpochs = 81 }, _dir, 2));
        Assert.Contains("other settings", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => ReproduceRunner.Run(Tiny with { LongEpochs = 21 }, _dir, 2));
        Assert.Contains("memory-long", e.Message, StringComparison.Ordinal);
    }

    // Provenance (cited): 103.1 (7.1), 95.7 (1.9), 103.142903 and 136.761 are the tutorial's own figures
    // (../shared/seeds/001, via Reproduce/TutorialFigures.cs); 12.5/20.0 s is the timing the test passes.
    [Fact]
    public void The_report_puts_each_tutorial_number_next_to_ours_and_says_what_it_means_once()
    {
        ReproduceResults results = ReproduceRunner.Run(Tiny, _dir, 2);
        var report = new ReproduceReport(results, new RunTiming(12.5, 20.0, 2));
        report.WriteAll(_dir);
        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (string text in new[] { html, md })
        {
            Assert.Contains("Seed 000", text, StringComparison.Ordinal);
            Assert.Contains("Seed 001", text, StringComparison.Ordinal);
            Assert.Contains("Seed 002", text, StringComparison.Ordinal);
            // The tutorials' own figures (TutorialFigures, copied from the seed documents).
            Assert.Contains("103.1 (7.1)", text, StringComparison.Ordinal);
            Assert.Contains("95.7 (1.9)", text, StringComparison.Ordinal);
            Assert.Contains("136.761", text, StringComparison.Ordinal);
            Assert.Contains("103.142903", text, StringComparison.Ordinal);
            Assert.Contains("X=3.0 y=0.0, yhat=", text, StringComparison.Ordinal);
            Assert.Contains("Wall time 12.5 s, CPU time 20.0 s", text, StringComparison.Ordinal);
            // The long-sequence section: the tutorial's claim and the paper's figure (TutorialFigures) beside ours.
            Assert.Contains("Long sequences: P = 100", text, StringComparison.Ordinal);
            Assert.Contains("across 100s, and even 1000s, of time steps", text, StringComparison.Ordinal);
            Assert.Contains("task 2a, p = 100", text, StringComparison.Ordinal);
            // Provenance (hand): the Wilson interval of 18/18 at 95%: low = n / (n + z²) = 18 / (18 + 3.8415) = 0.824.
            Assert.Matches(@"18/18 trials = 100 ?%, 95% Wilson interval \[82 ?%, 100 ?%\]; 5,040 training sequences", text);
            Assert.Contains("These are 2 seeds, fewer than the 20 of the README", text, StringComparison.Ordinal);
        }
        // One "what it means" per memory result, seed-001 experiment and echo variant but the mistake, which is shown as one.
        Assert.Equal(2 + 1 + 2 + 2, MeaningClass().Count(html));
        Assert.Equal(1, MistakeClass().Count(html));
        Assert.Contains("echoing X(t-1) from X(t) alone fails", html, StringComparison.Ordinal);
        // Provenance: commit, machine, instruction set, data hash; tables scroll in their own boxes.
        Assert.Contains("instruction set", html, StringComparison.Ordinal);
        Assert.Contains("SHA-256", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html.Replace("<div class=\"scroll\"><table", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        // Headlines for the console: LSTM, MLP, long sequences, persistence, two seed-001 experiments, three echo variants.
        Assert.Equal(9, report.Headlines.Count);
        Assert.True(File.Exists(Path.Combine(_dir, "seed-001", "reset-regimes", "boxplot.svg")));
        Assert.Contains("seed-001/reset-regimes/boxplot.svg", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_keeps_every_finished_trial_for_the_next_run()
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => ReproduceRunner.Run(Tiny, _dir, 1, p =>
        {
            if (p.ItemsDone == 2)
                cancel.Cancel();
        }, cancel.Token));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, "trials", "memory"), "trial-*.json").Length);
        ReproduceResults resumed = ReproduceRunner.Run(Tiny, _dir, 2);
        Assert.Equal(2, resumed.Reused);
    }

    [Fact]
    public void Plans_are_validated_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentException>(() => ReproduceRunner.Run(Tiny with { ShampooRepeats = 1 }, _dir, 2));
        Assert.Contains("repeats", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => ReproduceRunner.Run(Tiny with { LongTrials = -1 }, _dir, 2));
        Assert.Contains("long-sequence trials", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ReproduceRunner.Run(Tiny, _dir, 0));
    }

    [GeneratedRegex("class=\"meaning\"")]
    private static partial Regex MeaningClass();

    [GeneratedRegex("class=\"mistake\"")]
    private static partial Regex MistakeClass();
}
