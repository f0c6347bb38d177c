using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (hand): splits of the test's five values; the inline data are inputs.

public class TrainTestSplitTests
{
    [Fact]
    public void LastRows_KeepsOrder()
    {
        var (train, test) = TrainTestSplit.LastRows([1, 2, 3, 4, 5], 2);
        Assert.Equal([1, 2, 3], train);
        Assert.Equal([4, 5], test);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(40)]
    public void LastRows_OutOfRange(int n)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.LastRows([1, 2, 3, 4, 5], n));
        Assert.Contains("between 1 and 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("there are 5 rows", e.Message, StringComparison.Ordinal);
    }
}
