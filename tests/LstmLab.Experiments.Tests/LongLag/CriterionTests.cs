using LstmLab.Experiments.LongLag;
using Xunit;

namespace LstmLab.Experiments.Tests.LongLag;

// Provenance (whole file) (hand + cited): sequence counts follow from the sequences each test feeds the criterion;
// the windows and evaluation intervals are those each task's criterion defines (LongLag/*.cs, from Hochreiter &
// Schmidhuber 1997, Section 5).

/// <summary>Each success criterion on hand-made streams of outputs, where the answer is known by construction.</summary>
public sealed class CriterionTests
{
    private static readonly LongLagSequence Scalar = new(1, [0f, 0f], [0.5f]);

    [Fact]
    public void Successive_NeedsTheWholeRun_AndCountsSequencesBeforeIt()
    {
        var c = new SuccessiveCriterion(3, (s, o) => o[0] < 0.25f);
        float[] errors = [0.1f, 0.1f, 0.3f, 0.1f, 0.1f];
        foreach (float e in errors)
            c.Observe(Scalar, [e]);
        Assert.False(c.Solved);                                // the longest run is 2
        c.Observe(Scalar, [0.2f]);
        Assert.True(c.Solved);
        Assert.Equal(3, c.SequencesToSuccess);                 // 3 sequences before the run of 3
        c.Observe(Scalar, [0.9f]);
        Assert.Equal(3, c.SequencesToSuccess);                 // success is final
    }

    [Fact]
    public void Successive_Progress_CountsTheLast1000_AndTask2aSaysWhereTheWrongOnesFailed()
    {
        var c = new SuccessiveCriterion(10_000, (s, o) => o[0] < 0.25f);
        for (int i = 0; i < 1_500; i++)
            c.Observe(Scalar, [i % 4 == 0 ? 0.9f : 0.1f]);   // every 4th wrong: 250 of the last 1,000
        Assert.Equal(750, c.RecentCorrect);
        Assert.Contains("correct: 750 of the last 1,000", c.Progress, StringComparison.Ordinal);

        var task = new Task2a(3);
        SuccessCriterion c2 = task.NewCriterion(1);
        LongLagSequence s = task.Generate(new LstmLab.Numerics.RandomGenerator(1));
        float[] good = s.Targets.Select(v => v == 1f ? 0.8f : 0.2f).ToArray();
        float[] recallWrong = (float[])good.Clone();
        recallWrong[^1] = 0.5f;                                // only the last step's outputs are off
        float[] middleWrong = (float[])good.Clone();
        middleWrong[0] = 0.5f;                                 // the first step is off
        c2.Observe(s, recallWrong);
        c2.Observe(s, recallWrong);
        c2.Observe(s, middleWrong);
        c2.Observe(s, good);
        Assert.Contains("correct: 1 of the last 4; of the 3 wrong sequences, 2 were wrong only at the last step", c2.Progress, StringComparison.Ordinal);
    }

    [Fact]
    public void Task2a_OneOutputOffBy025AnywhereBreaksTheRun()
    {
        var task = new Task2a(3);
        SuccessCriterion c = task.NewCriterion(1);
        LongLagSequence s = task.Generate(new LstmLab.Numerics.RandomGenerator(1));
        float[] good = s.Targets.Select(v => v == 1f ? 0.8f : 0.2f).ToArray();
        float[] bad = (float[])good.Clone();
        bad[^1] = bad[^1] == 0.8f ? 0.74f : 0.26f;
        for (int i = 0; i < 9_999; i++)
            c.Observe(s, good);
        c.Observe(s, bad);
        Assert.False(c.Solved);
        for (int i = 0; i < 10_000; i++)
            c.Observe(s, good);
        Assert.True(c.Solved);
        Assert.Equal(10_000, c.SequencesToSuccess);
    }

    [Fact]
    public void Task2b_JudgesOnlyTheLastStep()
    {
        var task = new Task2b(3);
        SuccessCriterion c = task.NewCriterion(1);
        LongLagSequence s = task.Generate(new LstmLab.Numerics.RandomGenerator(2));
        float[] output = s.Targets.Select(v => v == 1f ? 0.9f : 0.1f).ToArray();
        output[0] = 0.9f;                                      // a wrong middle prediction does not count
        for (int i = 0; i < 10_000; i++)
            c.Observe(s, output);
        Assert.True(c.Solved);
        Assert.Equal(0, c.SequencesToSuccess);
    }

