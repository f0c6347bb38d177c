using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Statistics;

/// <summary>
/// One pair of result sets compared: the mean difference <c>mean(First) − mean(Second)</c> with its Welch
/// confidence interval, Welch and Mann–Whitney p-values, each Holm-adjusted within its family (all pairs),
/// and a plain-words <see cref="Sentence"/>.
/// </summary>
/// <param name="First">Name of the first result set.</param>
/// <param name="Second">Name of the second result set.</param>
/// <param name="FirstSummary">Descriptive statistics of the first set.</param>
/// <param name="SecondSummary">Descriptive statistics of the second set.</param>
/// <param name="Welch">Welch t-test of First against Second; its mean difference and interval are First − Second.</param>
/// <param name="MannWhitney">Mann–Whitney U test of First against Second.</param>
/// <param name="WelchHolm">Welch p-value after Holm's adjustment over all pairs.</param>
/// <param name="MannWhitneyHolm">Mann–Whitney p-value after Holm's adjustment over all pairs.</param>
/// <param name="Significant">Whether <paramref name="WelchHolm"/> is below α.</param>
/// <param name="Sentence">The finding in words (Welch's verdict after Holm, with the Holm-adjusted interval).</param>
/// <param name="HolmInterval">
/// The Welch interval of First − Second adjusted the same way as the verdict: at level 1 − α·p/p_Holm, so it
/// excludes 0 exactly when <paramref name="WelchHolm"/> is below α (see <see cref="PairwiseComparisons"/>).
/// </param>
public sealed record PairwiseComparison(
    string First,
    string Second,
    Summary FirstSummary,
    Summary SecondSummary,
    WelchTestResult Welch,
    MannWhitneyResult MannWhitney,
    double WelchHolm,
    double MannWhitneyHolm,
    bool Significant,
    string Sentence,
    WelchTestResult HolmInterval)
{
    /// <summary>mean(First) − mean(Second).</summary>
    public double MeanDifference => Welch.MeanDifference;

    /// <summary>Whether the Holm-adjusted Mann–Whitney test gives the other verdict than the Holm-adjusted Welch test.</summary>
    public bool TestsDisagree(double alpha) =>
        !double.IsNaN(WelchHolm) && !double.IsNaN(MannWhitneyHolm) && (WelchHolm < alpha) != (MannWhitneyHolm < alpha);
}

/// <summary>
/// All pairwise comparisons of several named result sets, the check the tutorial asks for ("confirming the
/// differences are significant using statistical significance tests"): Welch's t-test on the means and the
/// Mann–Whitney U test on the ranks, each family Holm-corrected for the number of pairs.
/// </summary>
/// <remarks>
/// One family of corrections: a pair is called significant only when its Holm-adjusted Welch p is below α,
/// and the interval printed beside the verdict is adjusted the same way, so the two never contradict each
/// other. Holm's adjusted p-value is p_Holm = c·p with a step factor c between 1 and m (the number of pairs);
/// the interval shown is the Welch interval at level 1 − α/c = 1 − α·p/p_Holm. A Welch interval at level
/// 1 − γ excludes 0 exactly when p &lt; γ, so this one excludes 0 exactly when p_Holm &lt; α. It lies between
/// the unadjusted interval (c = 1) and the Bonferroni interval (c = m); the unadjusted one is in the CSV,
/// labelled so. The Mann–Whitney test is run as a check on the same family; where its Holm-adjusted verdict
/// differs from Welch's, <see cref="DisagreementSentence"/> says so once.
/// </remarks>
/// <example>
/// <code>
/// var comparisons = PairwiseComparisons.Of(results, metric: "RMSE");
/// foreach (var c in comparisons.Comparisons) Console.WriteLine(c.Sentence);
/// // stateless is lower than stateful by 8.23 RMSE, Holm-adjusted 95% CI [2.17, 14.28], Welch p = 0.0026 (Holm 0.0079)
/// </code>
/// </example>
public sealed class PairwiseComparisons
{
    private static readonly string[] ColumnNames =
        ["mean_difference", "holm_ci_level", "holm_ci_low", "holm_ci_high", "unadjusted_ci_low", "unadjusted_ci_high", "welch_t", "welch_df", "welch_p", "welch_holm", "mann_whitney_u1", "mann_whitney_p", "mann_whitney_holm"];

