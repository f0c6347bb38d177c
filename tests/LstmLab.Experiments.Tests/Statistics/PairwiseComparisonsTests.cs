using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

// Provenance (whole file) (tools + hand): the stateful/stateless figures (8.23 = 8.226317242863672, CI [2.17, 14.28],
// p 0.0026, Holm 0.0079) are scipy's, in Fixtures/stats_expected.json and HolmExpected
// (tools/stats/make_stats_fixtures.py, tools/stats/holm_interval.py); the small cases' texts restate the values
// passed (hand); 0.1 is the exact two-sided Mann–Whitney p of 3 vs 3 fully separated values, 2/C(6,3) = 2/20.

public class PairwiseComparisonsTests
{
    private static Dictionary<string, double[]> TutorialLike() => new()
    {
        ["stateful"] = StatsFixture.Sample("stateful"),
        ["stateless"] = StatsFixture.Sample("stateless"),
        ["stateless_shuffle"] = StatsFixture.Sample("stateless_shuffle"),
    };

    [Fact]
    public void All_pairs_with_holm_adjusted_families_match_scipy_and_statsmodels()
    {
        PairwiseComparisons result = PairwiseComparisons.Of(TutorialLike(), metric: "RMSE");
        var expected = StatsFixture.Items("pairwise").ToList();
        Assert.Equal(expected.Count, result.Comparisons.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            PairwiseComparison c = result.Comparisons[k];
            Assert.Equal(StatsFixture.Str(expected[k], "first"), c.First);
            Assert.Equal(StatsFixture.Str(expected[k], "second"), c.Second);
            StatsFixture.Close(StatsFixture.Num(expected[k], "welch_p"), c.Welch.PValue, 1e-9, 0, "welch p");
            StatsFixture.Close(StatsFixture.Num(expected[k], "welch_holm"), c.WelchHolm, 1e-9, 0, "welch holm");
            StatsFixture.Close(StatsFixture.Num(expected[k], "mw_p"), c.MannWhitney.PValue, 1e-11, 0, "mw p");
            StatsFixture.Close(StatsFixture.Num(expected[k], "mw_holm"), c.MannWhitneyHolm, 1e-11, 0, "mw holm");
            StatsFixture.Close(StatsFixture.Num(expected[k], "diff"), c.MeanDifference, 1e-12, 0, "diff");
        }
    }

    [Fact]
    public void Sentences_say_which_is_lower_by_how_much_and_whether_it_is_significant()
    {
        PairwiseComparisons result = PairwiseComparisons.Of(TutorialLike(), metric: "RMSE");
        // The interval is HolmExpected's (scipy), rounded.
        Assert.Equal("stateless is lower than stateful by 8.23 RMSE, Holm-adjusted 95% CI [2.17, 14.28], Welch p = 0.0026 (Holm 0.0079)", result.Comparisons[0].Sentence);
        Assert.True(result.Comparisons[0].Significant);
        PairwiseComparison last = result.Comparisons[2];
        Assert.False(last.Significant);
        Assert.StartsWith("no significant difference between stateless and stateless_shuffle at 0.05: stateless is lower by 0.134 RMSE, Holm-adjusted 95% CI [",
            last.Sentence, StringComparison.Ordinal);
        Assert.Equal(3, result.Sentences.Count());
        // The Mann–Whitney test is not repeated in every sentence: it is said once, where it disagrees.
        Assert.All(result.Sentences, sentence => Assert.DoesNotContain("Mann", sentence, StringComparison.Ordinal));
    }

    [Fact]
    public void The_interval_beside_a_verdict_is_adjusted_like_the_verdict_so_they_never_contradict()
    {
        // Many random families: the Holm-adjusted interval excludes 0 exactly when the pair is significant,
        // and lies between the unadjusted interval (level 95%) and the Bonferroni one (level 1 - 0.05/m).
        var random = new LstmLab.Numerics.RandomGenerator(42);
        for (int family = 0; family < 200; family++)
        {
            int sets = 2 + family % 4;
            var results = new Dictionary<string, double[]>();
            for (int s = 0; s < sets; s++)
                results["c" + s] = Enumerable.Range(0, 5 + family % 7).Select(_ => random.NextDouble() * 3 + s * 0.4 * (family % 3)).ToArray();
            PairwiseComparisons all = PairwiseComparisons.Of(results);
            int m = all.Comparisons.Count;
            foreach (PairwiseComparison c in all.Comparisons)
            {
                bool excludesZero = c.HolmInterval.CiLower > 0 || c.HolmInterval.CiUpper < 0;
                Assert.Equal(c.Significant, excludesZero);
                Assert.InRange(c.HolmInterval.ConfidenceLevel, 0.95 - 1e-12, 1 - 0.05 / m + 1e-12);
                Assert.True(c.HolmInterval.CiLower <= c.Welch.CiLower + 1e-12 && c.HolmInterval.CiUpper >= c.Welch.CiUpper - 1e-12);
                Assert.Equal(c.MeanDifference, (c.HolmInterval.CiLower + c.HolmInterval.CiUpper) / 2, 9);
            }
        }
    }

