using System.Globalization;

namespace LstmLab.Data;

/// <summary>
/// Chooses a CSV column by header name, by 0-based index, or — for text typed by a user, see
/// <see cref="Parse"/> — by name first and index second.
/// </summary>
public sealed class ColumnRef
{
    private ColumnRef(string? name, int? index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The header name to look for, or null.</summary>
    public string? Name { get; }

    /// <summary>The 0-based index to use when no header name matches, or null.</summary>
    public int? Index { get; }

    /// <summary>The column whose header is <paramref name="name"/> (exact match, else a unique case-insensitive match).</summary>
    public static ColumnRef ByName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ColumnRef(name.Trim(), null);
    }

    /// <summary>The column at 0-based position <paramref name="index"/>.</summary>
    public static ColumnRef ByIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new ColumnRef(null, index);
    }

    /// <summary>
    /// Reads a column choice typed by a user (e.g. a CLI option): a header name, or a 0-based index.
    /// A header equal to the text wins over the index, so a column named <c>2017</c> can still be
    /// chosen by name; otherwise a non-negative integer is an index.
    /// </summary>
    public static ColumnRef Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        string t = text.Trim();
        int? index = int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null;
        return new ColumnRef(t, index);
    }

    /// <summary>The column's 0-based index in <paramref name="header"/>, or -1 if no header name matches.</summary>
    internal int MatchName(string[]? header)
    {
        if (Name is null || header is null)
            return -1;
        int exact = Array.IndexOf(header, Name);
        if (exact >= 0)
            return exact;
        int found = -1;
        for (int i = 0; i < header.Length; i++)
        {
            if (string.Equals(header[i], Name, StringComparison.OrdinalIgnoreCase))
            {
                if (found >= 0)
                    return -1;
                found = i;
            }
        }
        return found;
    }

    /// <summary>"Sales", "index 1", or "Sales or index 1", for messages.</summary>
    public override string ToString() => (Name, Index) switch
    {
        (not null, int i) when Name != i.ToString(CultureInfo.InvariantCulture) => $"\"{Name}\" or index {i}",
        (_, int i) => string.Create(CultureInfo.InvariantCulture, $"index {i}"),
        _ => $"\"{Name}\"",
    };
}
