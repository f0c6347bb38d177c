using System.Text;

namespace LstmLab.Experiments.Statistics;

/// <summary>
/// Lays out a table the way pandas prints a DataFrame: the index column left-aligned, every other column
/// right-aligned to the wider of its name and its cells, one space between columns, no trailing newline.
/// </summary>
internal static class FrameText
{
    /// <summary>
    /// Renders already formatted cells; <paramref name="columns"/>[c][r] is column c, row r. With
    /// <paramref name="numericHeaders"/> each column name gets a leading space, as pandas gives the headers of
    /// numeric columns (so that they line up with the sign position of the values).
    /// </summary>
    public static string Render(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnNames, IReadOnlyList<string[]> columns, bool numericHeaders = false)
    {
        int labelWidth = rowLabels.Count == 0 ? 0 : rowLabels.Max(l => l.Length);
        List<string[]> laidOut = [[new string(' ', labelWidth), .. rowLabels.Select(l => l.PadRight(labelWidth))]];
        for (int c = 0; c < columnNames.Count; c++)
        {
            string[] cells = columns[c];
            string header = numericHeaders ? " " + columnNames[c] : columnNames[c];
            int width = Math.Max(header.Length, cells.Length == 0 ? 0 : cells.Max(v => v.Length));
            laidOut.Add([header.PadLeft(width), .. cells.Select(v => v.PadLeft(width))]);
        }

        var sb = new StringBuilder();
        for (int row = 0; row <= rowLabels.Count; row++)
        {
            if (row > 0)
            {
                sb.Append('\n');
            }

            sb.AppendJoin(' ', laidOut.Select(col => col[row]));
        }

        return sb.ToString();
    }

    /// <summary>Renders numeric columns with pandas' float formatting (<see cref="PandasFormat.FormatColumn"/>).</summary>
    public static string RenderNumbers(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnNames, IReadOnlyList<IReadOnlyList<double>> columns) =>
        Render(rowLabels, columnNames, columns.Select(PandasFormat.FormatColumn).ToList(), numericHeaders: true);

    /// <summary>CSV in pandas' <c>to_csv()</c> form: header ",name…", one row per label, Python float repr, NaN empty.</summary>
    public static string Csv(string indexName, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnNames, IReadOnlyList<IReadOnlyList<double>> columns)
    {
        var sb = new StringBuilder();
        sb.Append(PandasFormat.CsvField(indexName)).Append(',').AppendJoin(',', columnNames.Select(PandasFormat.CsvField)).Append('\n');
        for (int row = 0; row < rowLabels.Count; row++)
        {
            sb.Append(PandasFormat.CsvField(rowLabels[row]));
            foreach (IReadOnlyList<double> column in columns)
            {
                double v = column[row];
                sb.Append(',').Append(double.IsNaN(v) ? string.Empty : PandasFormat.PythonRepr(v));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
