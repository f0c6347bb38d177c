using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Statistics;

/// <summary>
/// Number formatting the way pandas prints and writes floats: the column formatter of
/// <c>DataFrame.to_string()</c> (display.precision = 6) and Python's <c>repr(float)</c> used by <c>to_csv()</c>.
/// </summary>
internal static class PandasFormat
{
    private const int Digits = 6;

    /// <summary>
    /// Formats one column as pandas' FloatArrayFormatter does: <c>"{: .6f}"</c>, trailing zeros trimmed
    /// equally from all numbers (leaving at least one decimal), switching to <c>"{: .6e}"</c> when a value is
    /// nonzero and below 1e−6 in magnitude, or when some value exceeds 1e6 and the fixed form is longer
    /// than 12 characters. NaN prints as "NaN". The strings are not yet padded.
    /// </summary>
    public static string[] FormatColumn(IReadOnlyList<double> values)
    {
        string[] formatted = TrimZeros(values.Select(v => double.IsNaN(v) ? "NaN" : Fixed(v)).ToArray());
        int maxLength = formatted.Length == 0 ? 0 : formatted.Max(s => s.Length);
        bool tooLong = maxLength > Digits + 6;
        bool hasLarge = values.Any(v => Math.Abs(v) > 1e6);
        bool hasSmall = values.Any(v => Math.Abs(v) < 1e-6 && Math.Abs(v) > 0);
        if (hasSmall || (tooLong && hasLarge))
        {
            formatted = TrimZeros(values.Select(v => double.IsNaN(v) ? "NaN" : Scientific(v)).ToArray());
        }

        return formatted;
    }

    // Python "{: .6f}": a space in place of the sign for non-negative values.
    private static string Fixed(double v)
    {
        if (double.IsInfinity(v))
        {
            return v > 0 ? " inf" : "-inf";
        }

        string s = v.ToString("F" + Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') ? s : " " + s;
    }

    // Python "{: .6e}": mantissa with six decimals, exponent with a sign and at least two digits.
    private static string Scientific(double v)
    {
        if (double.IsInfinity(v))
        {
            return v > 0 ? " inf" : "-inf";
        }

        string s = v.ToString("E" + Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = s.IndexOf('E', StringComparison.Ordinal);
        string mantissa = s[..e];
        int exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string exp = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        string result = mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        return result.StartsWith('-') ? result : " " + result;
    }

    // pandas _trim_zeros_float: while every plain decimal number ends in '0', drop one character from all
    // of them; then give any that end in '.' one '0' back.
    private static string[] TrimZeros(string[] values)
    {
        static bool IsDecimal(string s)
        {
            string t = s.TrimStart();
            if (t.StartsWith('+') || t.StartsWith('-'))
            {
                t = t[1..];
            }

            int dot = t.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && t[..dot].All(char.IsAsciiDigit) && t[(dot + 1)..].All(char.IsAsciiDigit);
        }

        string[] trimmed = [.. values];
        while (true)
        {
            var numbers = trimmed.Where(IsDecimal).ToList();
            if (numbers.Count == 0 || !numbers.All(s => s.EndsWith('0')))
            {
                break;
            }

            for (int i = 0; i < trimmed.Length; i++)
            {
                if (IsDecimal(trimmed[i]))
                {
                    trimmed[i] = trimmed[i][..^1];
                }
            }
        }

        for (int i = 0; i < trimmed.Length; i++)
        {
            if (IsDecimal(trimmed[i]) && trimmed[i].EndsWith('.'))
            {
                trimmed[i] += "0";
            }
        }

        return trimmed;
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest string that round-trips, in positional form for decimal
    /// exponents −4 ≤ e &lt; 16 (always with a decimal point, "10.0") and as "1.05e-07" otherwise;
    /// "nan", "inf", "-inf" for the special values.
    /// </summary>
    public static string PythonRepr(double v)
    {
        if (double.IsNaN(v))
        {
            return "nan";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "inf" : "-inf";
        }

        if (v == 0)
        {
            return double.IsNegative(v) ? "-0.0" : "0.0";
        }

        // .NET's "R" is also the shortest round-trip string; only the layout differs. Extract its digits
        // and the exponent x with v = d.ddd… × 10^x.
        string r = Math.Abs(v).ToString("R", CultureInfo.InvariantCulture);
        int exponentOffset = 0;
        int ePos = r.IndexOf('E', StringComparison.Ordinal);
        if (ePos >= 0)
        {
            exponentOffset = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        int dot = r.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? r[..dot] : r;
        string fracPart = dot >= 0 ? r[(dot + 1)..] : string.Empty;
        string all = intPart + fracPart;
        int firstNonZero = 0;
        while (firstNonZero < all.Length && all[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        string digits = all[firstNonZero..].TrimEnd('0');
        int x = intPart.Length - 1 - firstNonZero + exponentOffset;

        var sb = new StringBuilder();
        if (v < 0)
        {
            sb.Append('-');
        }

        if (x < -4 || x >= 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (x >= 0)
        {
            string integer = digits.Length > x + 1 ? digits[..(x + 1)] : digits.PadRight(x + 1, '0');
            string fraction = digits.Length > x + 1 ? digits[(x + 1)..] : "0";
            sb.Append(integer).Append('.').Append(fraction);
        }
        else
        {
            sb.Append("0.").Append('0', -x - 1).Append(digits);
        }

        return sb.ToString();
    }

    /// <summary>A CSV field quoted as Python's csv module does with QUOTE_MINIMAL.</summary>
    public static string CsvField(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
