namespace LstmLab.Experiments.Statistics;

/// <summary>
/// pandas' <c>DataFrame.describe()</c> for several named result sets side by side: one
/// <see cref="Summary"/> per column, printed by <see cref="ToString"/> exactly as pandas prints the frame
/// and written by <see cref="ToCsv"/> exactly as <c>describe().to_csv()</c> writes it (summary.csv).
/// </summary>
/// <remarks>
/// Columns may have different lengths, like <c>pd.DataFrame({name: pd.Series(values)})</c>; NaN values
/// are ignored. pandas wraps frames wider than display.width (80) into blocks; this table never wraps,
/// as pandas prints with <c>display.width</c> set large.
/// </remarks>
/// <example>
/// <code>
/// var table = DescribeTable.Of(results);   // results: Dictionary&lt;string, double[]&gt;
/// Console.WriteLine(table);                // the describe() table
/// File.WriteAllText("summary.csv", table.ToCsv());
/// </code>
/// </example>
public sealed class DescribeTable
{
    /// <summary>The row labels, in pandas' order.</summary>
    public static IReadOnlyList<string> RowLabels { get; } = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];

    private readonly string[] _names;
    private readonly Summary[] _summaries;

    private DescribeTable(string[] names, Summary[] summaries)
    {
        _names = names;
        _summaries = summaries;
    }

    /// <summary>Column names, in the order given.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>One summary per column, in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<Summary> Summaries => _summaries;

    /// <summary>The summary of the column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public Summary this[string name]
    {
        get
        {
            int i = Array.IndexOf(_names, name);
            return i >= 0 ? _summaries[i] : throw new KeyNotFoundException($"No column named '{name}'.");
        }
    }

    /// <summary>Describes each named result set, keeping the enumeration order as the column order.</summary>
    /// <exception cref="ArgumentException">No columns, or a name appears twice.</exception>
    public static DescribeTable Of<TValues>(IEnumerable<KeyValuePair<string, TValues>> results)
        where TValues : IReadOnlyList<double>
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one column is needed (pandas cannot describe an empty frame).", nameof(results));
        }

        string[] names = list.Select(kv => kv.Key).ToArray();
        string? duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"Column name '{duplicate}' appears twice.", nameof(results));
        }

        return new DescribeTable(names, list.Select(kv => Summary.Of(kv.Value)).ToArray());
    }

    /// <summary>Describes one result set as a single column (pandas: <c>results['results'] = …</c>).</summary>
    public static DescribeTable Of(string name, IReadOnlyList<double> values) =>
        Of(new[] { new KeyValuePair<string, IReadOnlyList<double>>(name, values) });

    /// <summary>
    /// The table as pandas prints it: index labels left-aligned, each column right-aligned to the wider
    /// of its name and its values, one space between columns, values with pandas' float formatting
    /// (six decimals, trailing zeros trimmed equally within a column, scientific notation for very small
    /// or large values, "NaN"). No trailing newline.
    /// </summary>
    public override string ToString() =>
        FrameText.RenderNumbers(RowLabels, _names, _summaries.Select(s => s.DescribeValues).ToList());

    /// <summary>
    /// The table as <c>describe().to_csv()</c> writes it: a header row ",name1,name2", then one row per
    /// statistic with Python's shortest round-trip float text ("10.0", "1e-08"), NaN as an empty field,
    /// "\n" line endings and a final newline.
    /// </summary>
    public string ToCsv() =>
        FrameText.Csv(string.Empty, RowLabels, _names, _summaries.Select(s => s.DescribeValues).ToList());
}
