namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// The baseline forecasters every LSTM score is shown beside, as Darts defines them
/// (<c>darts.models.NaiveSeasonal</c>, <c>NaiveDrift</c>, <c>NaiveMean</c>), fitted on the training values
/// <c>y[0..T−1]</c> and forecasting steps <c>h = 1..H</c> after them.
/// </summary>
public static class Baselines
{
    /// <summary>The baselines' names, in the order tables show them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["naive", "seasonal_naive", "drift", "mean"];

    /// <summary>
    /// The forecast of baseline <paramref name="name"/>: naive <c>y[T−1]</c> (persistence); seasonal naive
    /// <c>y[T − m + ((h − 1) mod m)]</c> (the value one season back; m = 1 without a season); drift
    /// <c>y[T−1] + h · (y[T−1] − y[0]) / (T − 1)</c> (the line through the first and last training values);
    /// mean <c>mean(y)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, no training values, or fewer than m for the seasonal naive.</exception>
    public static double[] Forecast(string name, ReadOnlySpan<double> train, int horizon, int? season)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (train.IsEmpty)
            throw new ArgumentException("A baseline needs at least one training value.", nameof(train));
        int n = train.Length;
        var f = new double[horizon];
        switch (name)
        {
            case "naive":
                f.AsSpan().Fill(train[^1]);
                break;
            case "seasonal_naive":
                int m = season ?? 1;
                if (n < m)
                    throw new SettingException($"The seasonal naive baseline with {{0}} {m} needs at least {m} training values; the window has {n}.", "Season");
                for (int h = 0; h < horizon; h++)
                    f[h] = train[n - m + h % m];
                break;
            case "drift":
                double slope = n > 1 ? (train[^1] - train[0]) / (n - 1) : 0;
                for (int h = 0; h < horizon; h++)
                    f[h] = train[^1] + (h + 1) * slope;
                break;
            case "mean":
                double sum = 0;
                foreach (double v in train)
                    sum += v;
                f.AsSpan().Fill(sum / n);
                break;
            default:
                throw new ArgumentException($"Unknown baseline \"{name}\"; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
        return f;
    }
}