    private static readonly string[] TextColumnNames =
        ["mean_difference", "holm_ci_low", "holm_ci_high", "welch_p", "welch_holm", "mann_whitney_p", "mann_whitney_holm"];

    private readonly PairwiseComparison[] _comparisons;

    private PairwiseComparisons(PairwiseComparison[] comparisons, double alpha, double confidenceLevel, string metric)
    {
        _comparisons = comparisons;
        Alpha = alpha;
        ConfidenceLevel = confidenceLevel;
        Metric = metric;
    }

    /// <summary>Every pair (i, j) with i before j in the input order.</summary>
    public IReadOnlyList<PairwiseComparison> Comparisons => _comparisons;

    /// <summary>Significance level for the Holm-adjusted p-values.</summary>
    public double Alpha { get; }

    /// <summary>Confidence level of the unadjusted mean-difference intervals (the Holm-adjusted ones use 1 − α, adjusted).</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Unit of the compared values used in sentences, e.g. "RMSE"; may be empty.</summary>
    public string Metric { get; }

    /// <summary>The sentences of all comparisons, in order.</summary>
    public IEnumerable<string> Sentences => _comparisons.Select(c => c.Sentence);

    /// <summary>
    /// One sentence naming the pairs where the Holm-adjusted Mann–Whitney verdict differs from Welch's, or
    /// null when the two tests agree on every pair.
    /// </summary>
    public string? DisagreementSentence
    {
        get
        {
            var differ = _comparisons.Where(c => c.TestsDisagree(Alpha)).ToList();
            if (differ.Count == 0)
            {
                return null;
            }

            string alpha = Alpha.ToString("0.###", CultureInfo.InvariantCulture);
            IEnumerable<string> parts = differ.Select(c => c.WelchHolm < Alpha
                ? $"{c.First} vs {c.Second} (Welch finds a difference, Mann–Whitney does not: Holm p = {P(c.MannWhitneyHolm, bare: true)})"
                : $"{c.First} vs {c.Second} (Mann–Whitney finds a difference that Welch does not: Holm p = {P(c.MannWhitneyHolm, bare: true)})");
            return $"The rank test disagrees with Welch's at {alpha} on {differ.Count} of {_comparisons.Length} pair{(_comparisons.Length == 1 ? "" : "s")}: "
                + string.Join("; ", parts) + ". The verdicts above are Welch's; where the two differ, treat the difference as unsettled.";
        }
    }

    /// <summary>What the interval beside each verdict is, for a report's caption.</summary>
    public string IntervalNote
    {
        get
        {
            string level = ((1 - Alpha) * 100).ToString("0.##", CultureInfo.InvariantCulture);
            string alpha = Alpha.ToString("0.###", CultureInfo.InvariantCulture);
            return $"Significant means Holm-adjusted Welch p below {alpha} over all {_comparisons.Length} pair{(_comparisons.Length == 1 ? "" : "s")}. "
                + $"Each Holm-adjusted {level}% CI is the Welch interval at level 1 − {alpha}·p/p_Holm, so it excludes 0 exactly when the pair is significant; "
                + "it lies between the unadjusted interval and the Bonferroni one (unadjusted intervals are in comparisons.csv, labelled so).";
        }
    }

