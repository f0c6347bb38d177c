using System.Globalization;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// A setting with one value for every column and optional overrides per column: <c>1</c>, or
/// <c>1,price=0</c> (1 for every column but <c>price</c>), or <c>sales=12,price=0</c>.
/// </summary>
/// <param name="All">The value of columns without an override.</param>
/// <param name="Columns">Overrides, column name → value (names compared case-insensitively).</param>
public sealed record PerColumn(string All, IReadOnlyList<KeyValuePair<string, string>> Columns)
{
    /// <summary>The same value for every column.</summary>
    public PerColumn(string all)
        : this(all, [])
    {
    }

    /// <summary>The value for column <paramref name="column"/>.</summary>
    public string For(string column) =>
        Columns.LastOrDefault(kv => string.Equals(kv.Key, column, StringComparison.OrdinalIgnoreCase)).Value ?? All;

    /// <summary>The value for column <paramref name="column"/> as a whole number.</summary>
    public int IntFor(string column) => int.Parse(For(column), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Reads <c>v</c>, <c>v,col=v,…</c> or <c>col=v,…</c> (others keep <paramref name="defaultValue"/>); <paramref name="check"/> checks and normalises each value.</summary>
    public static PerColumn Parse(string text, Func<string, string> check, string defaultValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(check);
        string? all = null;
        var columns = new List<KeyValuePair<string, string>>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                all = check(part);
            else
                columns.Add(new(part[..eq].Trim(), check(part[(eq + 1)..].Trim())));
        }
        return new PerColumn(all ?? defaultValue, columns);
    }

    /// <summary>Writes the value as <see cref="Parse"/> reads it.</summary>
    public override string ToString() =>
        string.Join(',', new[] { All }.Concat(Columns.Select(kv => kv.Key + "=" + kv.Value)));
}
