using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// <see cref="Gemm"/> against a naive double-precision reference for every (m, k, n) drawn from sizes
/// around the vector widths and the register tile (0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64),
/// with and without accumulation. Rows up to 8 take the dot-product path of the transposed products, larger
/// ones the packed path. Inputs contain exact zeros (the skip branch) and
/// the output buffers carry guard values past the matrix that must stay untouched.
/// </summary>
public sealed class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64];
    private const int Guard = 5;
    private const float GuardValue = 12345f;

    public static TheoryData<int> RowCounts => new(Sizes);

    [Theory]
    [MemberData(nameof(RowCounts))]
    public void MatMul_MatchesReference(int m)
    {
        var random = new RandomGenerator(1000 + m);
        foreach (int k in Sizes)
        {
            foreach (int n in Sizes)
            {
                float[] a = Matrix(random, m * k), b = Matrix(random, k * n);
                foreach (bool accumulate in (bool[])[false, true])
                {
                    float[] c = Output(random, m * n);
                    double[] expected = Reference(c, accumulate, m, k, n, (i, kk) => a[i * k + kk], (kk, j) => b[kk * n + j], out double[] scale);
                    Gemm.MatMul(a, b, c, m, k, n, accumulate);
                    AssertMatches(expected, scale, c, $"MatMul m={m} k={k} n={n} accumulate={accumulate}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowCounts))]
    public void MatMulTransposeA_MatchesReference(int m)
    {
        var random = new RandomGenerator(2000 + m);
        foreach (int k in Sizes)
        {
            foreach (int n in Sizes)
            {
                float[] a = Matrix(random, m * k), b = Matrix(random, m * n);
                foreach (bool accumulate in (bool[])[false, true])
                {
                    float[] c = Output(random, k * n);
                    // C[k, n] = Aᵀ·B: row index kk of C runs over columns of A, inner index over rows of A.
                    double[] expected = Reference(c, accumulate, k, m, n, (kk, i) => a[i * k + kk], (i, j) => b[i * n + j], out double[] scale);
                    Gemm.MatMulTransposeA(a, b, c, m, k, n, accumulate);
                    AssertMatches(expected, scale, c, $"MatMulTransposeA m={m} k={k} n={n} accumulate={accumulate}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowCounts))]
    public void MatMulTransposeB_MatchesReference(int m)
    {
        var random = new RandomGenerator(3000 + m);
        foreach (int n in Sizes)
        {
            foreach (int p in Sizes)
            {
                float[] a = Matrix(random, m * n), b = Matrix(random, p * n);
                foreach (bool accumulate in (bool[])[false, true])
                {
                    float[] c = Output(random, m * p);
                    // C[m, p] = A·Bᵀ.
                    double[] expected = Reference(c, accumulate, m, n, p, (i, kk) => a[i * n + kk], (kk, j) => b[j * n + kk], out double[] scale);
                    Gemm.MatMulTransposeB(a, b, c, m, n, p, accumulate);
                    AssertMatches(expected, scale, c, $"MatMulTransposeB m={m} n={n} p={p} accumulate={accumulate}");
                }
            }
        }
    }

    [Fact]
    public void ShortSpans_AreRejected_WithTheNeededLength()
    {
        var a = new float[6];
        var e = Assert.Throws<ArgumentException>(() => Gemm.MatMul(a, new float[6], new float[3], 2, 3, 2, accumulate: false));
        Assert.Contains("needs 4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gemm.MatMulTransposeB(new float[9 * 4], new float[4 * 3], new float[9 * 4], 9, 4, 4, false));
        Assert.Throws<ArgumentException>(() => Gemm.MatMulTransposeA(new float[9 * 4], new float[9 * 2], new float[4 * 2 - 1], 9, 4, 2, false));
    }

    /// <summary>Values in [−1, 1) with about one in five exactly zero.</summary>
    private static float[] Matrix(RandomGenerator random, int size)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
            values[i] = random.NextInt(5) == 0 ? 0f : (float)random.NextUniform(-1, 1);
        return values;
    }

    /// <summary>A random output matrix followed by guard values.</summary>
    private static float[] Output(RandomGenerator random, int size)
    {
        var values = new float[size + Guard];
        for (int i = 0; i < size; i++)
            values[i] = (float)random.NextUniform(-1, 1);
        values.AsSpan(size).Fill(GuardValue);
        return values;
    }

    /// <summary>C0 (if accumulating) + Σ_k left(i, k)·right(k, j) in double, and Σ|terms| per element for the tolerance.</summary>
    private static double[] Reference(float[] c0, bool accumulate, int rows, int inner, int cols,
        Func<int, int, float> left, Func<int, int, float> right, out double[] scale)
    {
        var expected = new double[rows * cols];
        scale = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double sum = accumulate ? c0[i * cols + j] : 0, magnitude = Math.Abs(sum);
                for (int kk = 0; kk < inner; kk++)
                {
                    double term = (double)left(i, kk) * right(kk, j);
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                expected[i * cols + j] = sum;
                scale[i * cols + j] = magnitude;
            }
        }
        return expected;
    }

    private static void AssertMatches(double[] expected, double[] scale, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            // float32 summation error is bounded by about (terms)·2⁻²⁴·Σ|terms|; 64 terms at most here.
            double tolerance = 4e-6 * scale[i] + 1e-7;
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:G3}).");
        }
        AssertGuard(actual, expected.Length, what);
    }

    private static void AssertGuard(float[] buffer, int size, string what)
    {
        for (int i = size; i < buffer.Length; i++)
            Assert.True(buffer[i] == GuardValue, $"{what}: wrote past the matrix at index {i}.");
    }
}
