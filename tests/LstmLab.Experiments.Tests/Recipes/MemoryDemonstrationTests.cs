using LstmLab.Experiments.Recipes;
using LstmLab.Layers;
using Xunit;

namespace LstmLab.Experiments.Tests.Recipes;

// Provenance (whole file) (cited + hand): the sequences are seed 000's construction (../shared/seeds/000) at the
// test's alphabet; shapes and bounds (7 of 8 = all but the recall) by hand.

/// <summary>The memory demonstration (seed 000) and its extensions: length, alphabet, random middle, batch learning, shuffle, MLP.</summary>
public sealed class MemoryDemonstrationTests
{
    [Fact]
    public void Default_options_make_the_tutorials_two_sequences()
    {
        var options = new MemoryOptions();
        Assert.True(options.IsTutorial);
        int[][] sequences = MemoryDemonstration.MakeSequences(options, options.FixedMiddle());
        Assert.Equal(MemoryDemonstration.Sequences, sequences);
    }

    [Fact]
    public void Length_and_alphabet_place_the_same_conflict_further_apart()
    {
        var options = new MemoryOptions { Length = 8, Alphabet = 6 };
        int[][] s = MemoryDemonstration.MakeSequences(options, options.FixedMiddle());
        Assert.Equal([4, 0, 1, 2, 3, 0, 1, 4], s[0]);
        Assert.Equal([5, 0, 1, 2, 3, 0, 1, 5], s[1]);
    }

    [Fact]
    public void The_mlp_never_solves_it_and_stays_below_the_lstm()
    {
        // Over a few seeds: the memoryless MLP cannot tell the sequences apart at the last step (at most 7 of 8),
        // while an LSTM learning whole sequences (batch learning) solves it.
        for (long seed = 1; seed <= 3; seed++)
        {
            MemoryResult mlp = MemoryDemonstration.Run(new MemoryOptions(Epochs: 250, Seed: seed) { Model = MemoryModel.Mlp });
            Assert.False(mlp.Solved);
            Assert.True(mlp.RecallCorrect <= 1);
            Assert.True(mlp.Correct <= 7);
        }
        MemoryResult lstm = MemoryDemonstration.Run(new MemoryOptions(Epochs: 250, Seed: 1) { BatchLearning = true });
        Assert.True(lstm.Solved, $"{lstm.Correct}/{lstm.Total}");
        Assert.NotNull(lstm.FirstSolvedEpoch);
    }

    [Fact]
    public void Length_100_runs_and_learns_the_steps_that_need_no_memory()
    {
        MemoryResult result = MemoryDemonstration.Run(new MemoryOptions(Epochs: 15) { Length = 100 });
        Assert.Equal(2, result.Sequences.Count);
        Assert.Equal(99, result.Sequences[0].Y.Length);
        Assert.True(result.Accuracy > 0.9, $"accuracy {result.Accuracy}");
    }

    [Fact]
    public void Batch_learning_fits_one_sample_of_all_steps_with_return_sequences()
    {
        Sequential model = MemoryDemonstration.BuildModel(new MemoryOptions { Length = 7, BatchLearning = true });
        var lstm = Assert.IsType<Lstm>(model.Layers[0]);
        Assert.True(lstm.ReturnSequences);
        Assert.False(lstm.Stateful);
        Assert.Equal(SampleShape.Sequence(6, 5), model.InputShape);
    }

    [Fact]
    public void Random_middle_and_shuffle_run_and_judge_only_the_recall()
    {
        var options = new MemoryOptions(Epochs: 30, Seed: 4) { RandomMiddle = true, Shuffle = true, Length = 8 };
        MemoryResult result = MemoryDemonstration.Run(options);
        // Both sequences share the middle; success is judged on the last step alone.
        Assert.Equal(result.Sequences[0].X[1..], result.Sequences[1].X[1..]);
        Assert.Equal(result.RecallCorrect == 2, result.Solved);
        Assert.Equal(30, result.FirstLoss.Count);
    }

    [Fact]
    public void Bad_settings_name_the_option()
    {
        Assert.Contains("Length", Assert.Throws<ArgumentException>(() => new MemoryOptions { Length = 2 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Alphabet", Assert.Throws<ArgumentException>(() => new MemoryOptions { Alphabet = 2 }.Validate()).Message, StringComparison.Ordinal);
    }
}