    [Fact]
    public void Task2c_BothOutputsWithin02()
    {
        var task = new Task2c(5, 5);
        SuccessCriterion c = task.NewCriterion(1);
        var s = new LongLagSequence(1, new float[9], [1f, 0f]);
        c.Observe(s, [0.85f, 0.21f]);                          // the second output is off by 0.21
        for (int i = 0; i < 9_999; i++)
            c.Observe(s, [0.81f, 0.19f]);
        Assert.False(c.Solved);
        c.Observe(s, [0.81f, 0.19f]);
        Assert.True(c.Solved);
        Assert.Equal(1, c.SequencesToSuccess);
    }

    [Fact]
    public void Adding_LastTwoThousandWithin004_AndMeanBelow001()
    {
        SuccessCriterion c = new AddingTask(100).NewCriterion(1);
        // 2,000 sequences each off by 0.02: all within 0.04, but the mean error 0.02 is not below 0.01.
        for (int i = 0; i < 2000; i++)
            c.Observe(Scalar, [0.52f]);
        Assert.False(c.Solved);
        // A fresh trial: 1,999 off by 0.005 and one off by 0.05: the window holds a wrong one.
        c = new AddingTask(100).NewCriterion(1);
        for (int i = 0; i < 1999; i++)
            c.Observe(Scalar, [0.505f]);
        c.Observe(Scalar, [0.55f]);
        Assert.False(c.Solved);
        for (int i = 0; i < 1999; i++)
            c.Observe(Scalar, [0.505f]);
        Assert.False(c.Solved);                                // the 0.05 is still in the last 2,000
        c.Observe(Scalar, [0.505f]);
        Assert.True(c.Solved);
        Assert.Equal(2000, c.SequencesToSuccess);
    }

    [Fact]
    public void Multiplication_FewerThan140WrongOfTheLast2000()
    {
        SuccessCriterion c = new MultiplicationTask(100).NewCriterion(1);
        for (int i = 0; i < 2000; i++)
            c.Observe(Scalar, [i < 140 ? 0.6f : 0.5f]);          // 140 wrong: not fewer than 140
        Assert.False(c.Solved);
        c.Observe(Scalar, [0.5f]);                             // the first wrong one leaves the window: 139
        Assert.True(c.Solved);
        Assert.Equal(1, c.SequencesToSuccess);
    }

    [Fact]
    public void TemporalOrder_EveryOutputWithin03()
    {
        SuccessCriterion c = new TemporalOrderTask(2).NewCriterion(1);
        var s = new LongLagSequence(1, new float[8], [0f, 1f, 0f, 0f]);
        for (int i = 0; i < 1999; i++)
            c.Observe(s, [0.29f, 0.71f, 0.29f, 0f]);
        c.Observe(s, [0.31f, 0.9f, 0f, 0f]);                   // one output off by 0.31
        Assert.False(c.Solved);
        for (int i = 0; i < 2000; i++)
            c.Observe(s, [0.1f, 0.9f, 0.1f, 0.1f]);
        Assert.True(c.Solved);
    }

    [Fact]
    public void Reber_AllPredicted_UsesTheKMostActiveOutputs()
    {
        const string s = "BTBTXSETE";
        string[] legal = ReberTask.LegalNext(s);
        var output = new float[legal.Length * 7];
        for (int t = 0; t < legal.Length; t++)
        {
            foreach (char c in legal[t])
                output[t * 7 + ReberTask.Symbols.IndexOf(c, StringComparison.Ordinal)] = 0.6f;
        }
        Assert.True(ReberTask.AllPredicted(s, output));
        // After the inner E only T is legal: P as active as T is a miss.
        output[6 * 7 + ReberTask.Symbols.IndexOf('P', StringComparison.Ordinal)] = 0.7f;
        Assert.False(ReberTask.AllPredicted(s, output));
    }

    [Fact]
    public void HeldOut_AddingTcnAndCopyMemory_JudgeTheirOwnSets()
    {
        SuccessCriterion adding = new AddingTcnTask(20).NewCriterion(3);
        Assert.Equal(1000, adding.EvaluationInterval);
        adding.Evaluate(_ => [1f]);                            // the constant guess: MSE ≈ 1/6
        Assert.False(adding.Solved);
        Assert.Matches(@"^last check: held-out MSE 0\.1[4-9]\d\d ", adding.Progress);
        var copy = new CopyMemoryTask(5);
        SuccessCriterion recall = copy.NewCriterion(3);
        recall.Evaluate(s => new float[s.Targets.Length]);     // all zeros: every argmax is digit 0, never a recalled digit 1..8
        Assert.False(recall.Solved);
        Assert.StartsWith("last check: 0 of 500 recalled digits right", recall.Progress, StringComparison.Ordinal);
        recall.Evaluate(s => s.Targets);                       // a perfect copy
        Assert.True(recall.Solved);
        Assert.Equal(0, recall.SequencesToSuccess);
    }
}
