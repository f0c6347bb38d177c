using LstmLab.Data;
using LstmLab.Experiments.Recipes;
using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Experiments.Tests.Recipes;

// Provenance (whole file) (cited + hand): shapes are seed 002's (../shared/seeds/002: sequences of 25 over 100
// values; window 5; lag 1 drops one sample); accuracy bounds are outcome thresholds for the seeded runs, not values.

/// <summary>
/// The echo recipe (seed 002): the framings match the tutorial's generate_data, and short seeded runs show
/// the tutorial's outcomes (current and lag-context learn, lag-no-context stays near chance) and the
/// extensions' (whole sequence through Masking, lag sequence through return_sequences).
/// </summary>
public sealed class EchoExperimentTests
{
    private static readonly int[] Sequence = [.. Enumerable.Range(0, 25).Select(i => (i * 37 + 11) % 100)];

    [Fact]
    public void Current_frames_each_value_as_one_step_and_its_own_target()
    {
        EchoExperiment.Framed f = EchoExperiment.Frame(Sequence, new EchoOptions());
        Assert.Equal(new Shape(25, 1, 100), f.X.Shape);
        Assert.Equal(new Shape(25, 100), f.Y.Shape);
        Assert.Equal(Sequence, OneHot.Decode(f.X));
        Assert.Equal(Sequence, OneHot.Decode(f.Y));
        Assert.Equal(Sequence, f.Expected.Select(e => Assert.Single(e)));
    }

    [Fact]
    public void Lag_no_context_pairs_X_t_with_X_t_minus_1_24_times()
    {
        EchoExperiment.Framed f = EchoExperiment.Frame(Sequence, new EchoOptions { Variant = EchoVariant.LagNoContext });
        // The tutorial: X = encoded[1:], y = encoded[:-1].
        Assert.Equal(new Shape(24, 1, 100), f.X.Shape);
        Assert.Equal(Sequence[1..], OneHot.Decode(f.X));
        Assert.Equal(Sequence[..^1], OneHot.Decode(f.Y));
    }

    [Fact]
    public void Lag_context_makes_the_tutorials_20_windows_of_5_with_the_previous_value_as_target()
    {
        EchoExperiment.Framed f = EchoExperiment.Frame(Sequence, new EchoOptions { Variant = EchoVariant.LagContext });
        // The tutorial: values[5:] of the shifted frame, y = encoded[4:-1]; its printed first row is "57 96 99 77 44 77".
        Assert.Equal(new Shape(20, 5, 100), f.X.Shape);
        int[] windows = OneHot.Decode(f.X);
        Assert.Equal(Sequence[1..6], windows[..5]);
        Assert.Equal(Sequence[20..25], windows[^5..]);
        Assert.Equal(Sequence[4..24], OneHot.Decode(f.Y));
    }

    [Fact]
    public void Whole_sequence_pre_pads_the_sequence_so_far_with_minus_one()
    {
        var options = new EchoOptions { Variant = EchoVariant.LagContext, WholeSequence = true };
        EchoExperiment.Framed f = EchoExperiment.Frame(Sequence, options);
        Assert.Equal(new Shape(24, 25, 100), f.X.Shape);
        // Sample 0 is X(0..1): 23 rows of padding, then the first two values; its target is X(0).
        ReadOnlySpan<float> first = f.X.Span[..(25 * 100)];
        Assert.All(first[..(23 * 100)].ToArray(), v => Assert.Equal(-1f, v));
        Assert.Equal([Sequence[0], Sequence[1]], OneHot.Decode(new Tensor(first[(23 * 100)..].ToArray(), 2, 100)));
        Assert.Equal(Sequence[..^1], OneHot.Decode(f.Y));
        // The last sample has no padding.
        Assert.Equal(Sequence, OneHot.Decode(new Tensor(f.X.Span[^(25 * 100)..].ToArray(), 25, 100)));
    }

