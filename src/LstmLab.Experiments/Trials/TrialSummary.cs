namespace LstmLab.Experiments.Trials;

/// <summary>
/// The outcome of running one experiment with N seeds: how often it succeeded, with a 95% Wilson
/// score interval (well behaved at 0/N and N/N, unlike the normal approximation), and the median
/// epochs to first success among the successes.
/// </summary>
public sealed record TrialSummary(int Trials, int Successes, double IntervalLow, double IntervalHigh, double? MedianEpochsToSuccess)
{
    /// <summary>The observed success rate.</summary>
    public double Rate => Trials == 0 ? 0 : (double)Successes / Trials;

    /// <summary>Summarises per-trial outcomes: success and the epoch of first success (null if never).</summary>
    public static TrialSummary From(IReadOnlyList<(bool Success, int? FirstSuccessEpoch)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int n = outcomes.Count;
        int k = outcomes.Count(o => o.Success);
        (double low, double high) = Wilson(k, n);
        var epochs = outcomes.Where(o => o.Success && o.FirstSuccessEpoch is not null).Select(o => (double)o.FirstSuccessEpoch!.Value).Order().ToArray();
        double? median = epochs.Length == 0 ? null
            : epochs.Length % 2 == 1 ? epochs[epochs.Length / 2]
            : (epochs[epochs.Length / 2 - 1] + epochs[epochs.Length / 2]) / 2;
        return new TrialSummary(n, k, low, high, median);
    }

    /// <summary>The Wilson score interval for k successes in n trials at 95% (z = 1.959964).</summary>
    public static (double Low, double High) Wilson(int k, int n, double z = 1.959963984540054)
    {
        if (n == 0)
            return (0, 1);
        double p = (double)k / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // At k = 0 (k = n) the bound is 0 (1) exactly; computed, it would be off by rounding.
        return (k == 0 ? 0 : Math.Max(0, centre - half), k == n ? 1 : Math.Min(1, centre + half));
    }
}
