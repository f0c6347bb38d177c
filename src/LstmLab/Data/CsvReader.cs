using System.Text;

namespace LstmLab.Data;

/// <summary>One CSV record: its fields and the 1-based line on which it starts.</summary>
internal readonly record struct CsvRecord(string[] Fields, int Line);

/// <summary>
/// A small RFC 4180 reader: fields separated by a delimiter; a field in double quotes may hold
/// delimiters, line breaks and doubled quotes (<c>""</c> is one quote); records end at CRLF, LF or
/// CR. Unquoted fields are trimmed of spaces and tabs. Blank lines (anywhere, including trailing
/// ones) are skipped. A leading byte-order mark is ignored.
/// </summary>
internal static class CsvReader
{
    public static List<CsvRecord> Read(string text, char delimiter, string source)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int line = 1, recordLine = 1;
        bool fieldQuoted = false, anyContent = false;

        while (pos <= text.Length)
        {
            char c = pos < text.Length ? text[pos] : '\n';
            bool atEnd = pos == text.Length;
            if (c == '"' && !fieldQuoted && IsBlank(field))
            {
                // Opening quote: read to the closing quote, keeping line breaks and "" as ".
                field.Clear();
                fieldQuoted = true;
                anyContent = true;
                int openLine = line;
                pos++;
                while (true)
                {
                    if (pos >= text.Length)
                        throw new DataFormatException(source, openLine, null, fields.Count, "a quoted field is never closed (missing '\"').");
                    char q = text[pos];
                    if (q == '"')
                    {
                        if (pos + 1 < text.Length && text[pos + 1] == '"')
                        {
                            field.Append('"');
                            pos += 2;
                            continue;
                        }
                        pos++;
                        while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t'))
                            pos++;
                        break;
                    }
                    if (q == '\n' || (q == '\r' && (pos + 1 >= text.Length || text[pos + 1] != '\n')))
                        line++;
                    field.Append(q);
                    pos++;
                }
                continue;
            }
            if (c == delimiter)
            {
                fields.Add(Finish(field, fieldQuoted));
                fieldQuoted = false;
                anyContent = true;
                pos++;
                continue;
            }
            if (c == '\n' || c == '\r')
            {
                if (anyContent || !IsBlank(field))
                {
                    fields.Add(Finish(field, fieldQuoted));
                    records.Add(new CsvRecord([.. fields], recordLine));
                }
                fields.Clear();
                field.Clear();
                fieldQuoted = false;
                anyContent = false;
                if (atEnd)
                    break;
                pos += c == '\r' && pos + 1 < text.Length && text[pos + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }
            // Text after a closing quote is kept, as most readers do ("ab"c -> abc).
            field.Append(c);
            pos++;
        }
        return records;
    }

    private static string Finish(StringBuilder field, bool quoted)
    {
        string s = field.ToString();
        field.Clear();
        return quoted ? s : s.Trim(' ', '\t');
    }

    private static bool IsBlank(StringBuilder sb)
    {
        for (int i = 0; i < sb.Length; i++)
        {
            if (sb[i] != ' ' && sb[i] != '\t')
                return false;
        }
        return true;
    }
}
