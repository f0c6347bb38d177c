using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (cited): first and last rows of the shipped CSVs (src/LstmLab/Data/Resources: air
// passengers, Box & Jenkins 1976 series G; Seattle weather), read off the files.

public sealed class ShippedSeriesTests
{
    [Fact]
    public void AirPassengers_runs_from_1949_01_112_to_1960_12_432()
    {
        // Box & Jenkins' series (R's AirPassengers): first and last values as published.
        TimeSeries s = Datasets.AirPassengers();
        Assert.Equal(144, s.Length);
        Assert.Equal(("1949-01", 112.0), (s.Labels![0], s.Values[0]));
        Assert.Equal(("1960-12", 432.0), (s.Labels[^1], s.Values[^1]));
        Assert.Equal(new DateOnly(1960, 12, 1), s.Dates![^1]);
    }

    [Fact]
    public void Seattle_weather_has_1461_days_2012_to_2015_with_four_columns()
    {
        // vega-datasets data/seattle-weather.csv (NOAA GHCN-Daily): first row 2012-01-01 12.8 °C, last 2015-12-31 5.6 °C.
        TimeSeries s = Datasets.SeattleWeather();
        Assert.Equal(1461, s.Length);
        Assert.Equal("temp_max", s.Name);
        Assert.Equal(("2012-01-01", 12.8), (s.Labels![0], s.Values[0]));
        Assert.Equal(("2015-12-31", 5.6), (s.Labels[^1], s.Values[^1]));
        SeriesFrame all = Datasets.LoadFrame("seattle-weather", ["precipitation", "temp_min", "wind"]);
        Assert.Equal([0.0, 5.0, 4.7], all.Columns.Select(c => c[0]));
        Assert.Equal([0.0, -2.1, 3.5], all.Columns.Select(c => c[^1]));
    }

    [Fact]
    public void Treasury_10y_has_3253_business_days_2008_to_2020()
    {
        // FRED DGS10 (Federal Reserve H.15), as in economics-databases/Interest-rate DGS10.csv at commit 2d88d95:
        // "2008-01-02,3.91" and "2020-12-31,0.93"; 3,393 rows in that range, less the 140 marked "." (holidays).
        TimeSeries s = Datasets.Treasury10Year();
        Assert.Equal(3253, s.Length);
        Assert.Equal("dgs10", s.Name);
        Assert.Equal(("2008-01-02", 3.91), (s.Labels![0], s.Values[0]));
        Assert.Equal(("2020-12-31", 0.93), (s.Labels[^1], s.Values[^1]));
        Assert.DoesNotContain(s.Dates!, d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        // Its forecast dates continue on weekdays: Thursday 2020-12-31 -> Friday 2021-01-01, Monday 2021-01-04.
        Assert.Equal(["2021-01-01", "2021-01-04", "2021-01-05"], LabelContinuation.Next(Datasets.LoadFrame("treasury-10y", []), 3));
    }

    [Fact]
    public void A_data_source_names_all_its_settings_so_different_columns_never_look_alike()
    {
        var a = new DataSource("seattle-weather") { Columns = ["wind"], Target = ["temp_max"] };
        var b = a with { Columns = ["precipitation"] };
        Assert.Contains("Columns = wind", a.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(a.ToString(), b.ToString());
        Assert.Equal(["wind", "temp_max"], a.Load().Frame!.Names);
    }
}
