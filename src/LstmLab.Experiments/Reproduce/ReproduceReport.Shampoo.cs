using System.Globalization;
using LstmLab.Experiments.Harness;
using LstmLab.Experiments.Recipes;
using LstmLab.Experiments.Statistics;

namespace LstmLab.Experiments.Reproduce;

/// <summary>Seed 001's sections and the report's provenance.</summary>
public sealed partial class ReproduceReport
{
    private void AddShampoo(ReportDocument doc)
    {
        doc.Heading(2, "Seed 001: stateful and stateless LSTMs for forecasting");
        doc.Paragraph("Shampoo Sales (36 months): lag-1 differencing, lag-1 framing, MinMax scaling to [-1, 1] fitted on the training rows, walk-forward one-step forecasts of the last 12 months; LSTM(1), batch 1, MSE, Adam. Test RMSE in monthly sales, lower is better.");
        if (_shampoo.Length == 0)
            return;
        double persistence = _shampoo[0].Report.Baselines[0].Rmse;
        doc.Table(["baseline", "tutorial", "LstmLab"], [["persistence forecast (each month = the month before), test RMSE", F($"{TutorialFigures.PersistenceRmse:F3}"), F($"{persistence:F3}")]]);
        _headlines.Add(new Headline("seed 001: persistence RMSE", F($"{TutorialFigures.PersistenceRmse:F3}"), F($"{persistence:F3}")));
        foreach ((ShampooSection section, ExperimentReport report) in _shampoo)
        {
            string name = section.Definition.Name;
            IReadOnlyList<TutorialColumn> tutorial = name == "reset-regimes" ? TutorialFigures.ResetRegimes : TutorialFigures.StatefulVsStateless;
            int repeats = section.Definition.Repeats;
            doc.Heading(3, name);
            if (section.Definition.Description is string description)
                doc.Paragraph(description);
            var rows = new List<IReadOnlyList<string>>();
            foreach ((string configuration, Summary s) in report.Describe.Names.Zip(report.Describe.Summaries))
            {
                TutorialColumn? t = tutorial.FirstOrDefault(c => c.Name == configuration);
                rows.Add([configuration, t is null ? "" : F($"{t.Mean:F1} ({t.Std:F1})"), F($"{s.Mean:F1} ({s.StandardDeviation:F1})")]);
            }
            doc.Table(["configuration", "tutorial: mean (std), 10 repeats", F($"LstmLab: mean (std), {repeats} repeats")], rows);
            _headlines.Add(new Headline(F($"seed 001 {name}: mean RMSE"),
                string.Join(" / ", tutorial.Select(c => F($"{c.Name} {c.Mean:F1}"))),
                string.Join(" / ", report.Describe.Names.Zip(report.Describe.Summaries).Select(p => F($"{p.First} {p.Second.Mean:F1}"))) + F($" ({repeats} repeats)")));
            doc.Meaning(ShampooMeaning(name, report, repeats));
            doc.Heading(4, "The tutorial's describe() (10 repeats, Keras 2.0)")
                .Pre(FrameText.RenderNumbers(DescribeTable.RowLabels, tutorial.Select(c => c.Name).ToList(), tutorial.Select(c => (IReadOnlyList<double>)c.Describe).ToList()));
            doc.Heading(4, F($"LstmLab ({repeats} repeats)"));
            string folder = "seed-001/" + name;
            doc.Raw(() => report.HtmlBody(5), () => report.MarkdownBody(5, folder + "/boxplot.svg"));
            doc.Note(F($"Every repeat, the CSV files and this experiment's own report are in {folder}/ (resumable: its repeats are harness repeat files)."));
        }
    }

    private static string ShampooMeaning(string name, ExperimentReport report, int repeats)
    {
        PairwiseComparisons c = report.Comparisons;
        var significant = c.Comparisons.Where(p => p.Significant).ToList();
        string verdicts = significant.Count == 0
            ? F($"none of the {c.Comparisons.Count} pairs differs significantly after Holm's correction")
            : F($"{significant.Count} of the {c.Comparisons.Count} pairs differ significantly after Holm's correction (")
              + string.Join("; ", significant.Select(p => p.MeanDifference >= 0
                  ? F($"{p.Second} below {p.First} by {p.MeanDifference:F1}")
                  : F($"{p.First} below {p.Second} by {-p.MeanDifference:F1}")))
              + ")";
        string claim = name == "reset-regimes"
            ? "The tutorial warned that its six regimes' means, within a few percent of each other, \"could be statistical noise\""
            : "The tutorial found the stateless LSTM better than the stateful one and shuffling of little consequence, from 10 repeats and no test";
        return F($"{claim}; with {repeats} repeats and Welch tests here, {verdicts}.");
    }

