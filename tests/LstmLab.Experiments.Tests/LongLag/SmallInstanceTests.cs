using LstmLab.Experiments.LongLag;
using Xunit;
using Xunit.Abstractions;

namespace LstmLab.Experiments.Tests.LongLag;

// Provenance (whole file) (hand): each case's sizes and the budget of sequences are the test's own choice of a small
// instance, not results.

/// <summary>
/// A small instance of every task, trained with the task's own criterion, must be solved within its
/// sequence budget (seeded, so the outcome is fixed): the whole pipeline — generator, network, online
/// training, criterion — works end to end. The budgets are far below what an untrained net would need
/// to pass by luck (the criteria ask for thousands of successive correct sequences).
/// </summary>
public sealed class SmallInstanceTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("reber", 0, 0, 0, null, null, 20_000)]
    [InlineData("2a", 5, 0, 0, 10.0, null, 20_000)]
    [InlineData("2b", 5, 0, 0, 10.0, null, 30_000)]
    [InlineData("2c", 10, 10, 0, null, null, 20_000)]
    [InlineData("multiplication", 0, 0, 20, 10.0, null, 15_000)]
    [InlineData("adding-tcn", 0, 0, 20, null, null, 10_000)]
    // Temporal order has one size, the paper's (length 100-110); with chrono initialization it is solved in seconds.
    [InlineData("temporal-order", 0, 0, 0, null, 110.0, 10_000)]
    public void SmallInstance_IsSolved(string task, int p, int q, int t, double? forgetBias, double? chrono, long budget)
    {
        var options = new LongLagOptions
        {
            Task = task,
            P = p == 0 ? 100 : p,
            Q = q == 0 ? 100 : q,
            T = t == 0 ? null : t,
            ForgetBias = forgetBias,
            Chrono = chrono,
            MaxSequences = budget,
        };
        LongLagTrial trial = LongLagRunner.RunTrial(options, 1);
        log.WriteLine($"{task}: solved {trial.Solved} after {trial.SequencesToSuccess} of {trial.SequencesTrained} sequences, {trial.Seconds:F1} s; {trial.Progress}");
        Assert.True(trial.Solved, $"{task} not solved in {budget} sequences: {trial.Progress}");
    }
}
