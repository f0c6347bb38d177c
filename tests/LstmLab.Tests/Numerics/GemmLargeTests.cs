using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// <see cref="Gemm"/> on shapes that cross its blocking (KC = 256 columns of A; NC = 512 columns of B and
/// 128 rows of A per block on AVX-512; KC = 384, NC = 4080 and 144 rows on AVX2; 8 × 32 and 6 × 16 micro-tiles) and ragged edges, on every instruction set
/// this machine can run (forced per thread): AVX-512 (emulated in software where the CPU lacks it), AVX2 and scalar. Also the sparse path (one-hot inputs),
/// the prepared right-hand matrix the LSTM reuses across time steps, and determinism. Each result is
/// compared with a double-precision reference within a bound on float32 summation error.
/// </summary>
public sealed class GemmLargeTests
{
    private const int Guard = 7;
    private const float GuardValue = -9876f;

    /// <summary>(m, k, n): blocks of k and n, ragged tiles, single rows and columns.</summary>
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (130, 300, 530),
        (64, 256, 1024),
        (1, 700, 33),
        (9, 257, 47),
        (13, 5, 3),
        (7, 64, 17),
        (290, 400, 40),
        (150, 20, 4100),
    ];

    public static TheoryData<string> InstructionSets() => IsaPaths.Runnable();

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void MatMul_MatchesReference_AcrossBlocks(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(11);
            foreach ((int m, int k, int n) in Shapes)
            {
                float[] a = Dense(random, m * k), b = Dense(random, k * n);
                foreach (bool accumulate in (bool[])[false, true])
                {
                    float[] c = Output(random, m * n);
                    double[] expected = Reference(c, accumulate, m, k, n, (i, kk) => a[i * k + kk], (kk, j) => b[kk * n + j], out double[] bound);
                    Gemm.MatMul(a, b, c, m, k, n, accumulate);
                    AssertMatches(expected, bound, c, $"MatMul {isa} m={m} k={k} n={n} accumulate={accumulate}");
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void MatMulTransposeA_MatchesReference_AcrossBlocks(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(12);
            foreach ((int m, int k, int n) in Shapes)
            {
                // C[k, n] = A[m, k]ᵀ·B[m, n]: the inner dimension is m.
                float[] a = Dense(random, m * k), b = Dense(random, m * n);
                float[] c = Output(random, k * n);
                double[] expected = Reference(c, true, k, m, n, (i, r) => a[r * k + i], (r, j) => b[r * n + j], out double[] bound);
                Gemm.MatMulTransposeA(a, b, c, m, k, n, accumulate: true);
                AssertMatches(expected, bound, c, $"MatMulTransposeA {isa} m={m} k={k} n={n}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void MatMulTransposeB_MatchesReference_AcrossBlocks(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(13);
            foreach ((int m, int n, int p) in Shapes)
            {
                // C[m, p] = A[m, n]·B[p, n]ᵀ: the inner dimension is n.
                float[] a = Dense(random, m * n), b = Dense(random, p * n);
                float[] c = Output(random, m * p);
                double[] expected = Reference(c, false, m, n, p, (i, kk) => a[i * n + kk], (kk, j) => b[j * n + kk], out double[] bound);
                Gemm.MatMulTransposeB(a, b, c, m, n, p, accumulate: false);
                AssertMatches(expected, bound, c, $"MatMulTransposeB {isa} m={m} n={n} p={p}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void OneHotInputs_TakeTheSparsePath_AndMatchReference(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(14);
            const int rows = 25, classes = 100, width = 200;
            var x = new float[rows * classes];
            for (int r = 0; r < rows; r++)
                x[r * classes + random.NextInt(classes)] = 1f;
            float[] w = Dense(random, classes * width), dz = Dense(random, rows * width);

            float[] gates = Output(random, rows * width);
            double[] expected = Reference(gates, true, rows, classes, width, (i, kk) => x[i * classes + kk], (kk, j) => w[kk * width + j], out double[] bound);
            Gemm.MatMul(x, w, gates, rows, classes, width, accumulate: true);
            AssertMatches(expected, bound, gates, $"one-hot MatMul {isa}");

            float[] grad = Output(random, classes * width);
            expected = Reference(grad, true, classes, rows, width, (i, r) => x[r * classes + i], (r, j) => dz[r * width + j], out bound);
            Gemm.MatMulTransposeA(x, dz, grad, rows, classes, width, accumulate: true);
            AssertMatches(expected, bound, grad, $"one-hot MatMulTransposeA {isa}");
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void PreparedMatrix_GivesTheSameBitsAsMatMul(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(15);
            var prepared = new PreparedMatrix();
            foreach ((int m, int k, int n) in Shapes)
            {
                float[] a = Dense(random, m * k), b = Dense(random, k * n), bt = new float[k * n];
                Transpose(b, bt, k, n);
                float[] c0 = Output(random, m * n);
                float[] direct = (float[])c0.Clone(), fromB = (float[])c0.Clone(), fromBt = (float[])c0.Clone();
                Gemm.MatMul(a, b, direct, m, k, n, accumulate: true);

                prepared.Prepare(b, k, n, transposed: false);
                Gemm.MatMul(a, prepared, fromB, m, accumulate: true);
                prepared.Prepare(bt, k, n, transposed: true);
                Gemm.MatMul(a, prepared, fromBt, m, accumulate: true);

                // Every path sums each element as one ascending chain of fused multiply-adds.
                Assert.Equal(direct, fromB);
                Assert.Equal(direct, fromBt);
            }
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void TwoTransposedProductsSharingB_GiveTheBitsOfSeparateProducts(string isa)
    {
        OnIsa(isa, () =>
        {
            var random = new RandomGenerator(17);
            // (m, k1, k2, n): B = m × n large enough to be packed once for both, and a small one.
            foreach ((int m, int k1, int k2, int n) in ((int, int, int, int)[])[(600, 64, 200, 300), (300, 9, 70, 530), (25, 100, 50, 200)])
            {
                float[] a1 = Dense(random, m * k1), a2 = Dense(random, m * k2), b = Dense(random, m * n);
                float[] c1 = Output(random, k1 * n), c2 = Output(random, k2 * n);
                float[] e1 = (float[])c1.Clone(), e2 = (float[])c2.Clone();
                Gemm.MatMulTransposeA2(a1, k1, c1, a2, k2, c2, b, m, n);
                Gemm.MatMulTransposeA(a1, b, e1, m, k1, n, accumulate: true);
                Gemm.MatMulTransposeA(a2, b, e2, m, k2, n, accumulate: true);
                Assert.Equal(e1, c1);
                Assert.Equal(e2, c2);
            }
        });
    }

    [Fact]
    public void RepeatedProducts_AreBitIdentical()
    {
        var random = new RandomGenerator(16);
        const int m = 70, k = 300, n = 600;
        float[] a = Dense(random, m * k), b = Dense(random, k * n);
        float[] first = new float[m * n], second = new float[m * n];
        Gemm.MatMul(a, b, first, m, k, n, accumulate: false);
        Gemm.MatMul(a, b, second, m, k, n, accumulate: false);
        Assert.Equal(first, second);
    }

    private static void OnIsa(string isa, Action body) => IsaPaths.On(isa, body);

    /// <summary>dst[cols, rows] = src[rows, cols]ᵀ.</summary>
    private static void Transpose(float[] src, float[] dst, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = src[i * cols + j];
        }
    }

    /// <summary>Values in [−1, 1) with about one in ten exactly zero (not sparse enough for the sparse path).</summary>
    private static float[] Dense(RandomGenerator random, int size)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
            values[i] = random.NextInt(10) == 0 ? 0f : (float)random.NextUniform(-1, 1);
        return values;
    }

    private static float[] Output(RandomGenerator random, int size)
    {
        var values = new float[size + Guard];
        for (int i = 0; i < size; i++)
            values[i] = (float)random.NextUniform(-1, 1);
        values.AsSpan(size).Fill(GuardValue);
        return values;
    }

    /// <summary>
    /// C0 (if accumulating) + Σ left·right in double, and for each element a bound on float32 summation
    /// error: (terms + 2)·2⁻²⁴·Σ|terms| (plus a small absolute floor).
    /// </summary>
    private static double[] Reference(float[] c0, bool accumulate, int rows, int inner, int cols,
        Func<int, int, float> left, Func<int, int, float> right, out double[] bound)
    {
        var expected = new double[rows * cols];
        bound = new double[rows * cols];
        var leftRow = new double[inner];
        for (int i = 0; i < rows; i++)
        {
            for (int kk = 0; kk < inner; kk++)
                leftRow[kk] = left(i, kk);
            for (int j = 0; j < cols; j++)
            {
                double sum = accumulate ? c0[i * cols + j] : 0, magnitude = Math.Abs(sum);
                for (int kk = 0; kk < inner; kk++)
                {
                    double term = leftRow[kk] * right(kk, j);
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                expected[i * cols + j] = sum;
                bound[i * cols + j] = (inner + 2) * Math.Pow(2, -24) * magnitude + 1e-7;
            }
        }
        return expected;
    }

    private static void AssertMatches(double[] expected, double[] bound, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= bound[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (bound {bound[i]:G3}).");
        }
        for (int i = expected.Length; i < actual.Length; i++)
            Assert.True(actual[i] == GuardValue, $"{what}: wrote past the matrix at index {i}.");
    }
}
