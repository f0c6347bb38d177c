using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

/// <summary>
/// Single-precision matrix multiplication on row-major, contiguous matrices:
/// <c>C (+)= op(A)·op(B)</c> with op the identity or the transpose.
/// <para>
/// Every product goes through one dispatcher that picks, at run time, the widest instruction set
/// the CPU has (AVX-512, else AVX2 with FMA, else scalar code) and the cheapest path for the shape:
/// </para>
/// <list type="bullet">
/// <item><b>Sparse A</b> (at most a quarter non-zero, e.g. one-hot inputs): <c>C[i,:] += A[i,k]·B[k,:]</c>
/// for the non-zero entries only, so a one-hot row costs one row of B.</item>
/// <item><b>Few rows times Bᵀ</b> (up to 8 rows against a transposed matrix): blocks of 4 × 4 dot products.</item>
/// <item><b>Everything else</b>: the blocked algorithm of GotoBLAS/BLIS. B is packed block by block
/// (<c>KC</c> × <c>NC</c>) into panels of <c>NR</c> columns, transposing on the way when op(B) = Bᵀ (or read
/// in place when it is small and row-major, or taken from a <see cref="PreparedMatrix"/> packed once for
/// many products); A is read in place, or packed into panels of <c>MR</c> interleaved rows when large; a
/// register-blocked micro-kernel computes an <c>MR × NR</c> tile of C with fused multiply-adds: 8 × 32
/// with AVX-512 (16 zmm accumulators), 6 × 16 with AVX2 (12 ymm accumulators). Ragged edges use masked
/// loads and stores.</item>
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
    /// <summary>The instruction set a product runs with.</summary>
    internal enum Isa
    {
        /// <summary>Plain scalar loops (no AVX2/FMA).</summary>
        Scalar,
        /// <summary>256-bit vectors with FMA3.</summary>
        Avx2,
        /// <summary>512-bit vectors.</summary>
        Avx512,
    }

    /// <summary>The best instruction set of this CPU, chosen once.</summary>
    internal static readonly Isa DetectedIsa =
        Avx512F.IsSupported ? Isa.Avx512 : Avx2.IsSupported && Fma.IsSupported ? Isa.Avx2 : Isa.Scalar;

    [ThreadStatic]
    private static Isa? t_forcedIsa;

    // Set once any thread forces an instruction set, so that normally no thread-local read is needed.
    private static volatile bool s_anyForced;

    /// <summary>
    /// Forces a narrower instruction set on the calling thread only (tests use it to exercise every
    /// path on one machine); null restores the detected one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The CPU does not have the requested instruction set.</exception>
    internal static Isa? ForcedIsa
    {
        get => t_forcedIsa;
        set
        {
            if (value > DetectedIsa)
                throw new ArgumentOutOfRangeException(nameof(value), $"This CPU supports {DetectedIsa} at most, not {value}.");
            t_forcedIsa = value;
            if (value is not null)
                s_anyForced = true;
        }
    }

    /// <summary>The instruction set products on this thread use.</summary>
    internal static Isa CurrentIsa => s_anyForced ? t_forcedIsa ?? DetectedIsa : DetectedIsa;

    /// <summary>Up to this many rows the transposed products accept an empty scratch span.</summary>
    private const int ScratchFreeRows = 8;

    /// <summary>Up to this many rows, a product with a transposed B uses dot products rather than packing.</summary>
    private const int DotRows = 8;

    /// <summary>Sparse path only when at most 1/SparseFraction of A is non-zero.</summary>
    private const int SparseFraction = 4;

    /// <summary>
    /// A row-major B of at most this many floats (and any B against at most 2·MR rows of A) is read in
    /// place; larger ones are packed block by block so that each block stays in cache.
    /// </summary>
    private const long DirectBLimit = 64 * 1024;

    /// <summary>C[m,n] = A[m,k]·B[k,n], or C += A·B when <paramref name="accumulate"/> is true.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        Check(a, m * k, nameof(a));
        Check(b, k * n, nameof(b));
        Check(c, m * n, nameof(c));
        if (!accumulate)
            c[..(m * n)].Clear();
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, k, 1), new Operand(pb, n, 1), pc, n, m, k, n);
    }

    /// <summary>
    /// C[m,p] (+)= A[m,n]·B[p,n]ᵀ. <paramref name="scratch"/> must hold p·n floats when m is above 8
    /// (the contract of the first version, which transposed B into it); it may
    /// be empty otherwise. The product itself now packs into per-thread buffers and leaves scratch untouched.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMulTransposeB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int p, bool accumulate, Span<float> scratch)
    {
        Check(a, m * n, nameof(a));
        Check(b, p * n, nameof(b));
        Check(c, m * p, nameof(c));
        if (m > ScratchFreeRows)
            Check(scratch, p * n, nameof(scratch));
        if (!accumulate)
            c[..(m * p)].Clear();
        // op(B)[kk, j] = b[j·n + kk]: row stride 1, column stride n.
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, n, 1), new Operand(pb, 1, n), pc, p, m, n, p);
    }

    /// <summary>
    /// C[k,n] (+)= A[m,k]ᵀ·B[m,n]. <paramref name="scratch"/> must hold m·k floats when m is above 8
    /// (the contract of the first version, which transposed A into it); it may
    /// be empty otherwise. The product itself now packs into per-thread buffers and leaves scratch untouched.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMulTransposeA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, Span<float> scratch)
    {
        Check(a, m * k, nameof(a));
        Check(b, m * n, nameof(b));
        Check(c, k * n, nameof(c));
        if (m > ScratchFreeRows)
            Check(scratch, m * k, nameof(scratch));
        if (!accumulate)
            c[..(k * n)].Clear();
        // op(A)[i, kk] = a[kk·k + i]: a k × m matrix with row stride 1 and column stride k.
        fixed (float* pa = a, pb = b, pc = c)
            Product(new Operand(pa, 1, k), new Operand(pb, n, 1), pc, n, k, m, n);
    }

    /// <summary>dst[cols, rows] = src[rows, cols]ᵀ.</summary>
    public static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        Check(src, rows * cols, nameof(src));
        Check(dst, rows * cols, nameof(dst));
        const int Block = 16;
        for (int i0 = 0; i0 < rows; i0 += Block)
        {
            int i1 = Math.Min(i0 + Block, rows);
            for (int j0 = 0; j0 < cols; j0 += Block)
            {
                int j1 = Math.Min(j0 + Block, cols);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                        dst[j * rows + i] = src[i * cols + j];
                }
            }
        }
    }

    /// <summary>y += s·x.</summary>
    public static void Axpy(float s, ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.MultiplyAdd(x, s, y, y);

    /// <summary>
    /// sum += Σ_r rows[r] (each row <paramref name="width"/> wide), adding the rows in order as repeated
    /// <c>TensorPrimitives.Add</c> calls would, but a block of sums at a time in registers.
    /// </summary>
    internal static void AddRows(ReadOnlySpan<float> rows, Span<float> sum, int count, int width)
    {
        int j = 0;
        for (; j + Vector256<float>.Count <= width; j += Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256.Create(sum.Slice(j, Vector256<float>.Count));
            for (int r = 0; r < count; r++)
                acc += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rows), (nuint)(r * width + j));
            acc.CopyTo(sum.Slice(j));
        }
        for (; j < width; j++)
        {
            float acc = sum[j];
            for (int r = 0; r < count; r++)
                acc += rows[r * width + j];
            sum[j] = acc;
        }
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
        if (!accumulate)
            c[..(m * n)].Clear();
        if (m == 0 || n == 0 || k == 0)
            return;
        fixed (float* pa = a, pc = c, pb = b.Buffer)
        {
            float* data = Aligned(pb);
            if (b.Isa == Isa.Scalar)
                ScalarProduct(new Operand(pa, k, 1), new Operand(data, n, 1), pc, n, m, k, n);
            else
                PanelProduct(b.Isa, new Operand(pa, k, 1), default, data, k, pc, n, m, k, n, packB: false);
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
        Isa isa = CurrentIsa;
        bool shared = isa != Isa.Scalar && m > 0 && n > 0 && k1 > 0 && k2 > 0 && (long)m * n > DirectBLimit;
        fixed (float* p1 = a1, p2 = a2, pb = b, q1 = c1, q2 = c2)
        {
            Operand op1 = new(p1, 1, k1), op2 = new(p2, 1, k2), opB = new(pb, n, 1);
            if (!shared || IsSparse(op1, k1, m) || IsSparse(op2, k2, m))
            {
                Product(op1, opB, q1, n, k1, m, n);
                Product(op2, opB, q2, n, k2, m, n);
                return;
            }
            PanelProduct(isa, new Lhs(op1, q1, n, k1), new Lhs(op2, q2, n, k2), opB, null, 0, m, n, packB: true);
        }
    }

    /// <summary>Element (i, j) of op(M) is <c>P[i·RowStride + j·ColStride]</c>.</summary>
    private readonly struct Operand(float* p, nint rowStride, nint colStride)
    {
        public readonly float* P = p;
        public readonly nint RowStride = rowStride;
        public readonly nint ColStride = colStride;
    }

    /// <summary>C[m,n] += op(A)[m,k]·op(B)[k,n], C with row stride <paramref name="ldc"/>: picks the path.</summary>
    private static void Product(Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
    {
        if (m == 0 || n == 0 || k == 0)
            return;
        Isa isa = CurrentIsa;
        if (isa == Isa.Scalar)
        {
            ScalarProduct(a, b, c, ldc, m, k, n);
            return;
        }
        bool bRowMajor = b.ColStride == 1;
        if (bRowMajor && n >= 8 && IsSparse(a, m, k))
        {
            SparseProduct(isa, a, b, c, ldc, m, k, n);
            return;
        }
        if (!bRowMajor && m <= DotRows && a.ColStride == 1)
        {
            DotProduct(isa, a, b, c, ldc, m, k, n);
            return;
        }
        bool direct = bRowMajor && (m <= 2 * TileRows(isa) || (long)k * n <= DirectBLimit);
        PanelProduct(isa, a, b, null, 0, c, ldc, m, k, n, packB: !direct);
    }

    /// <summary>Plain loops for CPUs without AVX2/FMA: C[i,:] += A[i,kk]·op(B)[kk,:], zero multipliers skipped.</summary>
    private static void ScalarProduct(Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            for (int kk = 0; kk < k; kk++)
            {
                float s = a.P[i * a.RowStride + kk * a.ColStride];
                if (s == 0f)
                    continue;
                float* bk = b.P + kk * b.RowStride;
                for (int j = 0; j < n; j++)
                    row[j] += s * bk[j * b.ColStride];
            }
        }
    }

    /// <summary>Whether at most 1/<see cref="SparseFraction"/> of op(A)'s entries are non-zero (stops counting early).</summary>
    private static bool IsSparse(Operand a, int m, int k)
    {
        long limit = (long)m * k / SparseFraction;
        long count = 0;
        // Walk the storage along its contiguous direction.
        (int lines, int length, nint lineStride) = a.ColStride == 1 ? (m, k, a.RowStride) : (k, m, a.ColStride);
        if (a.ColStride != 1 && a.RowStride != 1)
            return false;
        for (int line = 0; line < lines; line++)
        {
            count += CountNonZero(a.P + line * lineStride, length);
            if (count > limit)
                return false;
        }
        return true;
    }

    private static int CountNonZero(float* p, int length)
    {
        int count = 0, j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= length; j += Vector512<float>.Count)
                count += BitOperations.PopCount(~Vector512.Equals(Vector512.Load(p + j), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFFu);
        }
        for (; j + Vector256<float>.Count <= length; j += Vector256<float>.Count)
            count += BitOperations.PopCount(~Vector256.Equals(Vector256.Load(p + j), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu);
        for (; j < length; j++)
        {
            if (p[j] != 0f)
                count++;
        }
        return count;
    }

    /// <summary>
    /// C[i,:] += op(A)[i,kk]·B[kk,:] for the non-zero entries of A only, visited in A's storage order;
    /// for each element of C the terms still come in ascending kk.
    /// </summary>
    private static void SparseProduct(Isa isa, Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
    {
        bool rowMajor = a.ColStride == 1;
        (int lines, int length, nint lineStride) = rowMajor ? (m, k, a.RowStride) : (k, m, a.ColStride);
        for (int line = 0; line < lines; line++)
        {
            float* p = a.P + line * lineStride;
            int j = 0;
            if (isa == Isa.Avx512)
            {
                for (; j + Vector512<float>.Count <= length; j += Vector512<float>.Count)
                {
                    ulong nonZero = ~Vector512.Equals(Vector512.Load(p + j), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFFu;
                    while (nonZero != 0)
                    {
                        int e = j + BitOperations.TrailingZeroCount(nonZero);
                        nonZero &= nonZero - 1;
                        (int i, int kk) = rowMajor ? (line, e) : (e, line);
                        AxpyRow(isa, p[e], b.P + kk * b.RowStride, c + i * ldc, n);
                    }
                }
            }
            for (; j + Vector256<float>.Count <= length; j += Vector256<float>.Count)
            {
                uint nonZero = ~Vector256.Equals(Vector256.Load(p + j), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                while (nonZero != 0)
                {
                    int e = j + BitOperations.TrailingZeroCount(nonZero);
                    nonZero &= nonZero - 1;
                    (int i, int kk) = rowMajor ? (line, e) : (e, line);
                    AxpyRow(isa, p[e], b.P + kk * b.RowStride, c + i * ldc, n);
                }
            }
            for (; j < length; j++)
            {
                if (p[j] == 0f)
                    continue;
                (int i, int kk) = rowMajor ? (line, j) : (j, line);
                AxpyRow(isa, p[j], b.P + kk * b.RowStride, c + i * ldc, n);
            }
        }
    }

    /// <summary>y[0..n) += s·x[0..n) with fused multiply-adds.</summary>
    private static void AxpyRow(Isa isa, float s, float* x, float* y, int n)
    {
        int j = 0;
        if (isa == Isa.Avx512)
        {
            var sv = Vector512.Create(s);
            for (; j + 16 <= n; j += 16)
                Vector512.FusedMultiplyAdd(sv, Vector512.Load(x + j), Vector512.Load(y + j)).Store(y + j);
            if (j < n)
            {
                Vector512<float> mask = Mask512(n - j);
                Avx512F.MaskStore(y + j, mask, Vector512.FusedMultiplyAdd(sv, Avx512F.MaskLoad(x + j, mask, default), Avx512F.MaskLoad(y + j, mask, default)));
            }
            return;
        }
        var s8 = Vector256.Create(s);
        for (; j + 8 <= n; j += 8)
            Vector256.FusedMultiplyAdd(s8, Vector256.Load(x + j), Vector256.Load(y + j)).Store(y + j);
        for (; j < n; j++)
            y[j] = MathF.FusedMultiplyAdd(s, x[j], y[j]);
    }

    /// <summary>
    /// C[i,j] += Σ_kk A[i,kk]·op(B)[kk,j] for a few rows of a row-major A and a transposed B
    /// (op(B)[kk,j] = P[j·ColStride + kk]): blocks of up to 4 rows × 4 columns of C, each element one
    /// vector of partial sums along kk, reduced once at the end.
    /// </summary>
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

    /// <summary>
    /// C[r, q] += a_r · b_q for r &lt; R (<typeparamref name="TRows"/>) rows a_r = a + r·lda and q &lt; cols ≤ 4
    /// vectors b_q = b + q·ldb, all of length k. Missing columns re-read b_0 and are not stored.
    /// </summary>
    private static void DotBlock512<TRows>(float* a, nint lda, float* b, nint ldb, int cols, int k, float* c, nint ldc)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value;
        float* b0 = b, b1 = cols > 1 ? b + ldb : b, b2 = cols > 2 ? b + 2 * ldb : b, b3 = cols > 3 ? b + 3 * ldb : b;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int kk = 0;
        Vector512<float> mask = Vector512<float>.AllBitsSet;
        while (kk < k)
        {
            Vector512<float> x0, x1, x2, x3, y;
            if (kk + 16 <= k)
            {
                x0 = Vector512.Load(b0 + kk); x1 = Vector512.Load(b1 + kk); x2 = Vector512.Load(b2 + kk); x3 = Vector512.Load(b3 + kk);
                y = Vector512.Load(a0 + kk);
            }
            else
            {
                mask = Mask512(k - kk);
                x0 = Avx512F.MaskLoad(b0 + kk, mask, default); x1 = Avx512F.MaskLoad(b1 + kk, mask, default);
                x2 = Avx512F.MaskLoad(b2 + kk, mask, default); x3 = Avx512F.MaskLoad(b3 + kk, mask, default);
                y = Avx512F.MaskLoad(a0 + kk, mask, default);
            }
            s00 = Vector512.FusedMultiplyAdd(y, x0, s00); s01 = Vector512.FusedMultiplyAdd(y, x1, s01);
            s02 = Vector512.FusedMultiplyAdd(y, x2, s02); s03 = Vector512.FusedMultiplyAdd(y, x3, s03);
            if (rows > 1)
            {
                y = kk + 16 <= k ? Vector512.Load(a1 + kk) : Avx512F.MaskLoad(a1 + kk, mask, default);
                s10 = Vector512.FusedMultiplyAdd(y, x0, s10); s11 = Vector512.FusedMultiplyAdd(y, x1, s11);
                s12 = Vector512.FusedMultiplyAdd(y, x2, s12); s13 = Vector512.FusedMultiplyAdd(y, x3, s13);
            }
            if (rows > 2)
            {
                y = kk + 16 <= k ? Vector512.Load(a2 + kk) : Avx512F.MaskLoad(a2 + kk, mask, default);
                s20 = Vector512.FusedMultiplyAdd(y, x0, s20); s21 = Vector512.FusedMultiplyAdd(y, x1, s21);
                s22 = Vector512.FusedMultiplyAdd(y, x2, s22); s23 = Vector512.FusedMultiplyAdd(y, x3, s23);
            }
            if (rows > 3)
            {
                y = kk + 16 <= k ? Vector512.Load(a3 + kk) : Avx512F.MaskLoad(a3 + kk, mask, default);
                s30 = Vector512.FusedMultiplyAdd(y, x0, s30); s31 = Vector512.FusedMultiplyAdd(y, x1, s31);
                s32 = Vector512.FusedMultiplyAdd(y, x2, s32); s33 = Vector512.FusedMultiplyAdd(y, x3, s33);
            }
            kk += 16;
        }
        AddSums(c, cols, s00, s01, s02, s03);
        if (rows > 1)
            AddSums(c + ldc, cols, s10, s11, s12, s13);
        if (rows > 2)
            AddSums(c + 2 * ldc, cols, s20, s21, s22, s23);
        if (rows > 3)
            AddSums(c + 3 * ldc, cols, s30, s31, s32, s33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSums(float* c, int cols, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
    {
        c[0] += Vector512.Sum(s0);
        if (cols > 1)
            c[1] += Vector512.Sum(s1);
        if (cols > 2)
            c[2] += Vector512.Sum(s2);
        if (cols > 3)
            c[3] += Vector512.Sum(s3);
    }

    /// <summary>The AVX2 form of <see cref="DotBlock512{TRows}"/>, for up to 2 rows (16 ymm registers).</summary>
    private static void DotBlock256<TRows>(float* a, nint lda, float* b, nint ldb, int cols, int k, float* c, nint ldc)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value;
        float* b0 = b, b1 = cols > 1 ? b + ldb : b, b2 = cols > 2 ? b + 2 * ldb : b, b3 = cols > 3 ? b + 3 * ldb : b;
        float* a0 = a, a1 = a + lda;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        int kk = 0;
        for (; kk < k; kk += 8)
        {
            Vector256<float> mask = Mask256(k - kk);
            bool whole = kk + 8 <= k;
            Vector256<float> x0 = whole ? Vector256.Load(b0 + kk) : Avx.MaskLoad(b0 + kk, mask);
            Vector256<float> x1 = whole ? Vector256.Load(b1 + kk) : Avx.MaskLoad(b1 + kk, mask);
            Vector256<float> x2 = whole ? Vector256.Load(b2 + kk) : Avx.MaskLoad(b2 + kk, mask);
            Vector256<float> x3 = whole ? Vector256.Load(b3 + kk) : Avx.MaskLoad(b3 + kk, mask);
            Vector256<float> y = whole ? Vector256.Load(a0 + kk) : Avx.MaskLoad(a0 + kk, mask);
            s00 = Vector256.FusedMultiplyAdd(y, x0, s00); s01 = Vector256.FusedMultiplyAdd(y, x1, s01);
            s02 = Vector256.FusedMultiplyAdd(y, x2, s02); s03 = Vector256.FusedMultiplyAdd(y, x3, s03);
            if (rows > 1)
            {
                y = whole ? Vector256.Load(a1 + kk) : Avx.MaskLoad(a1 + kk, mask);
                s10 = Vector256.FusedMultiplyAdd(y, x0, s10); s11 = Vector256.FusedMultiplyAdd(y, x1, s11);
                s12 = Vector256.FusedMultiplyAdd(y, x2, s12); s13 = Vector256.FusedMultiplyAdd(y, x3, s13);
            }
        }
        for (int r = 0; r < rows; r++)
        {
            float* cr = c + r * ldc;
            (Vector256<float> t0, Vector256<float> t1, Vector256<float> t2, Vector256<float> t3) = r == 0 ? (s00, s01, s02, s03) : (s10, s11, s12, s13);
            cr[0] += Vector256.Sum(t0);
            if (cols > 1)
                cr[1] += Vector256.Sum(t1);
            if (cols > 2)
                cr[2] += Vector256.Sum(t2);
            if (cols > 3)
                cr[3] += Vector256.Sum(t3);
        }
    }

    /// <summary>Lanes 0..count-1 set (all when count ≥ 16), as a float mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask512(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>Lanes 0..count-1 set (all when count ≥ 8), as a float mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask256(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

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
}

/// <summary>
/// A right-hand matrix B (k × n), or the transpose of a stored matrix, rearranged once into the
/// micro-kernel's panel layout so that many products can reuse it: the LSTM multiplies by the same
/// recurrent kernel at every time step of a batch. The buffer grows when needed and is reused.
/// </summary>
internal sealed class PreparedMatrix
{
    /// <summary>Rows of op(B) (the inner dimension of the product).</summary>
    public int K { get; private set; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; private set; }

    internal Gemm.Isa Isa { get; private set; }

    internal float[] Buffer { get; private set; } = [];

    /// <summary>
    /// Stores op(B) = B (k × n, row-major) or, when <paramref name="transposed"/>, op(B) = Sᵀ for a stored
    /// S of n × k.
    /// </summary>
    public void Prepare(ReadOnlySpan<float> source, int k, int n, bool transposed)
    {
        if (source.Length < k * n)
            throw new ArgumentException($"Span 'source' holds {source.Length} floats but a {k}×{n} matrix needs {k * n}.", nameof(source));
        Isa = Gemm.CurrentIsa;
        K = k;
        N = n;
        int size = Gemm.PreparedSize(Isa, k, n) + 16;
        if (Buffer.Length < size)
            Buffer = GC.AllocateUninitializedArray<float>(size, pinned: true);
        Gemm.Prepare(Isa, source, k, n, transposed, Buffer);
    }
}
