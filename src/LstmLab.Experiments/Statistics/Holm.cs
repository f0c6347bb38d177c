namespace LstmLab.Experiments.Statistics;

/// <summary>
/// Holm–Bonferroni step-down adjustment of a family of p-values, matching
/// <c>statsmodels.stats.multitest.multipletests(p, method='holm')[1]</c>.
/// </summary>
/// <remarks>
/// With the m p-values sorted ascending, p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎): each is multiplied by the
/// number of hypotheses not yet rejected, made monotone by a running maximum and capped at 1. Rejecting
/// every hypothesis whose adjusted p is below α controls the family-wise error rate at α.
/// </remarks>
public static class Holm
{
    /// <summary>
    /// The Holm-adjusted p-values, in the order of <paramref name="pValues"/>. NaN entries stay NaN and are
    /// left out of the family (m counts only the others).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A p-value is outside [0, 1].</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var adjusted = new double[pValues.Count];
        var order = new List<int>();
        for (int i = 0; i < pValues.Count; i++)
        {
            double p = pValues[i];
            if (double.IsNaN(p))
            {
                adjusted[i] = double.NaN;
                continue;
            }

            if (p < 0 || p > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), p, $"p-value {i} must be in [0, 1].");
            }

            order.Add(i);
        }

        // Stable sort by p; ties get the same adjusted value either way.
        order.Sort((x, y) => pValues[x] != pValues[y] ? pValues[x].CompareTo(pValues[y]) : x.CompareTo(y));
        int m = order.Count;
        double runningMax = 0;
        for (int k = 0; k < m; k++)
        {
            runningMax = Math.Max(runningMax, (m - k) * pValues[order[k]]);
            adjusted[order[k]] = Math.Min(1.0, runningMax);
        }

        return adjusted;
    }
}
