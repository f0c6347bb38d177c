using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;

namespace LstmLab.Numerics;

/// <summary>
/// Single-precision matrix multiplication kernels on row-major, contiguous matrices.
/// <para>
/// <c>MatMul</c>: C[m,n] (+)= A[m,k]·B[k,n]. Rows of C are built as sums of scaled rows of B
/// (the "axpy" form), which suits the Keras weight layout <c>kernel [input_dim, 4u]</c>: the gate
/// pre-activations are contiguous. Four rows of A share each load of B (register tile 4 × one
/// vector); Vector512 is used where the CPU has AVX-512, else Vector256, else scalar code.
/// A single-row product skips zero multipliers, so one-hot inputs cost one row of B each.
/// </para>
/// <para>
/// The transposed forms are reduced to <c>MatMul</c> through a transposed copy in a caller-owned
/// scratch buffer when the product is large, and use dot products or axpy directly when it is small.
/// </para>
/// </summary>
public static class Gemm
{
    private const int SmallRows = 8;

    /// <summary>C[m,n] = A[m,k]·B[k,n], or C += A·B when <paramref name="accumulate"/> is true.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        Check(a, m * k, nameof(a));
        Check(b, k * n, nameof(b));
        Check(c, m * n, nameof(c));
        if (!accumulate)
            c[..(m * n)].Clear();
        if (m == 0 || n == 0 || k == 0)
            return;
        int i = 0;
        for (; i + 4 <= m; i += 4)
            MultiplyFourRows(a.Slice(i * k, 4 * k), b, c.Slice(i * n, 4 * n), k, n);
        for (; i < m; i++)
            MultiplyRow(a.Slice(i * k, k), b, c.Slice(i * n, n), k, n);
    }

    /// <summary>
    /// C[m,p] (+)= A[m,n]·B[p,n]ᵀ. <paramref name="scratch"/> must hold p·n floats when m is above
    /// a small threshold (it receives Bᵀ); it may be empty otherwise.
    /// </summary>
    public static void MatMulTransposeB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int p, bool accumulate, Span<float> scratch)
    {
        Check(a, m * n, nameof(a));
        Check(b, p * n, nameof(b));
        Check(c, m * p, nameof(c));
        if (m <= SmallRows)
        {
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<float> row = a.Slice(i * n, n);
                Span<float> outRow = c.Slice(i * p, p);
                for (int j = 0; j < p; j++)
                {
                    float dot = TensorPrimitives.Dot(row, b.Slice(j * n, n));
                    outRow[j] = accumulate ? outRow[j] + dot : dot;
                }
            }
            return;
        }
        Check(scratch, p * n, nameof(scratch));
        Transpose(b, scratch, p, n);
        MatMul(a, scratch, c, m, n, p, accumulate);
    }

    /// <summary>
    /// C[k,n] (+)= A[m,k]ᵀ·B[m,n]. <paramref name="scratch"/> must hold m·k floats when m is above
    /// a small threshold (it receives Aᵀ); it may be empty otherwise.
    /// </summary>
    public static void MatMulTransposeA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, Span<float> scratch)
    {
        Check(a, m * k, nameof(a));
        Check(b, m * n, nameof(b));
        Check(c, k * n, nameof(c));
        if (!accumulate)
            c[..(k * n)].Clear();
        if (m <= SmallRows)
        {
            for (int r = 0; r < m; r++)
            {
                ReadOnlySpan<float> bRow = b.Slice(r * n, n);
                for (int kk = 0; kk < k; kk++)
                {
                    float s = a[r * k + kk];
                    if (s != 0f)
                        Axpy(s, bRow, c.Slice(kk * n, n));
                }
            }
            return;
        }
        Check(scratch, m * k, nameof(scratch));
        Transpose(a, scratch, m, k);
        MatMul(scratch, b, c, k, m, n, accumulate: true);
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

    private static void MultiplyRow(ReadOnlySpan<float> aRow, ReadOnlySpan<float> b, Span<float> cRow, int k, int n)
    {
        for (int kk = 0; kk < k; kk++)
        {
            float s = aRow[kk];
            if (s != 0f)
                TensorPrimitives.MultiplyAdd(b.Slice(kk * n, n), s, cRow, cRow);
        }
    }

    private static void MultiplyFourRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= n; j += Vector512<float>.Count)
                FourRowTile512(a, b, c, k, n, j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= n; j += Vector256<float>.Count)
                FourRowTile256(a, b, c, k, n, j);
        }
        for (; j < n; j++)
        {
            float c0 = c[j], c1 = c[n + j], c2 = c[2 * n + j], c3 = c[3 * n + j];
            for (int kk = 0; kk < k; kk++)
            {
                float bv = b[kk * n + j];
                c0 += a[kk] * bv;
                c1 += a[k + kk] * bv;
                c2 += a[2 * k + kk] * bv;
                c3 += a[3 * k + kk] * bv;
            }
            c[j] = c0;
            c[n + j] = c1;
            c[2 * n + j] = c2;
            c[3 * n + j] = c3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowTile512(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int j)
    {
        var c0 = Vector512.Create(c.Slice(j, Vector512<float>.Count));
        var c1 = Vector512.Create(c.Slice(n + j, Vector512<float>.Count));
        var c2 = Vector512.Create(c.Slice(2 * n + j, Vector512<float>.Count));
        var c3 = Vector512.Create(c.Slice(3 * n + j, Vector512<float>.Count));
        for (int kk = 0; kk < k; kk++)
        {
            var bv = Vector512.Create(b.Slice(kk * n + j, Vector512<float>.Count));
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[kk]), bv, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[k + kk]), bv, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2 * k + kk]), bv, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3 * k + kk]), bv, c3);
        }
        c0.CopyTo(c.Slice(j));
        c1.CopyTo(c.Slice(n + j));
        c2.CopyTo(c.Slice(2 * n + j));
        c3.CopyTo(c.Slice(3 * n + j));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowTile256(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int j)
    {
        var c0 = Vector256.Create(c.Slice(j, Vector256<float>.Count));
        var c1 = Vector256.Create(c.Slice(n + j, Vector256<float>.Count));
        var c2 = Vector256.Create(c.Slice(2 * n + j, Vector256<float>.Count));
        var c3 = Vector256.Create(c.Slice(3 * n + j, Vector256<float>.Count));
        for (int kk = 0; kk < k; kk++)
        {
            var bv = Vector256.Create(b.Slice(kk * n + j, Vector256<float>.Count));
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[kk]), bv, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[k + kk]), bv, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[2 * k + kk]), bv, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[3 * k + kk]), bv, c3);
        }
        c0.CopyTo(c.Slice(j));
        c1.CopyTo(c.Slice(n + j));
        c2.CopyTo(c.Slice(2 * n + j));
        c3.CopyTo(c.Slice(3 * n + j));
    }

    private static void Check(ReadOnlySpan<float> span, int needed, string name)
    {
        if (span.Length < needed)
            throw new ArgumentException($"Span '{name}' holds {span.Length} floats but the product needs {needed}.", name);
    }
}
