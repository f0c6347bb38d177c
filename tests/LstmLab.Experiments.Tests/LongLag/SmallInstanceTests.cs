using LstmLab.Experiments.LongLag;
using LstmLab.Training;
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
    // 2b, p = 5: measured, seed 1 is solved after 10,531 sequences on the AVX2 path and after 42,633 on an Intel Xeon's
    // AVX-512 path (its last bits differ), each then the 10,000-sequence window: 52,633 presented, so the budget is 80,000.
    [InlineData("2b", 5, 0, 0, 10.0, null, 80_000)]
    [InlineData("2c", 10, 10, 0, null, null, 20_000)]
    [InlineData("multiplication", 0, 0, 20, 10.0, null, 15_000)]
    [InlineData("adding-tcn", 0, 0, 20, null, null, 10_000)]
    // Temporal order has one size, the paper's (length 100-110); with chrono initialization it is solved in seconds.
    [InlineData("temporal-order", 0, 0, 0, null, 110.0, 10_000)]
    public void SmallInstance_IsSolved(string task, int p, int q, int t, double? forgetBias, double? chrono, long budget) =>
        AssertSolved(task, p, q, t, forgetBias, chrono, budget, LongLagOptions.DefaultOptimizer);

    // Task 2a at the small size, p = 10: with 32 units and forget bias 10 (measured: seed 1 solved after
    // 358 sequences, then the 10,000-sequence window; with the default 16 units it is not solved in 20,000, the
    // recall at the last step staying a coin flip).
    [Fact]
    public void Task2a_P10_IsSolved() =>
        AssertSolved("2a", 10, 0, 0, 10.0, null, 20_000, LongLagOptions.DefaultOptimizer, units: 32);

    // Task 2a at p = 20 with the recall step's loss weighted 20 (Keras's temporal sample_weight): measured, seed 1 is
    // solved after 610 sequences (4.3 s, Release build); unweighted, the same network is not solved in 30,000 (0 of the
    // last 1,000 right, 29,732 of the 29,994 wrong sequences wrong only at the last step).
    [Fact]
    public void Task2a_P20_WithTheRecallWeighted_IsSolved() =>
        AssertSolved("2a", 20, 0, 0, 10.0, null, 15_000, LongLagOptions.DefaultOptimizer, units: 32, recallWeight: 20);

    // Copy-memory's ten digits make every size slow (the smallest solved, T = 1, takes 57,500 sequences), so its small
    // instance copies 2 digits over T = 5 (--digits 2): measured, seed 1 is solved at the check after 3,500 sequences
    // on the AVX2 path and after 14,500 on the scalar path (DOTNET_EnableAVX2=0; its last bits differ), so the budget
    // is 30,000. The criterion asks for all 100 recalled digits of 50 held-out sequences.
    [Fact]
    public void CopyMemory_TwoDigits_T5_IsSolved() =>
        AssertSolved("copy-memory", 0, 0, 5, null, null, 30_000, LongLagOptions.DefaultOptimizer, units: 32, digits: 2);

    // Adding at its smallest length (T = 20; the generator needs T/2 - 1 > 10 for the second mark): solved
    // with chrono T_MAX = 20 and Adam at 0.003 (measured: seed 1 solved after 19,659 sequences, about 2 s of CPU;
    // at the default 0.01 with --forget-bias 10 it needs 31,374). The criterion's 2,000-sequence window makes
    // 21,659 presented: the budget of 30,000 leaves room, far below what luck needs (the constant guess is
    // within 0.04 for about 15% of sequences, never 2,000 in a row).
    [Fact]
    public void Adding_T20_IsSolved() =>
        AssertSolved("adding", 0, 0, 20, null, 20.0, 30_000, new OptimizerSettings("adam", 0.003, GlobalClipNorm: 1));

    private void AssertSolved(string task, int p, int q, int t, double? forgetBias, double? chrono, long budget, OptimizerSettings optimizer, int units = 16, double? recallWeight = null, int digits = 10)
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
            Optimizer = optimizer,
            Units = units,
            RecallWeight = recallWeight,
            Digits = digits,
        };
        LongLagTrial trial = LongLagRunner.RunTrial(options, 1);
        log.WriteLine($"{task}: solved {trial.Solved} after {trial.SequencesToSuccess} of {trial.SequencesTrained} sequences, {trial.Seconds:F1} s; {trial.Progress}");
        Assert.True(trial.Solved, $"{task} not solved in {budget} sequences: {trial.Progress}");
    }
}
