using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (hand): the next labels after the last ones in each CSV text (months, days, years), by the
// calendar.

public sealed class LabelContinuationTests
{
    private static string[] Next(string csv, int count) =>
        LabelContinuation.Next(SeriesCsv.ParseFrame(csv, "t.csv", new SeriesCsvOptions { LabelColumn = ColumnRef.ByIndex(0) }), count);

    [Fact]
    public void Monthly_labels_continue_into_the_next_year() =>
        Assert.Equal(["1961-01", "1961-02"], Next("m,v\n1960-11,1\n1960-12,2\n", 2));

    [Fact]
    public void Daily_labels_continue_across_month_and_year_ends() =>
        Assert.Equal(["2016-01-01", "2016-01-02"], Next("d,v\n2015-12-30,1\n2015-12-31,2\n", 2));

    [Fact]
    public void Yearly_dates_and_whole_number_years_continue()
    {
        Assert.Equal(["1961-01-01", "1962-01-01"], Next("y,v\n1959-01-01,1\n1960-01-01,2\n", 2));
        Assert.Equal(["1951", "1952"], Next("y,v\n1949,1\n1950,2\n", 2));
    }

    [Fact]
    public void Shampoo_year_month_labels_continue_in_their_own_form()
    {
        Assert.Equal(["4-01", "4-02"], LabelContinuation.Next(Datasets.ShampooSales() is var s ? SeriesFrame.From(s) : null!, 2));
        Assert.Equal(["1961-01"], LabelContinuation.Next(SeriesFrame.From(Datasets.AirPassengers()), 1));
    }

    [Fact]
    public void Without_labels_the_row_numbers_continue() =>
        Assert.Equal(["3", "4"], LabelContinuation.Next(null, null, 3, 2));
}
