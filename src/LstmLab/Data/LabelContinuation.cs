using System.Globalization;

namespace LstmLab.Data;

/// <summary>
/// Labels for the steps after the end of a series, continuing its date column at its own frequency and in
/// its own format: monthly <c>1960-12</c> → <c>1961-01</c>, daily <c>2015-12-31</c> → <c>2016-01-01</c>,
/// yearly <c>1959-01-01</c> → <c>1960-01-01</c>, Shampoo's <c>3-12</c> → <c>4-01</c>; whole-number labels
/// (<c>1949</c>, <c>1950</c>) continue with their step; without labels the 0-based row numbers continue.
/// </summary>
public static class LabelContinuation
{
    /// <summary>The labels of the <paramref name="count"/> steps after the last of <paramref name="frame"/>.</summary>
    public static string[] Next(SeriesFrame frame, int count)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Next(frame.Labels, frame.Dates, frame.Length, count);
    }

    /// <summary>
    /// The labels of the <paramref name="count"/> steps after a series of <paramref name="length"/> steps
    /// with these labels and dates (either may be null).
    /// </summary>
    /// <remarks>
    /// Dates: when every date falls on the same day of the month and the steps are a constant number of
    /// months (and not a constant number of days under 28), that many months (monthly, quarterly, yearly);
    /// otherwise the last step's length in days (daily, weekly); a daily series whose dates are all weekdays
    /// (business days: steps of 1 day, and 3 over a weekend) continues on the next weekdays.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static string[] Next(IReadOnlyList<string>? labels, IReadOnlyList<DateOnly>? dates, int length, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (labels is null || labels.Count == 0)
            return [.. Enumerable.Range(length, count).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        if (dates is { Count: >= 2 })
            return NextDates(dates, labels[^1], count);
        if (labels.Count >= 2 && labels.All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        {
            long[] n = [.. labels.Select(l => long.Parse(l, NumberStyles.Integer, CultureInfo.InvariantCulture))];
            long step = n[^1] - n[^2];
            return [.. Enumerable.Range(1, count).Select(h => (n[^1] + h * step).ToString(CultureInfo.InvariantCulture))];
        }
        return [.. Enumerable.Range(1, count).Select(h => string.Create(CultureInfo.InvariantCulture, $"{labels[^1]}+{h}"))];
    }

    private static string[] NextDates(IReadOnlyList<DateOnly> dates, string lastLabel, int count)
    {
        DateOnly last = dates[^1];
        int days = last.DayNumber - dates[^2].DayNumber;
        bool sameDays = Enumerable.Range(1, dates.Count - 1).All(i => dates[i].DayNumber - dates[i - 1].DayNumber == days);
        int months = Months(dates[^2], last);
        bool sameMonths = dates.All(d => d.Day == last.Day)
            && Enumerable.Range(1, dates.Count - 1).All(i => Months(dates[i - 1], dates[i]) == months);
        bool businessDays = dates.Count >= 10 && dates.All(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            && Enumerable.Range(1, dates.Count - 1).Any(i => dates[i].DayNumber - dates[i - 1].DayNumber == 3)
            && Enumerable.Range(1, dates.Count - 1).Count(i => dates[i].DayNumber - dates[i - 1].DayNumber == 1) * 2 > dates.Count;
        if (businessDays)
            return [.. Weekdays(last).Take(count).Select(d => Format(d, lastLabel))];
        Func<int, DateOnly> at = sameMonths && months > 0 && (!sameDays || days >= 28)
            ? h => last.AddMonths(h * months)
            : h => last.AddDays(h * Math.Max(days, 1));
        return [.. Enumerable.Range(1, count).Select(h => Format(at(h), lastLabel))];
    }

    private static IEnumerable<DateOnly> Weekdays(DateOnly after)
    {
        for (DateOnly d = after.AddDays(1); ; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
                yield return d;
        }
    }

    private static int Months(DateOnly a, DateOnly b) => (b.Year - a.Year) * 12 + b.Month - a.Month;

    /// <summary>Writes <paramref name="date"/> in the form of <paramref name="example"/> (yyyy-MM-dd, yyyy-MM, or Y-MM).</summary>
    private static string Format(DateOnly date, string example)
    {
        string[] parts = example.Trim().Split('-');
        string year = date.Year.ToString(CultureInfo.InvariantCulture).PadLeft(parts[0].Length, '0');
        string month = date.Month.ToString(CultureInfo.InvariantCulture).PadLeft(parts.Length > 1 ? parts[1].Length : 2, '0');
        return parts.Length == 3
            ? string.Create(CultureInfo.InvariantCulture, $"{year}-{month}-{date.Day:D2}")
            : $"{year}-{month}";
    }
}
