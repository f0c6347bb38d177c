using System.Globalization;

namespace LstmLab.Experiments.Statistics;

/// <summary>One row of a <see cref="SemTable"/>: statistics of the first <see cref="N"/> results.</summary>
/// <param name="N">Number of repeats used (the first N results, in run order).</param>
/// <param name="Mean">Mean of the first N results.</param>
/// <param name="StandardDeviation">Sample standard deviation (ddof = 1) of the first N results.</param>
/// <param name="StandardError">Standard error of the mean, std / √N.</param>
/// <param name="CiHalfWidth">Half-width of the t confidence interval of the mean, t_{(1+level)/2, N−1} · SEM.</param>
/// <param name="BootstrapStandardError">
/// Standard deviation of the means of resamples of size N drawn with replacement from all results;
/// NaN unless resampling was requested.
/// </param>
public sealed record SemRow(int N, double Mean, double StandardDeviation, double StandardError, double CiHalfWidth, double BootstrapStandardError);

/// <summary>
/// "Standard error of the mean vs number of repeats": for n = 2 … N, the mean, standard deviation,
/// standard error and confidence half-width of the first n results, and optionally a resampled
/// (bootstrap) standard error for samples of size n drawn from the whole pool. Shows how many repeats
/// an experiment needs before its mean stops moving.
/// </summary>
/// <remarks>
/// The SEM of the first n results is scipy's <c>stats.sem(x[:n])</c>. The bootstrap column treats all N
/// results as the population, as the tutorial suggests ("a larger pool of experimental runs from which to
/// draw"); it is seeded and therefore reproducible.
/// </remarks>
public sealed class SemTable
{
    private static readonly string[] ColumnNames = ["mean", "std", "sem", "ci_half_width", "bootstrap_sem"];

    private readonly SemRow[] _rows;

    private SemTable(SemRow[] rows, double confidenceLevel)
    {
        _rows = rows;
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>Rows for n = 2 … N (empty when there are fewer than two results).</summary>
    public IReadOnlyList<SemRow> Rows => _rows;

    /// <summary>Confidence level of <see cref="SemRow.CiHalfWidth"/>.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Builds the table from results in run order (NaN values are dropped).</summary>
    /// <param name="results">Results of repeated runs, in the order they were run.</param>
    /// <param name="bootstrapResamples">Resamples per row for the bootstrap column; 0 leaves it NaN.</param>
    /// <param name="seed">Seed of the resampling generator.</param>
    /// <param name="confidenceLevel">Level of the confidence half-width, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative resamples or a level outside (0, 1).</exception>
    public static SemTable Of(IReadOnlyList<double> results, int bootstrapResamples = 0, int seed = 1, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfNegative(bootstrapResamples);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "Confidence level must be in (0, 1).");
        }

        double[] pool = results.Where(v => !double.IsNaN(v)).ToArray();
        var random = new LstmLab.Numerics.RandomGenerator(seed);
        var rows = new List<SemRow>();
        for (int n = 2; n <= pool.Length; n++)
        {
            Summary s = Summary.Of(new ArraySegment<double>(pool, 0, n));
            double half = Distributions.StudentTQuantile(0.5 + confidenceLevel / 2, n - 1) * s.StandardError;
            double boot = bootstrapResamples > 0 ? BootstrapSem(pool, n, bootstrapResamples, random) : double.NaN;
            rows.Add(new SemRow(n, s.Mean, s.StandardDeviation, s.StandardError, half, boot));
        }

        return new SemTable([.. rows], confidenceLevel);
    }

    /// <summary>
    /// Repeats needed for a standard error of <paramref name="targetStandardError"/> given a standard
    /// deviation estimate: ⌈(s / target)²⌉, at least 2.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is not positive.</exception>
    public static int RepeatsFor(double standardDeviation, double targetStandardError)
    {
        if (!(targetStandardError > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(targetStandardError), targetStandardError, "Target standard error must be positive.");
        }

        double n = Math.Ceiling(standardDeviation * standardDeviation / (targetStandardError * targetStandardError));
        return double.IsNaN(n) ? 2 : (int)Math.Clamp(n, 2, int.MaxValue);
    }

    /// <summary>The table in pandas' printed layout, indexed by n; the bootstrap column only when computed.</summary>
    public override string ToString()
    {
        var (names, columns) = Columns();
        return FrameText.RenderNumbers(_rows.Select(r => r.N.ToString(CultureInfo.InvariantCulture)).ToList(), names, columns);
    }

    /// <summary>The table as CSV (header "n,mean,std,sem,ci_half_width[,bootstrap_sem]"), Python float text.</summary>
    public string ToCsv()
    {
        var (names, columns) = Columns();
        return FrameText.Csv("n", _rows.Select(r => r.N.ToString(CultureInfo.InvariantCulture)).ToList(), names, columns);
    }

    private (string[] Names, List<IReadOnlyList<double>> Columns) Columns()
    {
        var columns = new List<IReadOnlyList<double>>
        {
            _rows.Select(r => r.Mean).ToArray(),
            _rows.Select(r => r.StandardDeviation).ToArray(),
            _rows.Select(r => r.StandardError).ToArray(),
            _rows.Select(r => r.CiHalfWidth).ToArray(),
        };
        bool withBootstrap = _rows.Any(r => !double.IsNaN(r.BootstrapStandardError));
        if (withBootstrap)
        {
            columns.Add(_rows.Select(r => r.BootstrapStandardError).ToArray());
        }

        return (withBootstrap ? ColumnNames : ColumnNames[..^1], columns);
    }

    private static double BootstrapSem(double[] pool, int n, int resamples, LstmLab.Numerics.RandomGenerator random)
    {
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += pool[random.NextInt(pool.Length)];
            }

            means[b] = sum / n;
        }

        return Summary.Of(means).StandardDeviation;
    }
}
