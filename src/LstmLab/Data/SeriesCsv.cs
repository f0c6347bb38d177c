using System.Globalization;
using System.Text;

namespace LstmLab.Data;

/// <summary>
/// Loads a univariate <see cref="TimeSeries"/> from a CSV file: one value column and an optional
/// label (date) column, chosen by header name or 0-based index (<see cref="SeriesCsvOptions"/>).
/// </summary>
/// <remarks>
/// <para>Format: RFC 4180 fields (quotes, <c>""</c> escapes, delimiters and line breaks inside quotes),
/// CRLF/LF/CR line ends, a UTF-8 or UTF-16 byte-order mark, and blank lines (skipped) are all
/// accepted. Every row must have as many fields as the first one.</para>
/// <para>Numbers are parsed culture-invariantly: <c>.</c> is the decimal point, an exponent is
/// allowed, thousands separators are not (<c>"1,5"</c> is an error, not 15). NaN and infinities are
/// rejected, as are empty values: fill or drop gaps before loading.</para>
/// <para>Dates (see <see cref="TryParseDate"/>): <c>yyyy-MM-dd</c>, <c>yyyy-MM</c>, or the
/// Shampoo form <c>Y-MM</c> (<c>1-01</c> is year 1, month 1).</para>
/// <para>Every problem is a <see cref="DataFormatException"/> naming the file, line and column.</para>
/// </remarks>
public static partial class SeriesCsv
{
    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing, unreadable, empty or malformed.</exception>
    public static TimeSeries Load(string path, SeriesCsvOptions? options = null) => Parse(ReadText(path), path, options);

    /// <summary>Reads CSV <paramref name="text"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="DataFormatException">The text is empty or malformed.</exception>
    public static TimeSeries Parse(string text, string source, SeriesCsvOptions? options = null)
    {
        options ??= new SeriesCsvOptions();
        return ParseFrame(text, source, options with { ValueColumns = null }).Series(0);
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> into a frame of the columns <see cref="SeriesCsvOptions.ValueColumns"/> names.</summary>
    /// <exception cref="DataFormatException">The file is missing, unreadable, empty or malformed.</exception>
    public static SeriesFrame LoadFrame(string path, SeriesCsvOptions? options = null) => ParseFrame(ReadText(path), path, options);

    /// <summary>
    /// Reads CSV <paramref name="text"/> into a frame: the columns <see cref="SeriesCsvOptions.ValueColumns"/>
    /// names (or the single <see cref="SeriesCsvOptions.ValueColumn"/>), with the label column's text and dates.
    /// </summary>
    /// <exception cref="DataFormatException">The text is empty or malformed, a date repeats or goes back (unless
    /// <see cref="SeriesCsvOptions.AllowUnsorted"/>), or the file looks semicolon-separated but is read with commas.</exception>
    public static SeriesFrame ParseFrame(string text, string source, SeriesCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new SeriesCsvOptions();
        if (options.DecimalComma && options.Delimiter == ',')
            throw new ArgumentException("DecimalComma needs a Delimiter other than ',' (usually ';').", nameof(options));
        CheckText(text, source);
        List<CsvRecord> records = CsvReader.Read(text, options.Delimiter, source);
        if (records.Count == 0)
            throw new DataFormatException(source, null, null, null, "the file is empty: expected data rows (after an optional header), found none.");
        CheckDelimiter(records, options.Delimiter, source);

        CsvRecord first = records[0];
        IReadOnlyList<ColumnRef?> wanted = options.ValueColumns is { Count: > 0 } list ? [.. list] : [options.ValueColumn];
        bool hasHeader = options.Header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => LooksLikeHeader(first.Fields, wanted[0]),
        };
        string[]? header = hasHeader ? first.Fields : null;
        int firstData = hasHeader ? 1 : 0;
        if (records.Count == firstData)
            throw new DataFormatException(source, first.Line, null, null, "the file has a header row but no data rows.");

        int width = first.Fields.Length;
        string widthOrigin = hasHeader ? $"the header on line {first.Line}" : $"line {first.Line}";
        int[] valueIndex = [.. wanted.Select(w => Resolve(w, header, width, first.Line, source, "value"))];
        int labelIndex = options.LabelColumn is null ? -1 : Resolve(options.LabelColumn, header, width, first.Line, source, "label");
        string[] valueNames = [.. valueIndex.Select(i => header?[i] ?? $"column {i.ToString(CultureInfo.InvariantCulture)}")];
        if (valueIndex.Distinct().Count() != valueIndex.Length)
            throw new DataFormatException(source, first.Line, null, null, $"a value column is named twice: {string.Join(", ", valueNames)}.");
        string? labelName = labelIndex >= 0 ? header?[labelIndex] : null;

        int n = records.Count - firstData;
        double[][] values = [.. valueIndex.Select(_ => new double[n])];
        string[]? labels = labelIndex >= 0 ? new string[n] : null;
        for (int r = 0; r < n; r++)
        {
            CsvRecord rec = records[firstData + r];
            if (rec.Fields.Length != width)
            {
                throw new DataFormatException(source, rec.Line, null, null,
                    $"ragged row: expected {width} fields (as in {widthOrigin}), got {rec.Fields.Length}.");
            }
            for (int c = 0; c < valueIndex.Length; c++)
                values[c][r] = ParseValue(rec.Fields[valueIndex[c]], source, rec.Line, header?[valueIndex[c]], valueIndex[c], options);
            if (labels is not null)
                labels[r] = rec.Fields[labelIndex];
        }

        DateOnly[]? dates = labels is null ? null : ParseDates(labels, options.Dates, records, firstData, source, labelName, labelIndex);
        if (dates is not null && !options.AllowUnsorted)
            CheckDateOrder(dates, labels!, records, firstData, source, labelName, labelIndex);
        return new SeriesFrame(valueNames, values, labels, dates, source,
            labelName ?? (labelIndex >= 0 ? $"column {labelIndex.ToString(CultureInfo.InvariantCulture)}" : null));
    }

