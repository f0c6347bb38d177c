using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (hand): every value, label, date and line number restates the CSV text the test writes (by
// reading it); no computed result.

public sealed class SeriesCsvTests : IDisposable
{
    private readonly TempCsv _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private DataFormatException LoadFails(string text, SeriesCsvOptions? options = null, string name = "bad.csv")
    {
        string path = _tmp.Write(name, text);
        var e = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path, options));
        Assert.Equal(path, e.DataSource);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Load_ByHeaderNames_WithIsoDates()
    {
        string path = _tmp.Write("a.csv", "Date,Temp,Rain\n2017-01-01,20.5,0\n2017-01-02,21,1.25\n2017-01-03,-3e-1,2\n");
        TimeSeries s = SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("Temp"), LabelColumn = ColumnRef.ByName("Date") });
        Assert.Equal([20.5, 21, -0.3], s.Values);
        Assert.Equal(["2017-01-01", "2017-01-02", "2017-01-03"], s.Labels!);
        Assert.Equal([new DateOnly(2017, 1, 1), new DateOnly(2017, 1, 2), new DateOnly(2017, 1, 3)], s.Dates!);
        Assert.Equal("Temp", s.Name);
        Assert.Equal("Date", s.LabelName);
        Assert.Equal(path, s.Source);
    }

    [Fact]
    public void Load_Defaults_LastColumnHeaderDetectedNoLabels()
    {
        string path = _tmp.Write("a.csv", "Month,Sales\n1-01,266.0\n1-02,145.9\n");
        TimeSeries s = SeriesCsv.Load(path);
        Assert.Equal([266.0, 145.9], s.Values);
        Assert.Null(s.Labels);
        Assert.Null(s.Dates);
        Assert.Equal("1", s.LabelAt(1));
    }

    [Fact]
    public void Load_NoHeader_AutoDetectedAndExplicit()
    {
        string path = _tmp.Write("a.csv", "2017-01,1.5\n2017-02,2.5\n");
        TimeSeries auto = SeriesCsv.Load(path, new SeriesCsvOptions { LabelColumn = ColumnRef.ByIndex(0) });
        Assert.Equal([1.5, 2.5], auto.Values);
        Assert.Equal([new DateOnly(2017, 1, 1), new DateOnly(2017, 2, 1)], auto.Dates!);
        Assert.Equal("column 1", auto.Name);

        // A one-column file whose first row is a number, read as data.
        string single = _tmp.Write("b.csv", "7\n8\n9\n");
        Assert.Equal([7.0, 8, 9], SeriesCsv.Load(single, new SeriesCsvOptions { Header = CsvHeader.Absent }).Values);
        Assert.Equal([7.0, 8, 9], SeriesCsv.Load(single).Values);
        // Forced header: the first row is skipped.
        Assert.Equal([8.0, 9], SeriesCsv.Load(single, new SeriesCsvOptions { Header = CsvHeader.Present }).Values);
    }

    [Fact]
    public void Load_QuotesCrlfBomAndBlankLines()
    {
        string text = "\"Name, with comma\",\"Val\"\"ue\"\r\n\r\n\"a \"\"b\"\"\", \"1.5\" \r\n\"multi\nline\",2\r\n  \r\n\r\n";
        string path = _tmp.Write("q.csv", text, bom: true);
        TimeSeries s = SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.Parse("Val\"ue"), LabelColumn = ColumnRef.ByIndex(0) });
        Assert.Equal([1.5, 2], s.Values);
        Assert.Equal(["a \"b\"", "multi\nline"], s.Labels!);
        Assert.Equal("Name, with comma", s.LabelName);
        Assert.Null(s.Dates);
    }

    [Fact]
    public void Parse_StripsBomFromText()
    {
        TimeSeries s = SeriesCsv.Parse("\uFEFFx\n1\n2", "t.csv", new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("x") });
        Assert.Equal([1.0, 2], s.Values);
    }

    [Fact]
    public void ColumnRefParse_PrefersHeaderNameThenIndex()
    {
        string path = _tmp.Write("y.csv", "2016,2017\n1,10\n2,20\n");
        Assert.Equal([10.0, 20], SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.Parse("2017"), Header = CsvHeader.Present }).Values);
        Assert.Equal([1.0, 2], SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.Parse("0"), Header = CsvHeader.Present }).Values);
        Assert.Equal([10.0, 20], SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.Parse("1"), Header = CsvHeader.Present }).Values);
    }

    [Fact]
    public void ColumnName_CaseInsensitiveFallback()
    {
        string path = _tmp.Write("c.csv", "Month,Sales\n1-01,3\n");
        Assert.Equal([3.0], SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("sales") }).Values);
    }

    [Fact]
    public void Error_MissingFile()
    {
        string path = _tmp.PathOf("nope.csv");
        var e = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_EmptyFileAndHeaderOnly()
    {
        Assert.Contains("empty", LoadFails("").Message, StringComparison.Ordinal);
        Assert.Contains("empty", LoadFails("\n\r\n  \n").Message, StringComparison.Ordinal);
        var e = LoadFails("Month,Sales\n\n");
        Assert.Contains("no data rows", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void Error_UnknownColumnName_ListsAvailableColumns()
    {
        var e = LoadFails("Month,Sales\n1-01,1\n", new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("Revenue") });
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"Revenue\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"Month\" (0), \"Sales\" (1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_ColumnIndexOutOfRange()
    {
        var e = LoadFails("Month,Sales\n1-01,1\n", new SeriesCsvOptions { ValueColumn = ColumnRef.ByIndex(2) });
        Assert.Equal(2, e.ColumnIndex);
        Assert.Contains("column 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..1", e.Message, StringComparison.Ordinal);

        var label = LoadFails("1,2\n3,4\n", new SeriesCsvOptions { LabelColumn = ColumnRef.ByIndex(5) });
        Assert.Contains("label column index 5", label.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_NameWithoutHeader()
    {
        var e = LoadFails("1,2\n3,4\n", new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("Sales"), Header = CsvHeader.Absent });
        Assert.Contains("no header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_NonNumericValue_NamesLineColumnAndQuotesIt()
    {
        var e = LoadFails("Month,Sales\r\n1-01,266.0\r\n1-02,abc\r\n");
        Assert.Equal(3, e.LineNumber);
        Assert.Equal("Sales", e.ColumnName);
        Assert.Equal(1, e.ColumnIndex);
        Assert.Contains("line 3, column \"Sales\" (index 1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("got \"abc\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_CommaDecimalIsNotAThousandsSeparator()
    {
        var e = LoadFails("x\n1.5\n\"1,5\"\n");
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("\"1,5\"", e.Message, StringComparison.Ordinal);
        LoadFails("x\n1 000\n");
    }

    [Fact]
    public void Error_LineNumbersCountQuotedLineBreaks()
    {
        var e = LoadFails("label,x\n\"two\nlines\",1\n\n\"ok\",oops\n", new SeriesCsvOptions { ValueColumn = ColumnRef.ByName("x") });
        Assert.Equal(5, e.LineNumber);
    }

    [Fact]
    public void Error_EmptyValue()
    {
        var e = LoadFails("Month,Sales\n1-01,\n");
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("missing value", e.Message, StringComparison.Ordinal);
        Assert.Contains("column \"Sales\" (index 1)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-inf")]
    [InlineData("1e999")]
    public void Error_NonFiniteValues(string value)
    {
        var e = LoadFails($"x\n1\n{value}\n");
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("finite", e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{value}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_RaggedRow()
    {
        var e = LoadFails("Month,Sales\n1-01,1\n1-02\n");
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("expected 2 fields", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", LoadFails("a,b\n1,2,3\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_UnclosedQuote()
    {
        var e = LoadFails("x\n\"1.5\n2\n");
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("never closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_AutoKeepsTextWhenNotAllDates_RequireReportsTheLine()
    {
        string path = _tmp.Write("d.csv", "When,x\n2017-01,1\nlater,2\n");
        var opts = new SeriesCsvOptions { LabelColumn = ColumnRef.ByName("When") };
        TimeSeries s = SeriesCsv.Load(path, opts);
        Assert.Equal(["2017-01", "later"], s.Labels!);
        Assert.Null(s.Dates);
        Assert.Null(SeriesCsv.Load(path, opts with { Dates = DateHandling.Ignore, }).Dates);

        var e = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path, opts with { Dates = DateHandling.Require }));
        Assert.Equal(3, e.LineNumber);
        Assert.Equal("When", e.ColumnName);
        Assert.Contains("\"later\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1-01", 1, 1, 1)]
    [InlineData("3-12", 3, 12, 1)]
    [InlineData("2017-04", 2017, 4, 1)]
    [InlineData("2017-4", 2017, 4, 1)]
    [InlineData("2017-04-21", 2017, 4, 21)]
    [InlineData(" 2016-02-29 ", 2016, 2, 29)]
    public void TryParseDate_Accepts(string text, int y, int m, int d)
    {
        Assert.True(SeriesCsv.TryParseDate(text, out DateOnly date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0-01")]
    [InlineData("1-13")]
    [InlineData("2017-02-30")]
    [InlineData("2017-4-21")]
    [InlineData("17-04-21")]
    [InlineData("2017/04")]
    [InlineData("Jan-2017")]
    [InlineData("12345-01")]
    public void TryParseDate_Rejects(string text) => Assert.False(SeriesCsv.TryParseDate(text, out _));

    [Fact]
    public void Format_RoundTrips()
    {
        var s = new TimeSeries([1.5, -2.25, 1e-17], "Sa\"les", ["a,b", "2", "3"], labelName: "L");
        string csv = SeriesCsv.Format(s);
        Assert.StartsWith("\"L\",\"Sa\"\"les\"\n\"a,b\",1.5\n", csv, StringComparison.Ordinal);
        TimeSeries back = SeriesCsv.Parse(csv, "t", new SeriesCsvOptions { LabelColumn = ColumnRef.ByIndex(0) });
        Assert.Equal(s.Values, back.Values);
        Assert.Equal(s.Labels, back.Labels);
        Assert.Equal("Sa\"les", back.Name);
    }

    [Fact]
    public void TimeSeries_RejectsNonFiniteAndMismatchedLabels()
    {
        Assert.Throws<ArgumentException>(() => new TimeSeries([1, double.NaN]));
        Assert.Throws<ArgumentException>(() => new TimeSeries([1, 2], labels: ["a"]));
    }
}
