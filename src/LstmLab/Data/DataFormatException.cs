using System.Globalization;
using System.Text;

namespace LstmLab.Data;

/// <summary>
/// A data file (or an in-memory series) that cannot be used as asked: missing or empty file, unknown
/// column, a value that is not a finite number, a ragged row, or too few rows for the framing. The
/// message names the source, the line (1-based, as an editor shows it) and the column (name and
/// 0-based index) where known, then what was expected and what was found.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public DataFormatException()
        : base("The data is not in the expected format.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Creates an exception whose message starts with the location, e.g.
    /// <c>sales.csv, line 5, column "Sales" (index 1): expected a number, got "abc".</c>
    /// </summary>
    /// <param name="source">File path or other name of the data (e.g. <c>embedded:shampoo-sales.csv</c>).</param>
    /// <param name="line">1-based line number, or null when the problem is not on one line.</param>
    /// <param name="columnName">Column header, or null when the file has no header.</param>
    /// <param name="columnIndex">0-based column index, or null when the problem is not in one column.</param>
    /// <param name="detail">What was expected and what was found.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DataFormatException(string? source, int? line, string? columnName, int? columnIndex, string detail, Exception? innerException = null)
        : base(Compose(source, line, columnName, columnIndex, detail), innerException)
    {
        DataSource = source;
        LineNumber = line;
        ColumnName = columnName;
        ColumnIndex = columnIndex;
        Detail = detail;
    }

    /// <summary>The file path or name of the data, if known.</summary>
    public string? DataSource { get; }

    /// <summary>The 1-based line number, if the problem is on one line.</summary>
    public int? LineNumber { get; }

    /// <summary>The column header, if the problem is in a named column.</summary>
    public string? ColumnName { get; }

    /// <summary>The 0-based column index, if the problem is in one column.</summary>
    public int? ColumnIndex { get; }

    /// <summary>The message without its location prefix.</summary>
    public string? Detail { get; }

    private static string Compose(string? source, int? line, string? columnName, int? columnIndex, string detail)
    {
        var sb = new StringBuilder();
        if (source is not null)
            sb.Append(source);
        if (line is int l)
            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append(CultureInfo.InvariantCulture, $"line {l}");
        if (columnName is not null || columnIndex is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append("column");
            if (columnName is not null)
                sb.Append(CultureInfo.InvariantCulture, $" \"{columnName}\"");
            if (columnIndex is int c)
            {
                if (columnName is null)
                    sb.Append(CultureInfo.InvariantCulture, $" {c}");
                else
                    sb.Append(CultureInfo.InvariantCulture, $" (index {c})");
            }
        }
        if (sb.Length > 0)
            sb.Append(": ");
        return sb.Append(detail).ToString();
    }
}