    [Fact]
    public void Lag_sequence_targets_each_step_lag_steps_back_with_zero_rows_before_the_window_has_them()
    {
        var options = new EchoOptions { Variant = EchoVariant.LagContext, LagSequence = 3, Lag = 2 };
        EchoExperiment.Framed f = EchoExperiment.Frame(Sequence, options);
        Assert.Equal(5, options.ResolvedWindow);
        Assert.Equal(new Shape(21, 5, 100), f.Y.Shape);
        // Sample 0 reads X(0..4) and echoes X(0..2) at steps 2..4; steps 0 and 1 have all-zero targets.
        Assert.All(f.Y.Span[..(2 * 100)].ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(Sequence[..3], OneHot.Decode(new Tensor(f.Y.Span[(2 * 100)..(5 * 100)].ToArray(), 3, 100)));
        Assert.Equal(Sequence[..3], f.Expected[0]);
        Assert.Equal(Sequence[20..23], f.Expected[^1]);
    }

    [Fact]
    public void Lag_context_learns_while_lag_no_context_stays_near_chance()
    {
        // A 10-value alphabet keeps the runs short; chance is 10 %.
        EchoResult context = EchoExperiment.Run(new EchoOptions { Variant = EchoVariant.LagContext, Alphabet = 10, Epochs = 300, Seed = 1 });
        EchoResult noContext = EchoExperiment.Run(new EchoOptions { Variant = EchoVariant.LagNoContext, Alphabet = 10, Epochs = 300, Seed = 1 });
        Assert.True(context.Accuracy >= 0.9, $"lag-context accuracy {context.Accuracy}");
        Assert.True(noContext.Accuracy <= 0.4, $"lag-no-context accuracy {noContext.Accuracy}");
        Assert.True(context.Accuracy - noContext.Accuracy >= 0.5);
        Assert.Equal(20, context.Total);
        Assert.Equal(24, noContext.Total);
    }

    [Fact]
    public void Current_reaches_high_accuracy_on_a_new_sequence()
    {
        EchoResult result = EchoExperiment.Run(new EchoOptions { Epochs = 200, Seed = 2 });
        Assert.True(result.Accuracy >= 0.9, $"accuracy {result.Accuracy}");
        Assert.Equal(200, result.Loss.Count);
        Assert.True(result.Loss[^1] < result.Loss[0]);
    }

    [Fact]
    public void Whole_sequence_through_masking_learns_well_above_chance()
    {
        EchoResult result = EchoExperiment.Run(new EchoOptions { Variant = EchoVariant.LagContext, WholeSequence = true, Alphabet = 10, Length = 10, Epochs = 300, Seed = 1 });
        Assert.IsType<Masking>(EchoExperiment.BuildModel(result.Options).Layers[0]);
        Assert.Equal(9, result.Total);
        Assert.True(result.Accuracy >= 0.3, $"accuracy {result.Accuracy}");
    }

    [Fact]
    public void Lag_sequence_echoes_several_values_at_once()
    {
        EchoResult result = EchoExperiment.Run(new EchoOptions { Variant = EchoVariant.LagContext, LagSequence = 2, Alphabet = 10, Epochs = 300, Seed = 1 });
        Assert.All(result.Predicted, p => Assert.Equal(2, p.Length));
        Assert.True(result.Accuracy >= 0.9, $"accuracy {result.Accuracy}");
    }

    [Fact]
    public void Same_seed_same_result_and_trials_do_not_depend_on_the_thread_count()
    {
        var options = new EchoOptions { Variant = EchoVariant.LagContext, Alphabet = 8, Length = 15, Epochs = 20 };
        EchoResult[] serial = RecipeTrials.Run(3, 1, i => EchoExperiment.Run(options with { Seed = 5 + i }));
        EchoResult[] parallel = RecipeTrials.Run(3, 3, i => EchoExperiment.Run(options with { Seed = 5 + i }));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(serial[i].Loss, parallel[i].Loss);
            Assert.Equal(serial[i].Predicted.SelectMany(p => p), parallel[i].Predicted.SelectMany(p => p));
        }
        Assert.NotEqual(serial[0].Loss, serial[1].Loss);
    }

    [Theory]
    [InlineData(EchoVariant.Current, 2, null, false, "Lag")]
    [InlineData(EchoVariant.LagNoContext, null, 3, false, "Window")]
    [InlineData(EchoVariant.Current, null, null, true, "WholeSequence")]
    public void Bad_combinations_name_the_option(EchoVariant variant, int? lag, int? window, bool whole, string option)
    {
        var options = new EchoOptions { Variant = variant, Lag = lag, Window = window, WholeSequence = whole };
        ArgumentException e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stateful_batch_that_does_not_divide_the_samples_is_refused_but_stateless_is_fine()
    {
        var options = new EchoOptions { Variant = EchoVariant.LagContext, BatchSize = 7 };
        ArgumentException e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Stateless", e.Message, StringComparison.Ordinal);
        (options with { Stateless = true }).Validate();
    }

    [Theory]
    [InlineData(EchoVariant.LagContext, false, null)]
    [InlineData(EchoVariant.Current, false, null)]
    [InlineData(EchoVariant.LagContext, true, null)]
    [InlineData(EchoVariant.LagContext, false, 2)]
    public void Epoch_data_draws_and_frames_as_NewSequence_and_Frame_do(EchoVariant variant, bool whole, int? lagSequence)
    {
        var options = new EchoOptions { Variant = variant, WholeSequence = whole, LagSequence = lagSequence, Seed = 5 };
        var a = new RandomGenerator(11);
        var b = new RandomGenerator(11);
        var data = new EchoExperiment.EpochData(options);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] sequence = EchoExperiment.NewSequence(a, options);
            EchoExperiment.Framed framed = EchoExperiment.Frame(sequence, options);
            data.Next(b);
            Assert.Equal(sequence, data.Sequence.ToArray());
            Assert.Equal(framed.X.Shape, data.X.Shape);
            Assert.Equal(framed.X.ToArray(), data.X.ToArray());
            Assert.Equal(framed.Y.Shape, data.Y.Shape);
            Assert.Equal(framed.Y.ToArray(), data.Y.ToArray());
        }
    }
}
