using LstmLab.Experiments.Statistics;
using Xunit;

namespace LstmLab.Experiments.Tests.Statistics;

// Provenance (whole file) (hand): SEM = sd/√n, so the repeats for a target SEM are (sd/target)² rounded up, at least
// 2: (10/2)² = 25, 7.1² = 50.41 → 51, (1/5)² → 2; the bootstrap SEM is checked within 10% of σ/√n.

public class SemTableTests
{
    [Fact]
    public void Sem_of_the_first_n_results_matches_scipy_sem()
    {
        var e = StatsFixture.Get("sem");
        SemTable table = SemTable.Of(StatsFixture.Sample(StatsFixture.Str(e, "name")));
        double[] n = StatsFixture.Nums(e, "n");
        double[] mean = StatsFixture.Nums(e, "mean");
        double[] std = StatsFixture.Nums(e, "std");
        double[] sem = StatsFixture.Nums(e, "sem");
        Assert.Equal(n.Length, table.Rows.Count);
        for (int i = 0; i < n.Length; i++)
        {
            SemRow row = table.Rows[i];
            Assert.Equal((int)n[i], row.N);
            StatsFixture.Close(mean[i], row.Mean, 1e-14, 0, $"mean[{row.N}]");
            StatsFixture.Close(std[i], row.StandardDeviation, 1e-13, 0, $"std[{row.N}]");
            StatsFixture.Close(sem[i], row.StandardError, 1e-13, 0, $"sem[{row.N}]");
            StatsFixture.Close(Distributions.StudentTQuantile(0.975, row.N - 1) * row.StandardError, row.CiHalfWidth, 1e-15, 0, "ci");
            Assert.True(double.IsNaN(row.BootstrapStandardError));
        }
    }

    [Fact]
    public void Bootstrap_sem_is_reproducible_and_near_sigma_over_root_n()
    {
        double[] pool = StatsFixture.Sample("pool30");
        SemTable a = SemTable.Of(pool, bootstrapResamples: 2000, seed: 7);
        SemTable b = SemTable.Of(pool, bootstrapResamples: 2000, seed: 7);
        Assert.Equal(a.Rows, b.Rows);
        // Resampling from the pool: SEM(n) ≈ σ_pool / √n with σ_pool the population (ddof = 0) std.
        Summary s = Summary.Of(pool);
        double sigma = s.StandardDeviation * Math.Sqrt((pool.Length - 1.0) / pool.Length);
        foreach (SemRow row in a.Rows)
        {
            double expected = sigma / Math.Sqrt(row.N);
            Assert.InRange(row.BootstrapStandardError, expected * 0.9, expected * 1.1);
        }

        Assert.Contains("bootstrap_sem", a.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("n,mean,std,sem,ci_half_width,bootstrap_sem\n2,", a.ToCsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_two_results_give_no_rows()
    {
        Assert.Empty(SemTable.Of([]).Rows);
        Assert.Empty(SemTable.Of([1.0]).Rows);
        Assert.Single(SemTable.Of([1.0, 2.0]).Rows);
    }

    [Fact]
    public void Text_layout_is_indexed_by_n()
    {
        string text = SemTable.Of([1.0, 2.0, 4.0]).ToString();
        string[] lines = text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("mean", lines[0].TrimStart(), StringComparison.Ordinal);
        Assert.StartsWith("2 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("3 ", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10.0, 2.0, 25)]
    [InlineData(7.1, 1.0, 51)]
    [InlineData(1.0, 5.0, 2)]
    public void Repeats_for_a_target_standard_error(double sd, double target, int expected) =>
        Assert.Equal(expected, SemTable.RepeatsFor(sd, target));
}