    /// <summary>
    /// Parses a date label: <c>yyyy-MM-dd</c> (e.g. <c>2017-04-21</c>), or a month as
    /// <c>Y-M</c> with a 1–4 digit year and a 1–2 digit month (<c>2017-04</c>, and Shampoo's
    /// <c>1-01</c> = year 1, month 1), which maps to the first day of that month.
    /// </summary>
    /// <returns>True when <paramref name="text"/> is such a date and the date exists.</returns>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        string[] parts = text.Trim().Split('-');
        if (parts.Length == 2 && IsDigits(parts[0], 1, 4) && IsDigits(parts[1], 1, 2))
            return TryMake(parts[0], parts[1], "1", out date);
        if (parts.Length == 3 && IsDigits(parts[0], 4, 4) && IsDigits(parts[1], 2, 2) && IsDigits(parts[2], 2, 2))
            return TryMake(parts[0], parts[1], parts[2], out date);
        return false;
    }

    /// <summary>
    /// Writes a series as CSV text: a header (<c>LabelName,Name</c>, quoted) and one row per value
    /// (label quoted, value in culture-invariant round-trip form), LF line ends. Without labels,
    /// only the value column is written. <see cref="Parse"/> reads it back.
    /// </summary>
    public static string Format(TimeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var sb = new StringBuilder();
        if (series.Labels is not null)
            sb.Append(Quote(series.LabelName ?? "label")).Append(',');
        sb.Append(Quote(series.Name)).Append('\n');
        for (int i = 0; i < series.Length; i++)
        {
            if (series.Labels is not null)
                sb.Append(Quote(series.Labels[i])).Append(',');
            sb.Append(series.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool LooksLikeHeader(string[] firstRow, ColumnRef? valueColumn)
    {
        if (valueColumn is not null && valueColumn.MatchName(firstRow) >= 0)
            return true;
        if (valueColumn is { Index: null })
            return true; // chosen by name only: there must be a header to find it in
        int index = valueColumn?.Index ?? firstRow.Length - 1;
        if (index >= firstRow.Length)
            return true; // the index error is reported against the header line
        return !double.TryParse(firstRow[index], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static int Resolve(ColumnRef? column, string[]? header, int width, int headerLine, string source, string role)
    {
        if (column is null)
            return width - 1;
        int byName = column.MatchName(header);
        if (byName >= 0)
            return byName;
        if (column.Index is int index)
        {
            if (index < width)
                return index;
            string names = header is null ? string.Empty : $" Available columns: {Available(header)}.";
            throw new DataFormatException(source, headerLine, null, index,
                $"{role} column index {index} is out of range: line {headerLine} has {width} fields (valid indices 0..{width - 1}).{names}");
        }
        if (header is null)
        {
            throw new DataFormatException(source, headerLine, column.Name, null,
                $"the {role} column is chosen by name, but the file has no header row; choose it by 0-based index (0..{width - 1}).");
        }
        throw new DataFormatException(source, headerLine, column.Name, null,
            $"no {role} column named \"{Printable(column.Name)}\" in the header. Available columns: {Available(header)}.");
    }

    private static string Available(string[] header) =>
        string.Join(", ", header.Select((h, i) => string.Create(CultureInfo.InvariantCulture, $"\"{Printable(h)}\" ({i})")));

    private static double ParseValue(string text, string source, int line, string? column, int index, SeriesCsvOptions options)
    {
        string t = text.Trim();
        if (options.DecimalComma)
        {
            if (t.Contains('.', StringComparison.Ordinal))
            {
                throw new DataFormatException(source, line, column, index,
                    $"expected a number with a decimal comma (1,5), got \"{Printable(text)}\" (no '.' thousands separators).");
            }
            t = t.Replace(',', '.');
        }
        if (t.Length == 0)
            throw new DataFormatException(source, line, column, index, "missing value: expected a number, got an empty field.");
        bool parsed = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
        if ((parsed && !double.IsFinite(v)) || IsNonFiniteWord(t))
        {
            throw new DataFormatException(source, line, column, index,
                $"expected a finite number, got \"{Printable(text)}\" (NaN and infinite values are not allowed; fill or drop them first).");
        }
        if (!parsed)
        {
            string hint = !options.DecimalComma && t.Contains(',', StringComparison.Ordinal) && options.Delimiter != ','
                ? " It looks like a decimal comma: read the file with DecimalComma."
                : "";
            throw new DataFormatException(source, line, column, index,
                $"expected a number (culture-invariant: '.' decimal point, no thousands separators), got \"{Printable(text)}\".{hint}");
        }
        return v;
    }

    private static bool IsNonFiniteWord(string t)
    {
        string s = t.TrimStart('+', '-').ToUpperInvariant();
        return s is "NAN" or "INF" or "INFINITY" or "∞";
    }

    private static DateOnly[]? ParseDates(string[] labels, DateHandling mode, List<CsvRecord> records, int firstData,
        string source, string? labelName, int labelIndex)
    {
        if (mode == DateHandling.Ignore)
            return null;
        var dates = new DateOnly[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (TryParseDate(labels[i], out dates[i]))
                continue;
            if (mode == DateHandling.Auto)
                return null;
            throw new DataFormatException(source, records[firstData + i].Line, labelName, labelIndex,
                $"expected a date (yyyy-MM-dd, yyyy-MM or Y-MM such as 1-01), got \"{Printable(labels[i])}\".");
        }
        return dates;
    }

    private static bool IsDigits(string s, int minLength, int maxLength)
    {
        if (s.Length < minLength || s.Length > maxLength)
            return false;
        foreach (char c in s)
        {
            if (c is < '0' or > '9')
                return false;
        }
        return true;
    }

    private static bool TryMake(string year, string month, string day, out DateOnly date)
    {
        int y = int.Parse(year, CultureInfo.InvariantCulture);
        int m = int.Parse(month, CultureInfo.InvariantCulture);
        int d = int.Parse(day, CultureInfo.InvariantCulture);
        date = default;
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
            return false;
        date = new DateOnly(y, m, d);
        return true;
    }
}
