using LstmLab.Experiments.Trials;
using Xunit;

namespace LstmLab.Experiments.Tests.Trials;

public sealed class TrialSummaryTests
{
    // Provenance (tools): statsmodels proportion_confint(method='wilson'), tools/provenance/independent_values.txt
    // [wilson]: 8/20 [0.218807, 0.613418], 0/20 high 0.161125 (checked to 4 decimals).
    [Fact]
    public void Wilson_interval_matches_the_textbook_values_and_is_exact_at_the_ends()
    {
        // 8 of 20: p = 0.4, z = 1.959964 -> [0.2188, 0.6134] (Wilson 1927; e.g. statsmodels proportion_confint method='wilson').
        (double low, double high) = TrialSummary.Wilson(8, 20);
        Assert.Equal(0.21876, low, 4);
        Assert.Equal(0.61340, high, 4);
        Assert.Equal(0.0, TrialSummary.Wilson(0, 20).Low);
        Assert.Equal(1.0, TrialSummary.Wilson(20, 20).High);
        Assert.Equal(0.16113, TrialSummary.Wilson(0, 20).High, 4);
        Assert.Equal((0.0, 1.0), TrialSummary.Wilson(0, 0));
    }

    // Provenance (hand): 3 of 5 = 0.6; the median of epochs 10, 20, 30 is 20, of 10 and 20 is 15.
    [Fact]
    public void Summary_counts_successes_and_takes_the_median_epoch_of_the_successes()
    {
        TrialSummary s = TrialSummary.From([(true, 10), (false, null), (true, 30), (true, 20), (false, 5)]);
        Assert.Equal((5, 3), (s.Trials, s.Successes));
        Assert.Equal(0.6, s.Rate, 12);
        Assert.Equal(20, s.MedianEpochsToSuccess);
        Assert.Null(TrialSummary.From([(false, null)]).MedianEpochsToSuccess);
        Assert.Equal(15, TrialSummary.From([(true, 10), (true, 20)]).MedianEpochsToSuccess);
    }
}
