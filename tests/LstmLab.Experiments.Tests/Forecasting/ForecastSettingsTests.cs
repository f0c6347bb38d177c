using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

// Provenance (whole file) (spec): message texts and defaults restate the one settings table
// (Setting.cs/ForecastSettings.cs) and the YAML the test writes.

public sealed class ForecastSettingsTests
{
    [Theory]
    [InlineData("forecast")]
    [InlineData("backtest")]
    public void The_readme_option_lists_are_the_schema(string command)
    {
        string readme = File.ReadAllText(FindReadme());
        string start = $"<!-- settings:{command} (generated from ForecastSettings; ForecastSettingsTests checks it) -->\n";
        int a = readme.IndexOf(start, StringComparison.Ordinal);
        Assert.True(a >= 0, $"README has no {start.Trim()} block");
        int b = readme.IndexOf("<!-- /settings -->", a, StringComparison.Ordinal);
        string expected = ForecastSettings.Markdown(command);
        Assert.True(readme[(a + start.Length)..b] == expected, "README option list differs from the schema; it should read:\n" + expected);
    }

    [Fact]
    public void Every_option_row_is_an_experiment_key_and_ranges_are_checked_by_name()
    {
        foreach (Setting<ForecastOptions> row in ForecastSettings.All.Where(r => r.Name != "Seed"))
            Assert.Contains(row.Key, ExperimentFile.OptionKeys);
        var e = Assert.Throws<SettingException>(() => new ForecastOptions { Epochs = -1 }.Validate());
        Assert.Equal("Epochs must be at least 0 (got -1).", e.Message);
        Assert.Equal("--epochs must be at least 0 (got -1).", e.Render(ForecastSettings.FlagOf));
        Assert.Equal("epochs must be at least 0 (got -1).", e.Render(ForecastSettings.KeyOf));
        Assert.Equal("--stateless", ForecastSettings.FlagOf("Stateful"));
    }

    [Fact]
    public void Experiment_files_take_the_backtest_and_per_column_keys()
    {
        const string yaml = """
            name: bt
            data: airpassengers
            base: { horizon: 12, windows: 2, season: 12, stateless: true, epochs: 5, difference: { Passengers: 1 }, scale: minmax }
            configurations:
              recursive: {}
              direct: { strategy: direct }
            """;
        ExperimentDefinition d = ExperimentFile.Parse(yaml, "bt.yaml");
        Assert.Equal(ForecastStrategy.Direct, d.Configurations[1].Options.Strategy);
        Assert.Equal((12, 2, 12), (d.Configurations[0].Options.Horizon, d.Configurations[0].Options.Windows!.Value, d.Configurations[0].Options.Season!.Value));
        Assert.Equal(1, d.Configurations[0].Options.Difference.IntFor("Passengers"));
        ForecastResult r = WalkForward.Run(d.Data.Load(), d.Configurations[1].Options);
        Assert.Equal(24, r.Predicted.Length);
        const string covariates = """
            name: cov
            data: seattle-weather
            columns: [wind, precipitation]
            target: temp_max
            base: { horizon: 3, windows: 2, stateless: true, epochs: 3, difference: { precipitation: 0 } }
            configurations:
              a: {}
            """;
        ExperimentDefinition cov = ExperimentFile.Parse(covariates, "cov.yaml");
        TimeSeries series = cov.Data.Load();
        Assert.Equal(["wind", "precipitation", "temp_max"], series.Frame!.Names);
        Assert.Equal(6, WalkForward.Run(series, cov.Configurations[0].Options).Predicted.Length);
        var e = Assert.Throws<InvalidDataException>(() => ExperimentFile.Parse("name: x\nconfigurations:\n  a: { refit: -1 }\n", "bad.yaml"));
        Assert.Contains("a.refit must be at least 0", e.Message);
    }

    private static string FindReadme()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "README.md");
            if (File.Exists(p) && File.Exists(Path.Combine(d.FullName, "LstmLab.slnx")))
                return p;
        }
        throw new FileNotFoundException("README.md above the test folder");
    }
}
