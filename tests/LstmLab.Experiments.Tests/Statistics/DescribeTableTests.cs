using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

public class DescribeTableTests
{
    public static TheoryData<int> TableIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < StatsFixture.Get("describe_tables").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static DescribeTable Table(int index, out string text, out string csv)
    {
        var t = StatsFixture.Get("describe_tables")[index];
        string[] columns = t.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
        string[] names = t.TryGetProperty("rename", out var rename) ? rename.EnumerateArray().Select(c => c.GetString()!).ToArray() : columns;
        text = StatsFixture.Str(t, "text");
        csv = StatsFixture.Str(t, "csv");
        return DescribeTable.Of(columns.Select((c, i) => KeyValuePair.Create(names[i], StatsFixture.Sample(c))));
    }

    [Theory]
    [MemberData(nameof(TableIndexes))]
    public void Prints_exactly_like_pandas(int index)
    {
        DescribeTable table = Table(index, out string text, out _);
        Assert.Equal(text, table.ToString());
    }

    [Theory]
    [MemberData(nameof(TableIndexes))]
    public void Writes_csv_exactly_like_pandas_to_csv(int index)
    {
        DescribeTable table = Table(index, out _, out string csv);
        Assert.Equal(csv, table.ToCsv());
    }

    // Provenance (hand): the mean of the column the test passes.
    [Fact]
    public void Accepts_dictionary_of_arrays_and_looks_up_by_name()
    {
        var results = new Dictionary<string, double[]> { ["a"] = [1, 2, 3], ["b"] = [4, 5] };
        DescribeTable table = DescribeTable.Of(results);
        Assert.Equal(["a", "b"], table.Names);
        Assert.Equal(4.5, table["b"].Mean);
        Assert.Throws<KeyNotFoundException>(() => table["c"]);
    }

    // Provenance (tools): pandas 1.5.3's describe() of [1, 2], tools/provenance/independent_values.txt [pandas].
    [Fact]
    public void Single_column_overload_names_the_column()
    {
        string text = DescribeTable.Of("results", [1.0, 2.0]).ToString();
        Assert.StartsWith("        results\ncount  2.000000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_no_columns_and_duplicate_names()
    {
        Assert.Throws<ArgumentException>(() => DescribeTable.Of(new Dictionary<string, double[]>()));
        Assert.Throws<ArgumentException>(() => DescribeTable.Of(new[] { KeyValuePair.Create("x", new[] { 1.0 }), KeyValuePair.Create("x", new[] { 2.0 }) }));
    }

    [Fact]
    public void Csv_quotes_names_like_python_csv()
    {
        string csv = DescribeTable.Of(new Dictionary<string, double[]> { ["a,b"] = [1.0], ["say \"hi\""] = [2.0] }).ToCsv();
        Assert.StartsWith(",\"a,b\",\"say \"\"hi\"\"\"\n", csv, StringComparison.Ordinal);
    }

    // Provenance (tools): Python's repr(float) of each value, tools/provenance/independent_values.txt [repr].
    [Theory]
    [InlineData(10.0, "10.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(-3.0, "-3.0")]
    [InlineData(1e-08, "1e-08")]
    [InlineData(1.05e-07, "1.05e-07")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.1, "0.1")]
    [InlineData(12583058.782876933, "12583058.782876933")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    public void Python_repr(double value, string expected) => Assert.Equal(expected, PandasFormat.PythonRepr(value));

    // Provenance (tools): pandas 1.5.3's DataFrame.to_string() of each column,
    // tools/provenance/independent_values.txt [pandas] (the leading space is pandas' sign pad).
    [Fact]
    public void Column_format_trims_zeros_equally_and_switches_to_scientific()
    {
        Assert.Equal([" 1.0", " 2.5", "NaN"], PandasFormat.FormatColumn([1.0, 2.5, double.NaN]));
        Assert.Equal([" 1.000000e-07", " 1.000000e+00"], PandasFormat.FormatColumn([1e-7, 1.0]));
        Assert.Equal([" 1000000.5"], PandasFormat.FormatColumn([1000000.5]));
        Assert.Equal([" 1.234568e+07"], PandasFormat.FormatColumn([12345678.125]));
        Assert.Equal([" inf", "-inf", " 1.0"], PandasFormat.FormatColumn([double.PositiveInfinity, double.NegativeInfinity, 1.0]));
    }
}
