using System.Globalization;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Statistics;
using LstmLab.Experiments.Trials;

namespace LstmLab.Experiments.Reproduce;

/// <summary>How long a reproduce run took: wall-clock and CPU seconds of this invocation.</summary>
public sealed record RunTiming(double WallSeconds, double CpuSeconds, int Parallel);

/// <summary>One headline: a seed's result as the tutorial gave it and as LstmLab measured it.</summary>
public sealed record Headline(string Result, string Tutorial, string Ours);

/// <summary>
/// The report of <c>lstmlab reproduce</c>: for each seed tutorial its headline result, the tutorial's number
/// next to ours and one sentence on what it means, with what produced it. Written as <c>report.html</c>
/// (self-contained) and <c>report.md</c>, plus <c>provenance.json</c>.
/// </summary>
public sealed partial class ReproduceReport
{
    private readonly ReproduceResults _results;
    private readonly RunTiming _timing;
    private readonly (ShampooSection Section, ExperimentReport Report)[] _shampoo;
    private readonly List<Headline> _headlines = [];

    /// <summary>Builds the report (and captures its provenance: now, this build, this machine).</summary>
    public ReproduceReport(ReproduceResults results, RunTiming timing)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(timing);
        _results = results;
        _timing = timing;
        _shampoo = results.Shampoo.Select(s => (Section: s, Report: ExperimentReport.For(s.Definition, s.Results))).ToArray();
        Provenance = CaptureProvenance();
        Document = Build();
    }

    /// <summary>What produced the report.</summary>
    public Provenance Provenance { get; }

    /// <summary>One line per headline result, for the console.</summary>
    public IReadOnlyList<Headline> Headlines => _headlines;

    private ReportDocument Document { get; }

    /// <summary>The report as one self-contained HTML page.</summary>
    public string Html() => Document.Html();

    /// <summary>The report in Markdown (box plots linked from the seed-001 folders).</summary>
    public string Markdown() => Document.Markdown();

    /// <summary>Writes report.html, report.md and provenance.json into <paramref name="directory"/>; returns their paths.</summary>
    public IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach ((string name, string text) in new[] { ("report.html", Html()), ("report.md", Markdown()), ("provenance.json", Provenance.ToJson()) })
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, text);
            files.Add(path);
        }
        return files;
    }

    private ReportDocument Build()
    {
        ReproducePlan plan = _results.Plan;
        var doc = new ReportDocument("LstmLab reproduce: the seed tutorials' headline results");
        doc.Paragraph("Each section puts the tutorial's number next to ours and says in one sentence what it means. "
            + "The tutorials ran Keras 2.0 (hard-sigmoid gates, Adam ε 1e-8); LstmLab runs the Keras ≥ 2.3 defaults (sigmoid gates, Adam ε 1e-7), "
            + "with the tutorials' models, batch sizes and epochs, and many seeds where the tutorials showed one run.");
        doc.Paragraph(F($"This run: {plan}. ") + TimingSentence());
        doc.Heading(2, "What produced this report").Raw(Provenance.ToHtml, () => Provenance.ToMarkdown() + "\n");
        AddMemory(doc);
        AddShampoo(doc);
        AddEcho(doc);
        return doc;
    }

    private string TimingSentence()
    {
        int items = _results.Memory.Count + _results.Mlp.Count + _results.LongSequence.Count + _results.Shampoo.Sum(s => s.Results.Count) + _results.Echo.Sum(e => e.Trials.Count);
        string reused = _results.Reused == 0 ? "" : F($" ({_results.Reused} of the {items} trials and repeats were finished in an earlier run and reused)");
        return F($"Wall time {_timing.WallSeconds:F1} s, CPU time {_timing.CpuSeconds:F1} s, {_timing.Parallel} at once on {Environment.ProcessorCount} cores{reused}.");
    }

    private void AddMemory(ReportDocument doc)
    {
        IReadOnlyList<MemoryTrial> lstm = _results.Memory, mlp = _results.Mlp;
        int epochs = _results.Plan.MemoryEpochs;
        TrialSummary s = Summarise(lstm.Select(t => (t.Solved, t.FirstSolvedEpoch)));
        TrialSummary m = Summarise(mlp.Select(t => (t.Solved, t.FirstSolvedEpoch)));
        doc.Heading(2, "Seed 000: memory with an LSTM");
        doc.Paragraph(F($"Two sequences, 3,0,1,2,3 and 4,0,1,2,4, one value per step: at the last step the input 2 is followed by 3 in one and 4 in the other, so only a memory of the first value can get both right. Stateful LSTM(20) at batch 1, Dense(5, sigmoid), binary cross-entropy, Adam, {epochs} epochs, state reset after each sequence; seeds {Seeds(lstm)}. The MLP is Dense(20, relu) → Dense(5, sigmoid) on the same one-hot inputs."));
        string ours = Rate(s, "seeds");
        string mlpOurs = Rate(m, "seeds");
        doc.Table(["result", "tutorial", "LstmLab"],
        [
            [F($"LSTM: all 8 steps right after {epochs} epochs"), TutorialFigures.Memory, ours],
            ["MLP: all 8 steps right", TutorialFigures.Mlp, mlpOurs],
        ]);
        _headlines.Add(new Headline("seed 000: LSTM, all 8 steps right", "one run shown, 8/8", ours));
        _headlines.Add(new Headline("seed 000: MLP, all 8 steps right", "cannot learn it (stated)", mlpOurs));

        int failed = lstm.Count - s.Successes;
        int lost = lstm.Count(t => !t.Solved && t.FirstSolvedEpoch is not null);
        int onlyRecall = lstm.Count(t => !t.Solved && OnlyRecallWrong(t));
        string reason = failed > 0 && onlyRecall == failed
            ? "; with one time step per batch no gradient reaches that first input, so whether the state keeps it is down to the random start"
            : "";
        doc.Meaning(failed == 0
            ? F($"All {s.Trials} seeds get every step right after {epochs} epochs: the tutorial's successful run is what this recipe gives.")
            : s.Successes == 0
            ? F($"No seed got every step right after {epochs} epochs here, so the tutorial's successful run is not what this recipe usually gives; {Share(onlyRecall, failed, "seeds")} miss only the step that needs the first input{reason}.")
            : F($"The tutorial's successful run is real but not reliable: {s.Successes} of {s.Trials} seeds get every step right after {epochs} epochs, {lost} more had it at some epoch and lost it again, and {Share(onlyRecall, failed, "failures")} miss only the step that needs the first input{reason}."));
        if (lstm.FirstOrDefault(t => t.Solved) is MemoryTrial solved)
            doc.Heading(3, F($"A solved run (seed {solved.Seed}, first all right after epoch {solved.FirstSolvedEpoch})")).Pre(Lines(solved));
        if (lstm.FirstOrDefault(t => !t.Solved) is MemoryTrial unsolved)
            doc.Heading(3, F($"A run that is not (seed {unsolved.Seed})")).Pre(Lines(unsolved)).Paragraph(string.Join(" ", unsolved.Explanation));

        int sameAnswer = mlp.Count(t => t.Predicted.Length == 2 && t.Predicted[0][^1] == t.Predicted[1][^1]);
        doc.Heading(3, F($"The MLP (seed {mlp[0].Seed})")).Pre(Lines(mlp[0]));
        doc.Meaning(m.Successes == 0
            ? F($"As the tutorial says, a network without memory cannot do it: {m.Successes} of {m.Trials} seeds, and {Share(sameAnswer, m.Trials, "seeds")} give the same answer at the last step of both sequences, where the input (2) is the same and only the first value differs.")
            : F($"Unlike the tutorial's claim, {m.Successes} of {m.Trials} MLP seeds got every step right; an MLP sees only the current input, so this needs a closer look."));
        AddLongSequence(doc);
    }

    private void AddEcho(ReportDocument doc)
    {
        doc.Heading(2, "Seed 002: echo random integers");
        doc.Paragraph("Random sequences of 25 integers in [0, 99], one-hot over 100 values, softmax and categorical cross-entropy, each epoch on a fresh sequence; solved means a new sequence echoed perfectly after training.");
        var rows = new List<IReadOnlyList<string>>();
        foreach (EchoSection e in _results.Echo)
        {
            string name = EchoOptions.Name(e.Variant);
            TrialSummary s = Summarise(e.Trials.Select(t => (t.Solved, t.FirstSuccessEpoch)));
            double accuracy = e.Trials.Average(t => (double)t.Correct / t.Total);
            string ours = Rate(s, "seeds") + F($"; mean accuracy {accuracy:P1}");
            rows.Add([name, e.Options.Describe(), F($"{e.Options.ResolvedEpochs}"), TutorialFigures.Echo[name], ours]);
            _headlines.Add(new Headline("seed 002: echo " + name, TutorialFigures.Echo[name], ours));
        }
        doc.Table(["variant", "what", "epochs", "tutorial", "LstmLab"], rows);
        foreach (EchoSection e in _results.Echo)
        {
            string name = EchoOptions.Name(e.Variant);
            TrialSummary s = Summarise(e.Trials.Select(t => (t.Solved, t.FirstSuccessEpoch)));
            double accuracy = e.Trials.Average(t => (double)t.Correct / t.Total);
            double chance = 1.0 / e.Options.Alphabet;
            EchoTrial first = e.Trials[0];
            doc.Heading(3, "echo " + name).Pre(F($"seed {first.Seed}\nExpected:  [{string.Join(", ", first.Expected)}]\nPredicted: [{string.Join(", ", first.Predicted)}]"));
            switch (e.Variant)
            {
                case EchoVariant.Current:
                    doc.Meaning(F($"Echoing the current value needs no memory: {s.Successes} of {s.Trials} seeds echo a new sequence perfectly (the tutorial's one run did)."));
                    break;
                case EchoVariant.LagNoContext when s.Successes == 0 && accuracy < 5 * chance:
                    doc.Mistake(F($"As the tutorial shows, echoing X(t-1) from X(t) alone fails: {s.Successes} of {s.Trials} seeds, mean accuracy {accuracy:P1} where guessing gives {chance:P0}. Each sample is one time step and the LSTM learns only within a sample, so no gradient links a prediction to the input before it; at batch {e.Options.ResolvedBatchSize} the state a sample carries even comes from {e.Options.ResolvedBatchSize} steps back. The past values must be given as time steps, as the next variant does."));
                    break;
                case EchoVariant.LagNoContext:
                    doc.Meaning(F($"Unlike the tutorial's 0%, this beginner's setup reached {s.Successes} of {s.Trials} seeds and a mean accuracy of {accuracy:P1} (guessing gives {chance:P0}); that needs a closer look."));
                    break;
                default:
                    doc.Meaning(F($"Given the last {e.Options.ResolvedWindow} values as time steps, the LSTM learns the lag: {s.Successes} of {s.Trials} seeds echo a new sequence perfectly and the mean accuracy is {accuracy:P1}, so the tutorial's 100% run is {(s.Rate >= 0.5 ? "typical, not lucky" : "one of the lucky ones")}."));
                    break;
            }
        }
    }

    // "all 12 failures", "3 of the 12 failures".
    private static string Share(int part, int whole, string what) => part == whole ? F($"all {whole} {what}") : F($"{part} of the {whole} {what}");

    private static string Lines(MemoryTrial t)
    {
        var lines = new List<string>();
        for (int s = 0; s < t.X.Length; s++)
        {
            lines.Add(F($"Sequence {s + 1}"));
            for (int i = 0; i < t.X[s].Length; i++)
                lines.Add(F($"X={t.X[s][i]:F1} y={t.Y[s][i]:F1}, yhat={t.Predicted[s][i]:F1}"));
        }
        return string.Join('\n', lines);
    }

    private static bool OnlyRecallWrong(MemoryTrial t) =>
        Enumerable.Range(0, t.X.Length).All(s => Enumerable.Range(0, t.Y[s].Length - 1).All(i => t.Y[s][i] == t.Predicted[s][i]));

    private static TrialSummary Summarise(IEnumerable<(bool, int?)> outcomes) => TrialSummary.From(outcomes.ToArray());

    private static string Rate(TrialSummary s, string what) =>
        F($"{s.Successes}/{s.Trials} {what} = {s.Rate:P0}, 95% Wilson interval [{s.IntervalLow:P0}, {s.IntervalHigh:P0}]");

    private static string Seeds(IReadOnlyList<MemoryTrial> trials) => F($"{trials[0].Seed} to {trials[^1].Seed}");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
