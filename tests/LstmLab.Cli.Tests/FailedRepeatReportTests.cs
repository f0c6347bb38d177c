using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary>What the user sees of a diverging repeat among good ones: warnings, counts, failed.csv, exit code 3.</summary>
[Collection("Console")]
public sealed class FailedRepeatReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-failed-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Repeat 1 of "stateful" trains a model that really diverges (plain SGD at learning rate 1 on
    // y = 1000·x); the others run the ordinary forecast.
    private static LstmLab.Experiments.Harness.RepeatResult Workload(LstmLab.Data.TimeSeries series, LstmLab.Experiments.Harness.ExperimentConfiguration c,
        LstmLab.Experiments.Harness.RepeatIdentity id, CancellationToken cancel)
    {
        if (c.Name == "stateful" && id.Repeat == 1)
        {
            var model = new LstmLab.Sequential(LstmLab.Layers.SampleShape.Vector(1), seed: id.Seed);
            model.Add(new LstmLab.Layers.Dense(1));
            model.Compile(LstmLab.Training.Loss.MeanSquaredError, new LstmLab.Training.Sgd(learningRate: 1));
            model.Fit(new LstmLab.Numerics.Tensor(new float[] { 1000, 999 }, 2, 1), new LstmLab.Numerics.Tensor(new float[] { 1000, 1000 }, 2, 1), epochs: 100, verbose: 0);
        }
        var f = LstmLab.Experiments.Forecasting.WalkForward.Run(series, c.Options with { Seed = id.Seed }, null, cancel);
        return LstmLab.Experiments.Harness.RepeatRunner.ResultFor(id, f.Rmse, f.Mae, f.Mape, f.Seconds, f.Predicted);
    }

    // Provenance (hand): 3 = the repeats the test's experiment file asks for.
    [Fact]
    public void A_diverging_repeat_among_good_ones_is_counted_kept_out_of_the_statistics_and_exits_with_3()
    {
        var definition = LstmLab.Experiments.Harness.BuiltinExperiments.Load("a-vs-a").With(3, epochs: 3);
        string output = Path.Combine(_dir, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int code;
        try
        {
            code = LstmLab.Cli.Commands.ExperimentCommand.RunAndReport(definition, output, 2, json: true, Workload);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
        Assert.Equal(3, code);
        Assert.Contains("warning: repeat 1 of stateful", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Training diverged", stderr.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("Failed repeats: 1 of 6 failed", stdout.ToString(), StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(CliRunner.LastLine(stdout.ToString()));
        Assert.Equal(1, doc.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("configurations").GetProperty("stateful").GetProperty("count").GetInt32());
        Assert.Equal(3, doc.RootElement.GetProperty("configurations").GetProperty("stateful2").GetProperty("count").GetInt32());
        Assert.StartsWith("configuration,repeat,seed,reason\nstateful,1,", File.ReadAllText(Path.Combine(output, "failed.csv")), StringComparison.Ordinal);
        Assert.Contains("Failed repeats: 1 of 6", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(output, "results.csv")).Length);

        (int compared, string comparedOut, string comparedErr) = CliRunner.Run("experiment", "compare", output);
        Assert.True(compared == 0, comparedErr);
        Assert.StartsWith($"Failed repeats: 1 in {output}", comparedOut, StringComparison.Ordinal);
    }
}
