using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

/// <summary>
/// A repeat that diverges is recorded as failed, with its reason, and the others go on; the failure is
/// kept on resume; reports count it and leave it out of every statistic.
/// </summary>
public sealed class FailedRepeatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-failed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExperimentDefinition Small(int repeats) => BuiltinExperiments.Load("a-vs-a").With(repeats, epochs: 5);

    // Repeat 1 of configuration "stateful" trains a model that really diverges (plain SGD at learning rate 1 on
    // y = 1000·x: the engine stops it); every other repeat runs the ordinary walk-forward forecast.
    private static RepeatResult Workload(TimeSeries series, ExperimentConfiguration configuration, RepeatIdentity id, CancellationToken cancel)
    {
        if (configuration.Name == "stateful" && id.Repeat == 1)
        {
            var model = new Sequential(SampleShape.Vector(1), seed: id.Seed);
            model.Add(new Dense(1));
            model.Compile(Loss.MeanSquaredError, new Sgd(learningRate: 1));
            model.Fit(new Tensor(new float[] { 1000, 999 }, 2, 1), new Tensor(new float[] { 1000, 1000 }, 2, 1), epochs: 100, verbose: 0);
        }
        ForecastResult f = WalkForward.Run(series, configuration.Options with { Seed = id.Seed }, null, cancel);
        return RepeatRunner.ResultFor(id, f.Rmse, f.Mae, f.Mape, f.Seconds, f.Predicted);
    }

    [Fact]
    public void A_diverging_repeat_among_good_ones_is_recorded_as_failed_and_the_others_finish()
    {
        string output = Path.Combine(_dir, "run");
        ExperimentDefinition experiment = Small(repeats: 3);
        var results = RepeatRunner.Run(experiment, new RunSettings(output, Parallel: 2) { RunRepeat = Workload });
        Assert.Equal(experiment.Configurations.Count * 3, results.Count);
        RepeatResult failed = Assert.Single(results, r => r.Failed);
        Assert.Equal(("stateful", 1), (failed.Configuration, failed.Repeat));
        Assert.Contains("Training diverged", failed.Failure, StringComparison.Ordinal);
        Assert.Contains("epoch", failed.Failure, StringComparison.Ordinal);
        Assert.True(double.IsNaN(failed.Rmse));
        Assert.All(results.Where(r => !r.Failed), r => Assert.True(double.IsFinite(r.Rmse)));

        // Saved as failed: a resume keeps it (the same seed would diverge again) and runs nothing.
        var ran = new List<RepeatResult>();
        var again = RepeatRunner.Run(experiment, new RunSettings(output) { RunRepeat = Workload }, r => { lock (ran) ran.Add(r); });
        Assert.Empty(ran);
        Assert.Equal(failed.Failure, Assert.Single(again, r => r.Failed).Failure);

        ExperimentReport report = ExperimentReport.For(experiment, again);
        Assert.Single(report.Failed);
        Assert.Equal(2, report.Describe["stateful"].Count);
        Assert.Equal(3, report.Describe["stateful2"].Count);
        Assert.StartsWith($"Failed repeats: 1 of {again.Count} failed", report.ConsoleText(), StringComparison.Ordinal);
        Assert.Contains("Failed repeats: 1 of", report.Markdown(), StringComparison.Ordinal);
        Assert.Contains("Failed repeats: 1 of", report.Html(), StringComparison.Ordinal);
        string csv = RepeatRunner.FailedCsv(again);
        Assert.StartsWith("configuration,repeat,seed,reason\nstateful,1,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_failure_is_reported_for_the_run_but_not_saved_so_a_resume_retries_it()
    {
        string output = Path.Combine(_dir, "flaky");
        ExperimentDefinition experiment = Small(repeats: 2);
        int calls = 0;
        RepeatResult Flaky(TimeSeries s, ExperimentConfiguration c, RepeatIdentity id, CancellationToken t)
        {
            if (c.Name == "stateful2" && id.Repeat == 0 && Interlocked.Increment(ref calls) == 1)
                throw new InvalidOperationException("simulated worker fault");
            return Workload(s, c, id, t);
        }
        var first = RepeatRunner.Run(experiment, new RunSettings(output, Parallel: 1) { RunRepeat = Flaky });
        RepeatResult failed = Assert.Single(first, r => r.Failed && r.Configuration == "stateful2");
        Assert.Contains("simulated worker fault", failed.Failure, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "repeats", "stateful2", "repeat-0000.json")));
        var second = RepeatRunner.Run(experiment, new RunSettings(output, Parallel: 1) { RunRepeat = Flaky });
        Assert.DoesNotContain(second, r => r.Configuration == "stateful2" && r.Failed);
    }

    [Fact]
    public void A_workload_result_that_does_not_carry_its_identity_is_refused()
    {
        string output = Path.Combine(_dir, "wrong");
        RepeatResult Wrong(TimeSeries s, ExperimentConfiguration c, RepeatIdentity id, CancellationToken t) =>
            RepeatRunner.ResultFor(id with { Seed = id.Seed + 1 }, 1, 1, null, 0, []);
        var results = RepeatRunner.Run(Small(repeats: 1), new RunSettings(output) { RunRepeat = Wrong });
        Assert.All(results, r => Assert.Contains("does not carry its identity", r.Failure, StringComparison.Ordinal));
    }
}
