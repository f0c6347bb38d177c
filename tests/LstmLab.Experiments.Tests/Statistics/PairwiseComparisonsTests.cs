using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

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
        Assert.Equal(
            "stateless is lower than stateful by 8.23 RMSE, 95% CI [3.48, 12.97], Welch p = 0.0026 (Holm 0.0079); Mann–Whitney p = 0.0036 (Holm 0.011)",
            result.Comparisons[0].Sentence);
        Assert.True(result.Comparisons[0].Significant);
        PairwiseComparison last = result.Comparisons[2];
        Assert.False(last.Significant);
        Assert.StartsWith("no significant difference between stateless and stateless_shuffle at 0.05: stateless is lower by 0.134 RMSE, 95% CI [-2.432, 2.700]",
            last.Sentence, StringComparison.Ordinal);
        Assert.Equal(3, result.Sentences.Count());
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
        Assert.StartsWith("first,second,mean_difference,ci_low,ci_high,welch_t,welch_df,welch_p,welch_holm,", csv[0], StringComparison.Ordinal);
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
    public void Disagreement_between_the_tests_is_spelled_out()
    {
        // Three values each: Welch finds the shift, but the exact rank test cannot go below p = 0.1.
        var small = PairwiseComparisons.Of(new Dictionary<string, double[]> { ["a"] = [1, 1.1, 1.2], ["b"] = [2, 2.1, 2.2] }, "RMSE").Comparisons.Single();
        Assert.True(small.Significant);
        Assert.Equal(0.1, small.MannWhitney.PValue, 12);
        Assert.StartsWith("a is lower than b by 1.00 RMSE", small.Sentence, StringComparison.Ordinal);
        Assert.EndsWith("Mann–Whitney p = 0.1 (Holm 0.1) does not confirm it at 0.05", small.Sentence, StringComparison.Ordinal);

        // One huge outlier hides the shift from Welch but not from the ranks.
        var outlier = PairwiseComparisons.Of(new Dictionary<string, double[]>
        {
            ["a"] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 500],
            ["b"] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        }).Comparisons.Single();
        Assert.False(outlier.Significant);
        Assert.True(outlier.MannWhitneyHolm < 0.05);
        Assert.StartsWith("no significant difference between a and b at 0.05: b is lower by", outlier.Sentence, StringComparison.Ordinal);
        Assert.EndsWith("suggests the distributions differ", outlier.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_result_set_has_no_pairs()
    {
        PairwiseComparisons result = PairwiseComparisons.Of(new Dictionary<string, double[]> { ["a"] = [1, 2] });
        Assert.Empty(result.Comparisons);
        Assert.Equal(string.Empty, result.ToString());
    }
}
