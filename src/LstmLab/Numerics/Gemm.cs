using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmLab.Numerics;

/// <summary>
/// Single-precision matrix multiplication on row-major, contiguous matrices:
/// <c>C (+)= op(A)·op(B)</c> with op the identity or the transpose.
/// <para>
/// Every product goes through one dispatcher that takes the instruction set of
/// <see cref="InstructionSet.Current"/> (AVX-512, AVX2 with FMA, or scalar code; by default the widest the
/// CPU has) and the cheapest path for the shape. The paths live in one file each: <c>Gemm.Sparse.cs</c>,
/// <c>Gemm.Blocked.cs</c> (blocking), <c>Gemm.Packing.cs</c>, <c>Gemm.Avx512.cs</c>, <c>Gemm.Avx2.cs</c> (micro-kernels and dot
/// products), <c>Gemm.Scalar.cs</c>:
/// </para>
/// <list type="bullet">
/// <item><b>Sparse A</b> (at most a quarter non-zero, e.g. one-hot inputs): <c>C[i,:] += A[i,k]·B[k,:]</c>
/// for the non-zero entries only, so a one-hot row costs one row of B.</item>
/// <item><b>Few rows times Bᵀ</b> (up to 8 rows against a transposed matrix): blocks of 4 × 4 dot products.</item>
/// <item><b>Everything else</b>: the blocked algorithm of GotoBLAS/BLIS. B is packed block by block
/// (<c>KC</c> × <c>NC</c>) into panels of <c>NR</c> columns, transposing on the way when op(B) = Bᵀ (or read
/// in place when it is small and row-major, or taken from a <see cref="PreparedMatrix"/> packed once for
/// many products); A is read in place, or packed into panels of <c>MR</c> interleaved rows when large (with
/// AVX2, whenever its panels each meet a few B slivers); a register-blocked micro-kernel computes an
/// <c>MR × NR</c> tile of C with fused multiply-adds: 8 × 32 with AVX-512 (16 zmm accumulators), 6 × 16 with
/// AVX2 (12 ymm accumulators; on packed panels a kernel whose addresses are all constant offsets, unrolled
/// four times). Ragged edges use masked loads and stores. A product that overwrites C starts its first
/// block of k from zero instead of clearing C first.</item>
/// </list>
/// <para>
/// On the blocked and the sparse path each element of C is one chain of fused multiply-adds over k in
/// ascending order, starting from C (or zero), so the result does not depend on blocking, packing or the
/// number of rows in the product (a batch gives the bits of its rows one at a time). Packing buffers
/// are per thread and reused: a product allocates nothing after the first call on a thread.
/// </para>
/// </summary>
public static unsafe partial class Gemm
{
    /// <summary>Up to this many rows, a product with a transposed B uses dot products rather than packing.</summary>
    private const int DotRows = 8;

    /// <summary>Sparse path only when at most 1/SparseFraction of A is non-zero.</summary>
    private const int SparseFraction = 4;

    /// <summary>
    /// A row-major B of at most this many floats against at most <see cref="DirectBMaxRows"/> rows of A (and
    /// any B against at most 2·MR rows) is read in place; otherwise it is packed block by block so that each
    /// block stays in cache and its panels are contiguous (read in place, the rows of a panel lie a row of B
    /// apart, a multiple of 4 KiB for the common widths, and all fall in the same few L1 sets).
    /// </summary>
    private const long DirectBLimit = 64 * 1024;

    /// <summary>From this many rows of A on, packing B costs under 2% of the product and always pays.</summary>
    private const int DirectBMaxRows = 48;