    [Fact]
    public void The_holm_adjusted_interval_matches_scipy_at_the_holm_level()
    {
        // Expected values: /usr/bin/python3 with scipy 1.10 and statsmodels 0.13 (Debian), on the committed
        // samples: level = 1 - 0.05 * p / p_holm (multipletests(method="holm")), Welch interval
        // diff ± stats.t.ppf(0.5 + level / 2, df) * se; the script is tools/stats/holm_interval.py.
        PairwiseComparison c = PairwiseComparisons.Of(TutorialLike(), "RMSE").Comparisons[0];
        Assert.Equal(HolmExpected.Level, c.HolmInterval.ConfidenceLevel, 12);
        // The t quantile agrees with scipy's to about 1e-10 relative (see WelchTTestTests): 1e-7 on a half-width of 6.
        Assert.Equal(HolmExpected.Low, c.HolmInterval.CiLower, 7);
        Assert.Equal(HolmExpected.High, c.HolmInterval.CiUpper, 7);
    }

    [Fact]
    public void Table_and_csv_list_every_pair()
    {
        PairwiseComparisons result = PairwiseComparisons.Of(TutorialLike());
        string text = result.ToString();
        Assert.Contains("stateful vs stateless ", text, StringComparison.Ordinal);
        Assert.Contains("stateless vs stateless_shuffle", text, StringComparison.Ordinal);
        string[] csv = result.ToCsv().TrimEnd('\n').Split('\n');
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("first,second,mean_difference,holm_ci_level,holm_ci_low,holm_ci_high,unadjusted_ci_low,unadjusted_ci_high,welch_t,welch_df,welch_p,welch_holm,", csv[0], StringComparison.Ordinal);
        // The printed table holds numbers only; the sentences are printed once, elsewhere.
        Assert.DoesNotContain("lower than", text, StringComparison.Ordinal);
        Assert.StartsWith("stateful,stateless,8.226317242863", csv[1], StringComparison.Ordinal);
        Assert.EndsWith(",True", csv[1], StringComparison.Ordinal);
        Assert.EndsWith(",False", csv[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_results_or_identical_constants_are_said_plainly()
    {
        var results = new Dictionary<string, double[]> { ["one"] = [1.0], ["a"] = [4, 4, 4], ["b"] = [4, 4] };
        var c = PairwiseComparisons.Of(results).Comparisons;
        Assert.Equal("cannot compare one and a: each needs at least 2 results (have 1 and 3)", c[0].Sentence);
        Assert.Equal("no difference between a and b: every result of both is 4", c[2].Sentence);
        Assert.All(c, x => Assert.False(x.Significant));
    }

    [Fact]
    public void Disagreement_between_the_tests_is_said_once_in_words()
    {
        // Three values each: Welch finds the shift, but the exact rank test cannot go below p = 0.1.
        var small = PairwiseComparisons.Of(new Dictionary<string, double[]> { ["a"] = [1, 1.1, 1.2], ["b"] = [2, 2.1, 2.2] }, "RMSE");
        PairwiseComparison pair = small.Comparisons.Single();
        Assert.True(pair.Significant);
        Assert.Equal(0.1, pair.MannWhitney.PValue, 12);
        Assert.StartsWith("a is lower than b by 1.00 RMSE", pair.Sentence, StringComparison.Ordinal);
        Assert.Equal("The rank test disagrees with Welch's at 0.05 on 1 of 1 pair: a vs b (Welch finds a difference, Mann–Whitney does not: Holm p = 0.1). The verdicts above are Welch's; where the two differ, treat the difference as unsettled.",
            small.DisagreementSentence);

        // One huge outlier hides the shift from Welch but not from the ranks.
        var outlier = PairwiseComparisons.Of(new Dictionary<string, double[]>
        {
            ["a"] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 500],
            ["b"] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        });
        Assert.False(outlier.Comparisons.Single().Significant);
        Assert.True(outlier.Comparisons.Single().MannWhitneyHolm < 0.05);
        Assert.StartsWith("no significant difference between a and b at 0.05: b is lower by", outlier.Comparisons.Single().Sentence, StringComparison.Ordinal);
        Assert.Contains("Mann–Whitney finds a difference that Welch does not", outlier.DisagreementSentence, StringComparison.Ordinal);

        // Agreement: no sentence at all.
        Assert.Null(PairwiseComparisons.Of(TutorialLike()).DisagreementSentence);
    }

    [Fact]
    public void Single_result_set_has_no_pairs()
    {
        PairwiseComparisons result = PairwiseComparisons.Of(new Dictionary<string, double[]> { ["a"] = [1, 2] });
        Assert.Empty(result.Comparisons);
        Assert.Equal(string.Empty, result.ToString());
    }
}

/// <summary>Written by tools/stats/holm_interval.py (scipy 1.10, statsmodels 0.13): stateful vs stateless.</summary>
internal static class HolmExpected
{
    // stateful vs stateless: level 0.9833333333333333, low 2.174060824921069, high 14.278573660806275, holm p 0.007906151100950854
    public const double Level = 0.9833333333333333;
    public const double Low = 2.174060824921069;
    public const double High = 14.278573660806275;
}
