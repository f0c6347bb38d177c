using System.Text.Json;
using Xunit;

namespace LstmLab.Experiments.Tests;

/// <summary>
/// Expected numbers from pandas, scipy, statsmodels and matplotlib, written by
/// tools/stats/make_stats_fixtures.py into Fixtures/stats_expected.json.
/// </summary>
internal static class StatsFixture
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "stats_expected.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Get(string key) => Root.Value.GetProperty(key);

    public static IEnumerable<JsonElement> Items(string key) => Get(key).EnumerateArray();

    public static double[] Sample(string name) => Get("samples").GetProperty(name).EnumerateArray().Select(Num).ToArray();

    /// <summary>A fixture number: null is NaN, "Infinity"/"-Infinity" are infinities.</summary>
    public static double Num(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String when e.GetString() == "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when e.GetString() == "-Infinity" => double.NegativeInfinity,
        _ => e.GetDouble(),
    };

    public static double Num(JsonElement e, string property) => Num(e.GetProperty(property));

    public static string Str(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    public static double[] Nums(JsonElement e, string property) => e.GetProperty(property).EnumerateArray().Select(Num).ToArray();

    /// <summary>|actual − expected| ≤ abs + rel·|expected|, with NaN matching NaN and infinities matching exactly.</summary>
    public static void Close(double expected, double actual, double rel = 1e-12, double abs = 0, string? what = null)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        double tolerance = abs + rel * Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):E3}, tolerance {tolerance:E3})");
    }
}