    private Provenance CaptureProvenance()
    {
        ReproducePlan plan = _results.Plan;
        var sections = new List<NamedSettings>();
        MemoryOptions memory = plan.Memory(0);
        string eps = ExperimentReport.Number(new LstmLab.Training.Adam().Epsilon);
        string seeds = F($"{plan.Seed} to {plan.Seed + plan.MemoryTrials - 1}");
        sections.Add(new NamedSettings("seed 000: memory", Settings(("model", F($"stateful LSTM({memory.Units}) → Dense(5, sigmoid)")), ("epochs", F($"{memory.Epochs}")), ("batch_size", "1"),
            ("recurrent_activation", LstmLab.Numerics.Activations.Name(memory.RecurrentActivation)), ("adam_epsilon", eps), ("trials", F($"{plan.MemoryTrials}")), ("seeds", seeds))));
        sections.Add(new NamedSettings("seed 000: MLP", Settings(("model", F($"Dense({memory.Units}, relu) → Dense(5, sigmoid)")), ("epochs", F($"{memory.Epochs}")), ("batch_size", "1"),
            ("adam_epsilon", eps), ("trials", F($"{plan.MlpTrials}")), ("seeds", F($"{plan.Seed} to {plan.Seed + plan.MlpTrials - 1}")))));
        if (plan.LongTrials > 0)
        {
            MemoryOptions l = plan.LongSequence(0);
            sections.Add(new NamedSettings(F($"seed 000: long sequences (P = {l.Length})"), Settings(("model", F($"LSTM({l.Units}, return_sequences) → Dense(5, sigmoid), one sample of {l.Length - 1} steps")),
                ("epochs", F($"at most {l.Epochs}, stop when solved")), ("batch_size", "1 (one update per sequence)"), ("recurrent_activation", LstmLab.Numerics.Activations.Name(l.RecurrentActivation)),
                ("optimizer", l.Optimizer.ToString()), ("adam_epsilon", eps), ("forget_bias", F($"{l.ForgetBias}")), ("trials", F($"{plan.LongTrials}")), ("seeds", F($"{plan.Seed} to {plan.Seed + plan.LongTrials - 1}")))));
        }
        foreach (ShampooSection s in _results.Shampoo)
        {
            foreach (ExperimentConfiguration configuration in s.Definition.Configurations)
                sections.Add(new NamedSettings(F($"seed 001: {s.Definition.Name}/{configuration.Name}"),
                    [.. ExperimentReport.SettingsOf(configuration.Options), new("repeats", F($"{s.Definition.Repeats}")), new("experiment seed", F($"{s.Definition.Seed}"))]));
        }
        foreach (EchoSection e in _results.Echo)
        {
            EchoOptions o = e.Options;
            sections.Add(new NamedSettings("seed 002: echo " + EchoOptions.Name(e.Variant), Settings(
                ("model", F($"{(o.ResolvedStateful ? "stateful " : "")}LSTM({o.ResolvedUnits}) → Dense({o.Alphabet}, softmax), input ({o.ResolvedWindow}, {o.Alphabet})")),
                ("epochs", F($"{o.ResolvedEpochs}")), ("batch_size", F($"{o.ResolvedBatchSize}")), ("recurrent_activation", LstmLab.Numerics.Activations.Name(o.RecurrentActivation)),
                ("adam_epsilon", eps), ("trials", F($"{plan.EchoTrials}")), ("seeds", F($"{plan.Seed} to {plan.Seed + plan.EchoTrials - 1}")))));
        }
        var data = _results.Shampoo.Select(s => s.Definition.Data).Distinct().Select(DataProvenance.Of).ToList();
        return Provenance.Capture(
            [
                new("command", "lstmlab reproduce"),
                new("plan", plan.ToString()),
                new("time", TimingSentence()),
            ],
            sections, data);
    }

    private static KeyValuePair<string, string>[] Settings(params (string Key, string Value)[] settings) =>
        settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value)).ToArray();
}