    /// <summary>Compares every pair of the named result sets.</summary>
    /// <param name="results">Named result sets, in display order.</param>
    /// <param name="metric">Unit appended to differences in sentences ("RMSE"); empty for none.</param>
    /// <param name="alpha">Significance level, in (0, 1).</param>
    /// <param name="confidenceLevel">Confidence level of the mean-difference intervals, in (0, 1).</param>
    /// <exception cref="ArgumentException">A name appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or the confidence level is outside (0, 1).</exception>
    public static PairwiseComparisons Of<TValues>(
        IEnumerable<KeyValuePair<string, TValues>> results,
        string metric = "",
        double alpha = 0.05,
        double confidenceLevel = 0.95)
        where TValues : IReadOnlyList<double>
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(metric);
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in (0, 1).");
        }

        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "Confidence level must be in (0, 1).");
        }

        var sets = results.Select(kv => (Name: kv.Key, Values: (IReadOnlyList<double>)kv.Value, Summary: Summary.Of(kv.Value))).ToList();
        string? duplicate = sets.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"Result set name '{duplicate}' appears twice.", nameof(results));
        }

        var pairs = new List<(int I, int J, WelchTestResult Welch, MannWhitneyResult Mw)>();
        for (int i = 0; i < sets.Count; i++)
        {
            for (int j = i + 1; j < sets.Count; j++)
            {
                pairs.Add((i, j, WelchTTest.Test(sets[i].Summary, sets[j].Summary, confidenceLevel), MannWhitneyU.Test(sets[i].Values, sets[j].Values)));
            }
        }

        double[] welchHolm = Holm.Adjust(pairs.Select(p => p.Welch.PValue).ToArray());
        double[] mwHolm = Holm.Adjust(pairs.Select(p => p.Mw.PValue).ToArray());
        var comparisons = new PairwiseComparison[pairs.Count];
        for (int k = 0; k < pairs.Count; k++)
        {
            var (i, j, welch, mw) = pairs[k];
            bool significant = welchHolm[k] < alpha;
            WelchTestResult holm = HolmInterval(sets[i].Summary, sets[j].Summary, welch, welchHolm[k], alpha, pairs.Count);
            string sentence = Describe(sets[i].Name, sets[j].Name, sets[i].Summary, sets[j].Summary, welch, holm, welchHolm[k], alpha, metric);
            comparisons[k] = new PairwiseComparison(sets[i].Name, sets[j].Name, sets[i].Summary, sets[j].Summary, welch, mw, welchHolm[k], mwHolm[k], significant, sentence, holm);
        }

        return new PairwiseComparisons(comparisons, alpha, confidenceLevel, metric);
    }

    /// <summary>
    /// A table of all pairs (pandas layout, index "first vs second"): the mean difference, its Holm-adjusted
    /// interval and both tests' p-values, raw and Holm-adjusted. The sentences are separate (<see cref="Sentences"/>),
    /// so a report that prints both prints nothing twice.
    /// </summary>
    public override string ToString()
    {
        if (_comparisons.Length == 0)
        {
            return string.Empty;
        }

        List<IReadOnlyList<double>> all = Columns();
        var text = TextColumnNames.Select(n => all[Array.IndexOf(ColumnNames, n)]).ToList();
        return FrameText.RenderNumbers(RowLabels(), TextColumnNames, text);
    }

    /// <summary>
    /// CSV with one row per pair: first, second, the mean difference, the Holm-adjusted interval (its level,
    /// low, high), the unadjusted Welch interval, Welch's t, ν, p and Holm p, Mann–Whitney's U1, p and Holm p,
    /// and "significant" (True/False); Python float text, NaN as empty.
    /// </summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("first,second,").AppendJoin(',', ColumnNames).Append(",significant\n");
        List<IReadOnlyList<double>> columns = Columns();
        for (int k = 0; k < _comparisons.Length; k++)
        {
            sb.Append(PandasFormat.CsvField(_comparisons[k].First)).Append(',').Append(PandasFormat.CsvField(_comparisons[k].Second));
            foreach (IReadOnlyList<double> column in columns)
            {
                double v = column[k];
                sb.Append(',').Append(double.IsNaN(v) ? string.Empty : PandasFormat.PythonRepr(v));
            }

            sb.Append(',').Append(_comparisons[k].Significant ? "True" : "False").Append('\n');
        }

        return sb.ToString();
    }

    private List<string> RowLabels() => _comparisons.Select(c => c.First + " vs " + c.Second).ToList();

    private List<IReadOnlyList<double>> Columns() =>
    [
        _comparisons.Select(c => c.Welch.MeanDifference).ToArray(),
        _comparisons.Select(c => c.HolmInterval.ConfidenceLevel).ToArray(),
        _comparisons.Select(c => c.HolmInterval.CiLower).ToArray(),
        _comparisons.Select(c => c.HolmInterval.CiUpper).ToArray(),
        _comparisons.Select(c => c.Welch.CiLower).ToArray(),
        _comparisons.Select(c => c.Welch.CiUpper).ToArray(),
        _comparisons.Select(c => c.Welch.T).ToArray(),
        _comparisons.Select(c => c.Welch.DegreesOfFreedom).ToArray(),
        _comparisons.Select(c => c.Welch.PValue).ToArray(),
        _comparisons.Select(c => c.WelchHolm).ToArray(),
        _comparisons.Select(c => c.MannWhitney.U1).ToArray(),
        _comparisons.Select(c => c.MannWhitney.PValue).ToArray(),
        _comparisons.Select(c => c.MannWhitneyHolm).ToArray(),
    ];

    // The Welch interval at level 1 − α·p/p_Holm (see the remarks); with p = 0 (different constants) or an
    // undefined p, the Bonferroni level 1 − α/m.
    private static WelchTestResult HolmInterval(Summary a, Summary b, WelchTestResult welch, double welchHolm, double alpha, int pairs)
    {
        if (double.IsNaN(welch.PValue))
        {
            return welch;
        }

        double factor = welch.PValue > 0 && welchHolm > 0 ? Math.Clamp(welchHolm / welch.PValue, 1, Math.Max(1, pairs)) : Math.Max(1, pairs);
        return WelchTTest.Test(a, b, 1 - alpha / factor);
    }

    // The finding in words, e.g. "stateless is lower than stateful by 8.23 RMSE, Holm-adjusted 95% CI
    // [2.17, 14.28], Welch p = 0.0026 (Holm 0.0079)".
    private static string Describe(
        string first, string second, Summary a, Summary b, WelchTestResult welch, WelchTestResult holm,
        double welchHolm, double alpha, string metric)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"cannot compare {first} and {second}: each needs at least 2 results (have {a.Count} and {b.Count})");
        }

        if (double.IsNaN(welch.PValue))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"no difference between {first} and {second}: every result of both is {a.Mean:G6}{Unit(metric)}");
        }

        double diff = welch.MeanDifference;
        // Say it as "<lower> is lower than <higher> by d", with the interval of (higher − lower).
        bool firstHigher = diff >= 0;
        string lower = firstHigher ? second : first;
        string higher = firstHigher ? first : second;
        double d = Math.Abs(diff);
        double lo = firstHigher ? holm.CiLower : -holm.CiUpper;
        double hi = firstHigher ? holm.CiUpper : -holm.CiLower;
        double scale = d > 0 ? d : Math.Max(Math.Abs(lo), Math.Abs(hi));
        string level = ((1 - alpha) * 100).ToString("0.##", CultureInfo.InvariantCulture);
        string interval = $"Holm-adjusted {level}% CI [{Number(lo, scale)}, {Number(hi, scale)}]";
        string welchText = $"Welch p {P(welch.PValue)} (Holm {P(welchHolm, bare: true)})";
        string alphaText = alpha.ToString("0.###", CultureInfo.InvariantCulture);

        return welchHolm < alpha
            ? $"{lower} is lower than {higher} by {Number(d, scale)}{Unit(metric)}, {interval}, {welchText}"
            : $"no significant difference between {first} and {second} at {alphaText}: {lower} is lower by {Number(d, scale)}{Unit(metric)}, {interval}, {welchText}";
    }

    private static string Unit(string metric) => metric.Length == 0 ? string.Empty : " " + metric;

    // Three significant digits of the scale value; the same number of decimals for related numbers.
    private static string Number(double value, double scale)
    {
        int decimals = scale > 0 && double.IsFinite(scale) ? Math.Clamp(2 - (int)Math.Floor(Math.Log10(scale)), 0, 6) : 2;
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    // p-values with two significant digits; "< 0.001" below that.
    private static string P(double p, bool bare = false)
    {
        if (double.IsNaN(p))
        {
            return bare ? "n/a" : "= n/a";
        }

        if (p < 0.001)
        {
            return "< 0.001";
        }

        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(p)), 1, 4);
        string text = Math.Round(p, decimals).ToString("0.####", CultureInfo.InvariantCulture);
        return bare ? text : "= " + text;
    }
}
