using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (cited): labels and values are the shampoo-sales CSV of the seed 001 tutorial
// (src/LstmLab/Data/Resources/shampoo-sales.csv, first and last rows); 136.761 the tutorial's persistence RMSE
// (numpy: tools/provenance/independent_values.txt [persistence]).

public class DatasetsTests
{
    private static readonly double[] ShampooValues =
    [
        266.0, 145.9, 183.1, 119.3, 180.3, 168.5, 231.8, 224.5, 192.8, 122.9, 336.5, 185.9,
        194.3, 149.5, 210.1, 273.3, 191.4, 287.0, 226.0, 303.6, 289.9, 421.6, 264.5, 342.3,
        339.7, 440.4, 315.9, 439.3, 401.3, 437.4, 575.5, 407.6, 682.0, 475.3, 581.3, 646.9,
    ];

    [Fact]
    public void ShampooSales_HasThe36PublishedValues()
    {
        TimeSeries s = Datasets.ShampooSales();
        Assert.Equal(ShampooValues, s.Values);
        Assert.Equal("Sales", s.Name);
        Assert.Equal("Month", s.LabelName);
        Assert.Equal("embedded:shampoo-sales.csv", s.Source);
    }

    [Fact]
    public void ShampooSales_MonthsAreYearMonthLabelsAndDates()
    {
        TimeSeries s = Datasets.ShampooSales();
        Assert.NotNull(s.Labels);
        Assert.NotNull(s.Dates);
        Assert.Equal("1-01", s.Labels[0]);
        Assert.Equal("1-12", s.Labels[11]);
        Assert.Equal("3-12", s.Labels[35]);
        Assert.Equal(new DateOnly(1, 1, 1), s.Dates[0]);
        Assert.Equal(new DateOnly(2, 2, 1), s.Dates[13]);
        Assert.Equal(new DateOnly(3, 12, 1), s.Dates[35]);
    }

    [Fact]
    public void ShampooSalesCsv_IsTheRawFileAndReloads()
    {
        string csv = Datasets.ShampooSalesCsv();
        string[] lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(37, lines.Length);
        Assert.Equal("\"Month\",\"Sales\"", lines[0]);
        Assert.Equal("\"1-01\",266.0", lines[1]);
        Assert.Equal("\"3-12\",646.9", lines[36]);

        // The exported text is readable by the general loader with its defaults (last column, header detected).
        TimeSeries again = SeriesCsv.Parse(csv, "export.csv", new SeriesCsvOptions { LabelColumn = ColumnRef.Parse("Month") });
        Assert.Equal(ShampooValues, again.Values);
        Assert.Equal(Datasets.ShampooSales().Dates, again.Dates);
    }

    [Fact]
    public void PersistenceForecastOnLast12Months_HasTheTutorialsRmse()
    {
        // Predict each test month with the previous month's raw value (the seed's 136.761 baseline).
        double[] raw = Datasets.ShampooSales().Values;
        var (train, test) = TrainTestSplit.LastRows(raw, 12);
        Assert.Equal(24, train.Length);
        double sum = 0;
        for (int i = 0; i < test.Length; i++)
        {
            double previous = i == 0 ? train[^1] : test[i - 1];
            sum += (test[i] - previous) * (test[i] - previous);
        }
        double rmse = Math.Sqrt(sum / test.Length);
        Assert.Equal(136.761, Math.Round(rmse, 3));
    }

    [Fact]
    public void NamesAndLookup()
    {
        Assert.Contains(Datasets.ShampooSalesName, Datasets.Names);
        Assert.Equal(Datasets.ShampooSalesCsv(), Datasets.GetCsv("Shampoo-Sales.csv"));
        var e = Assert.Throws<ArgumentException>(() => Datasets.Load("airline"));
        Assert.Contains("airline", e.Message, StringComparison.Ordinal);
        Assert.Contains("shampoo-sales", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireLength_NamesSourceAndBothCounts()
    {
        TimeSeries s = Datasets.ShampooSales();
        s.RequireLength(36, "anything");
        var e = Assert.Throws<DataFormatException>(() => s.RequireLength(50, "lag-1 differencing, lag-1 framing and a 40-step test set"));
        Assert.Contains("embedded:shampoo-sales.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("50", e.Message, StringComparison.Ordinal);
        Assert.Contains("36", e.Message, StringComparison.Ordinal);
        Assert.Contains("40-step test set", e.Message, StringComparison.Ordinal);
    }
}
