using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

// Provenance (whole file) (tools + hand): numpy's linear quantiles, tools/provenance/independent_values.txt
// [quantile] ([1, 2]: 1.25, 1.5, 1.75; [3, 1, 4, 1, 5, 9, 2]: 1.0, 1.0, 1.8, 6.6, 9.0); means of the constant and
// two-value samples by hand.

public class SummaryTests
{
    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var p in StatsFixture.Get("describe").EnumerateObject())
        {
            data.Add(p.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Matches_pandas_describe(string name)
    {
        var expected = StatsFixture.Get("describe").GetProperty(name);
        Summary s = Summary.Of(StatsFixture.Sample(name));
        StatsFixture.Close(StatsFixture.Num(expected, "count"), s.Count, what: "count");
        StatsFixture.Close(StatsFixture.Num(expected, "mean"), s.Mean, 1e-14, 1e-300, "mean");
        StatsFixture.Close(StatsFixture.Num(expected, "std"), s.StandardDeviation, 1e-13, 1e-300, "std");
        StatsFixture.Close(StatsFixture.Num(expected, "min"), s.Min, what: "min");
        StatsFixture.Close(StatsFixture.Num(expected, "q25"), s.Q1, 1e-15, what: "25%");
        StatsFixture.Close(StatsFixture.Num(expected, "q50"), s.Median, 1e-15, what: "50%");
        StatsFixture.Close(StatsFixture.Num(expected, "q75"), s.Q3, 1e-15, what: "75%");
        StatsFixture.Close(StatsFixture.Num(expected, "max"), s.Max, what: "max");
    }

    [Fact]
    public void Empty_has_count_zero_and_nan_elsewhere()
    {
        Summary s = Summary.Of([]);
        Assert.Equal(0, s.Count);
        Assert.All(s.DescribeValues.Skip(1), v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsNaN(s.StandardError));
    }

    [Fact]
    public void One_value_has_nan_std_and_every_quantile_equal_to_it()
    {
        Summary s = Summary.Of([5.0]);
        Assert.Equal(1, s.Count);
        Assert.Equal(5.0, s.Mean);
        Assert.True(double.IsNaN(s.StandardDeviation));
        Assert.True(double.IsNaN(s.Variance));
        Assert.Equal([5.0, 5.0, 5.0, 5.0, 5.0], new[] { s.Min, s.Q1, s.Median, s.Q3, s.Max });
    }

    [Fact]
    public void Two_values_interpolate_linearly()
    {
        Summary s = Summary.Of([2.0, 1.0]);
        Assert.Equal(2, s.Count);
        Assert.Equal(1.5, s.Mean);
        Assert.Equal(Math.Sqrt(0.5), s.StandardDeviation, 15);
        Assert.Equal(0.5, s.StandardError, 15);
        Assert.Equal([1.0, 1.25, 1.5, 1.75, 2.0], new[] { s.Min, s.Q1, s.Median, s.Q3, s.Max });
    }

    [Fact]
    public void Nan_values_are_dropped_like_pandas_skipna()
    {
        Summary s = Summary.Of([1.0, double.NaN, 3.0]);
        Assert.Equal(2, s.Count);
        Assert.Equal(2.0, s.Mean);
        Assert.Equal([1.0, 3.0], s.SortedValues);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 1.0)] // h = 6·0.1 = 0.6 between x₀ = 1 and x₁ = 1
    [InlineData(0.3, 1.8)] // h = 1.8: 1 + 0.8·(2 − 1)
    [InlineData(0.9, 6.6)] // h = 5.4: 5 + 0.4·(9 − 5)
    [InlineData(1.0, 9.0)]
    public void Quantile_is_numpy_linear(double q, double expected)
    {
        double[] x = [3, 1, 4, 1, 5, 9, 2]; // sorted: 1 1 2 3 4 5 9
        Assert.Equal(expected, Summary.Quantile(x, q), 12);
    }

    [Fact]
    public void Quantile_outside_unit_interval_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Summary.Quantile([1.0, 2.0], 1.5));
}
