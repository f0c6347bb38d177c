using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (tools + hand): the differences of the shampoo series, numpy in
// tools/provenance/independent_values.txt [differencing] (145.9 − 266.0 = −120.1, …); the rest are round trips of the
// test's own values.

public class DifferencingTests
{
    [Fact]
    public void Difference_Shampoo_MatchesTheSeed()
    {
        double[] raw = Datasets.ShampooSales().Values;
        double[] diff = Differencing.Difference(raw);
        Assert.Equal(35, diff.Length);
        Assert.Equal(-120.1, diff[0], 10);
        Assert.Equal(37.2, diff[1], 10);
        Assert.Equal(-63.8, diff[2], 10);
        Assert.Equal(646.9 - 581.3, diff[^1], 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(12)]
    public void Difference_ThenIntegrate_RoundTrips(int interval)
    {
        double[] raw = Datasets.ShampooSales().Values;
        double[] diff = Differencing.Difference(raw, interval);
        Assert.Equal(raw.Length - interval, diff.Length);
        Assert.Equal(raw[interval] - raw[0], diff[0], 10);
        double[] back = Differencing.Integrate(raw.AsSpan(0, interval), diff);
        Assert.Equal(raw.Length, back.Length);
        for (int i = 0; i < raw.Length; i++)
            Assert.Equal(raw[i], back[i], 9);
    }

    [Fact]
    public void InvertDifference_AddsTheValueIntervalStepsBack()
    {
        double[] raw = Datasets.ShampooSales().Values;
        double[] diff = Differencing.Difference(raw);
        // Each value is its difference plus the previous value.
        for (int t = 1; t < raw.Length; t++)
            Assert.Equal(raw[t], Differencing.InvertDifference(raw.AsSpan(0, t), diff[t - 1]), 9);
        // The seed's form: whole raw series, interval = len(test) + 1 - i, for the 12 test months.
        for (int i = 0; i < 12; i++)
            Assert.Equal(raw[24 + i], Differencing.InvertDifference(raw, diff[23 + i], 12 + 1 - i), 9);
    }

    [Fact]
    public void EdgeCases_AreRejected()
    {
        double[] v = [1, 2, 3];
        var e = Assert.Throws<ArgumentException>(() => Differencing.Difference(v, 3));
        Assert.Contains("interval 3 needs at least 4 values", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Differencing.Difference(v, 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => Differencing.Difference(v, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Differencing.InvertDifference(v, 1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Differencing.InvertDifference(v, 1, 0));
        Assert.Throws<ArgumentException>(() => Differencing.Integrate([], [1.0]));
        Assert.Equal([5.0], Differencing.Integrate([5.0], []));
    }
}