    /// <summary>C[m,n] = A[m,k]·B[k,n], or C += A·B when <paramref name="accumulate"/> is true.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        Check(a, m * k, nameof(a));
        Check(b, k * n, nameof(b));
        Check(c, m * n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, k, 1), new Operand(pb, n, 1), pc, n, m, k, n, !accumulate);
    }

    /// <summary>C[m,p] (+)= A[m,n]·B[p,n]ᵀ.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMulTransposeB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int p, bool accumulate)
    {
        Check(a, m * n, nameof(a));
        Check(b, p * n, nameof(b));
        Check(c, m * p, nameof(c));
        // op(B)[kk, j] = b[j·n + kk]: row stride 1, column stride n.
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, n, 1), new Operand(pb, 1, n), pc, p, m, n, p, !accumulate);
    }

    /// <summary>C[k,n] (+)= A[m,k]ᵀ·B[m,n].</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMulTransposeA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        Check(a, m * k, nameof(a));
        Check(b, m * n, nameof(b));
        Check(c, k * n, nameof(c));
        // op(A)[i, kk] = a[kk·k + i]: a k × m matrix with row stride 1 and column stride k.
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, 1, k), new Operand(pb, n, 1), pc, n, k, m, n, !accumulate);
    }

    /// <summary>
    /// sum += Σ_r rows[r] (each row <paramref name="width"/> wide), adding the rows in order as repeated
    /// <c>TensorPrimitives.Add</c> calls would (<see cref="RowSums"/>: rows streamed in groups, split by columns).
    /// </summary>
    internal static void AddRows(ReadOnlySpan<float> rows, Span<float> sum, int count, int width)
    {
        Check(rows, count * width, nameof(rows));
        Check(sum, width, nameof(sum));
        fixed (float* pr = rows, ps = sum)
            RowSums.Add(pr, ps, count, width);
    }

    /// <summary>
    /// C[m,n] (+)= A[m,k]·op(B) with a B prepared once by <see cref="PreparedMatrix.Prepare"/>, for many
    /// products with the same B (the recurrent kernel across the time steps of a batch).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    internal static void MatMul(ReadOnlySpan<float> a, PreparedMatrix b, Span<float> c, int m, bool accumulate)
    {
        int k = b.K, n = b.N;
        Check(a, m * k, nameof(a));
        Check(c, m * n, nameof(c));
        bool overwrite = !accumulate && b.Isa != Isa.Scalar && m > 0 && n > 0 && k > 0;
        if (!accumulate && !overwrite)
            c[..(m * n)].Clear();
        if (m == 0 || n == 0 || k == 0)
            return;
        fixed (float* pa = a, pc = c, pb = b.Buffer)
        {
            float* data = Aligned(pb);
            var lhs = new Lhs(new Operand(pa, k, 1), pc, n, m, overwrite);
            if (b.Isa == Isa.Scalar)
                Run(Path.Scalar, b.Isa, lhs, default, new Operand(data, n, 1), null, 0, k, n, packB: false);
            else
                Run(Path.Panel, b.Isa, lhs, default, default, data, k, k, n, packB: false);
        }
    }

    /// <summary>
    /// C1[k1,n] += A1[m,k1]ᵀ·B[m,n] and C2[k2,n] += A2[m,k2]ᵀ·B[m,n]: two products with one B (an LSTM's
    /// kernel and recurrent-kernel gradients share dZ), so that a large B is packed once for both.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    internal static void MatMulTransposeA2(ReadOnlySpan<float> a1, int k1, Span<float> c1, ReadOnlySpan<float> a2, int k2, Span<float> c2,
        ReadOnlySpan<float> b, int m, int n)
    {
        Check(a1, m * k1, nameof(a1));
        Check(a2, m * k2, nameof(a2));
        Check(b, m * n, nameof(b));
        Check(c1, k1 * n, nameof(c1));
        Check(c2, k2 * n, nameof(c2));
        Isa isa = InstructionSet.Current;
        bool shared = isa != Isa.Scalar && m > 0 && n > 0 && k1 > 0 && k2 > 0 && (long)m * n > DirectBLimit;
        fixed (float* p1 = a1, p2 = a2, pb = b, q1 = c1, q2 = c2)
        {
            Operand op1 = new(p1, 1, k1), op2 = new(p2, 1, k2), opB = new(pb, n, 1);
            if (!shared || IsSparse(op1, k1, m) || IsSparse(op2, k2, m))
            {
                Product(op1, opB, q1, n, k1, m, n, false);
                Product(op2, opB, q2, n, k2, m, n, false);
                return;
            }
            Run(Path.Panel, isa, new Lhs(op1, q1, n, k1, false), new Lhs(op2, q2, n, k2, false), opB, null, 0, m, n, packB: true);
        }
    }

    /// <summary>Element (i, j) of op(M) is <c>P[i·RowStride + j·ColStride]</c>.</summary>
    private readonly struct Operand(float* p, nint rowStride, nint colStride)
    {
        public readonly float* P = p;
        public readonly nint RowStride = rowStride;
        public readonly nint ColStride = colStride;
    }

    /// <summary>
    /// C[m,n] += op(A)[m,k]·op(B)[k,n], or C = op(A)·op(B) when <paramref name="overwrite"/>, C with row stride
    /// <paramref name="ldc"/>: picks the path. The blocked path overwrites C itself (its first block of k
    /// starts from zero rather than from a cleared C, which gives the same bits without a pass over C);
    /// the others add into a C cleared first.
    /// </summary>
    private static void Product(Operand a, Operand b, float* c, nint ldc, int m, int k, int n, bool overwrite)
    {
        if (m == 0 || n == 0)
            return;
        Isa isa = InstructionSet.Current;
        bool bRowMajor = b.ColStride == 1;
        Path path = isa == Isa.Scalar || k == 0 ? Path.Scalar
            : bRowMajor && n >= 8 && IsSparse(a, m, k) ? Path.Sparse
            : !bRowMajor && m <= DotRows && a.ColStride == 1 ? Path.Dot
            : Path.Panel;
        if (overwrite && path != Path.Panel)
        {
            for (int i = 0; i < m; i++)
                new Span<float>(c + i * ldc, n).Clear();
        }
        if (k == 0)
            return;
        var lhs = new Lhs(a, c, ldc, m, overwrite && path == Path.Panel);
        bool direct = bRowMajor && (m <= 2 * TileRows(isa) || ((long)k * n <= DirectBLimit && m <= DirectBMaxRows));
        Run(path, isa, lhs, default, b, null, 0, k, n, packB: path == Path.Panel && !direct);
    }

    /// <summary>
    /// C[i,j] += Σ_kk A[i,kk]·op(B)[kk,j] for a few rows of a row-major A and a transposed B
    /// (op(B)[kk,j] = P[j·ColStride + kk]): blocks of up to 4 rows × 4 columns of C, each element one
    /// vector of partial sums along kk, reduced once at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotProduct(Isa isa, Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
    {
        int blockRows = isa == Isa.Avx512 ? 4 : 2;
        for (int i = 0; i < m; i += blockRows)
        {
            int rows = Math.Min(blockRows, m - i);
            float* ai = a.P + i * a.RowStride;
            for (int j = 0; j < n; j += 4)
            {
                int cols = Math.Min(4, n - j);
                float* bj = b.P + j * b.ColStride;
                float* cij = c + i * ldc + j;
                if (isa == Isa.Avx512)
                {
                    switch (rows)
                    {
                        case 4: DotBlock512<Rows4>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc); break;
                        case 3: DotBlock512<Rows3>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc); break;
                        case 2: DotBlock512<Rows2>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc); break;
                        default: DotBlock512<Rows1>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc); break;
                    }
                }
                else if (rows == 2)
                {
                    DotBlock256<Rows2>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc);
                }
                else
                {
                    DotBlock256<Rows1>(ai, a.RowStride, bj, b.ColStride, cols, k, cij, ldc);
                }
            }
        }
    }

    /// <summary>The first 64-byte aligned element of a buffer allocated with 16 floats of slack.</summary>
    private static float* Aligned(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>A pinned buffer of at least <paramref name="floats"/> floats (grown when needed), 64-byte aligned.</summary>
    private static float* Buffer(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + 16)
            buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        return Aligned((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)));
    }

    private static void Check(ReadOnlySpan<float> span, int needed, string name)
    {
        if (span.Length < needed)
            throw new ArgumentException($"Span '{name}' holds {span.Length} floats but the product needs {needed}.", name);
    }

    /// <summary>A row count known when the kernel is compiled, so unused accumulators vanish.</summary>
    private interface IRowCount
    {
        static abstract int Value { get; }
    }

    private readonly struct Rows1 : IRowCount { public static int Value => 1; }

    private readonly struct Rows2 : IRowCount { public static int Value => 2; }

    private readonly struct Rows3 : IRowCount { public static int Value => 3; }

    private readonly struct Rows4 : IRowCount { public static int Value => 4; }

    private readonly struct Rows5 : IRowCount { public static int Value => 5; }

    private readonly struct Rows6 : IRowCount { public static int Value => 6; }

    private readonly struct Rows7 : IRowCount { public static int Value => 7; }

    private readonly struct Rows8 : IRowCount { public static int Value => 8; }
}
