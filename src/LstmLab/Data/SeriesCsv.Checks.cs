using System.Globalization;
using System.Text;

namespace LstmLab.Data;

/// <summary>The checks <see cref="SeriesCsv"/> makes before and after reading the fields.</summary>
public static partial class SeriesCsv
{
    /// <summary>The largest file read into memory at once (1 GiB); a larger one is refused before reading.</summary>
    public const long MaximumFileBytes = 1L << 30;

    private static string ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new DataFormatException(path, null, null, null, "expected a CSV file, but this is a directory.");
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, null, $"file not found (looked in {Path.GetFullPath(path)}).");
        try
        {
            long size = new FileInfo(path).Length;
            if (size > MaximumFileBytes)
            {
                throw new DataFormatException(path, null, null, null, string.Create(CultureInfo.InvariantCulture,
                    $"the file is {size / (1024.0 * 1024 * 1024):F1} GiB, more than the {MaximumFileBytes >> 30} GiB a series may take in memory; keep the rows and columns you need in a smaller file."));
            }
            // Detects and removes a UTF-8/UTF-16/UTF-32 byte-order mark; UTF-8 otherwise.
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, null, null, null, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>Refuses binary content (NUL or other control bytes, undecodable bytes) without echoing it.</summary>
    private static void CheckText(string text, string source)
    {
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
                line++;
            bool control = c < ' ' && c is not '\n' and not '\r' and not '\t';
            if (control || c == '\uFFFD')
            {
                string what = c == '\uFFFD' ? "bytes that are not UTF-8 text" : string.Create(CultureInfo.InvariantCulture, $"the control byte 0x{(int)c:X2}");
                throw new DataFormatException(source, line, null, null,
                    $"this is not a text CSV file: it contains {what} (a spreadsheet, archive or other binary file?). Save it as CSV text (UTF-8) first.");
            }
        }
    }

    /// <summary>A file read with ',' whose rows have no ',' but do have ';' is named as semicolon-separated.</summary>
    private static void CheckDelimiter(List<CsvRecord> records, char delimiter, string source)
    {
        if (delimiter != ',' || records[0].Fields.Length != 1)
            return;
        if (records[0].Fields[0].Contains(';', StringComparison.Ordinal))
        {
            throw new DataFormatException(source, records[0].Line, null, null,
                "the file looks semicolon-separated (';' between fields, no ','): read it with Delimiter ';' (and DecimalComma if its numbers are written 1,5).");
        }
    }

    /// <summary>Dates must increase strictly; a repeated or earlier date is an error naming both lines.</summary>
    private static void CheckDateOrder(DateOnly[] dates, string[] labels, List<CsvRecord> records, int firstData,
        string source, string? labelName, int labelIndex)
    {
        var problems = new List<string>();
        for (int i = 1; i < dates.Length && problems.Count < 3; i++)
        {
            if (dates[i] > dates[i - 1])
                continue;
            int prev = records[firstData + i - 1].Line, line = records[firstData + i].Line;
            problems.Add(dates[i] == dates[i - 1]
                ? string.Create(CultureInfo.InvariantCulture, $"\"{Printable(labels[i])}\" on line {line} repeats line {prev}")
                : string.Create(CultureInfo.InvariantCulture, $"\"{Printable(labels[i])}\" on line {line} comes before \"{Printable(labels[i - 1])}\" on line {prev}"));
        }
        if (problems.Count == 0)
            return;
        throw new DataFormatException(source, null, labelName, labelIndex,
            $"the dates are not in increasing order: {string.Join("; ", problems)}. Sort the file, remove duplicates, or keep its order deliberately with AllowUnsorted.");
    }

    /// <summary>Text for a message: control and undecodable characters as <c>\xNN</c>, at most 40 characters.</summary>
    internal static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var sb = new StringBuilder();
        foreach (char c in text.Length > 40 ? text[..40] : text)
        {
            if (c < ' ' || c == '\u007F' || c == '\uFFFD')
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c % 256:X2}");
            else
                sb.Append(c);
        }
        if (text.Length > 40)
            sb.Append('…');
        return sb.ToString();
    }
}
