using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmLab.Numerics;

// The sparse path of Gemm: only the non-zero entries of A (one-hot inputs).
public static unsafe partial class Gemm
{
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
        if (InstructionSet.Current == Isa.Avx512)
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
        if (isa == Isa.Avx512)
            SparseProduct<Vector512<float>, Vector512Ops>(a, b, c, ldc, m, k, n);
        else
            SparseProduct<Vector256<float>, Vector256Ops>(a, b, c, ldc, m, k, n);
    }

    /// <summary>One width's sparse product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseProduct<TVec, TOps>(Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        bool rowMajor = a.ColStride == 1;
        (int lines, int length, nint lineStride) = rowMajor ? (m, k, a.RowStride) : (k, m, a.ColStride);
        for (int line = 0; line < lines; line++)
        {
            float* p = a.P + line * lineStride;
            int j = 0;
            if (TOps.Count == Vector512<float>.Count)
            {
                for (; j + Vector512<float>.Count <= length; j += Vector512<float>.Count)
                {
                    ulong nonZero = ~Vector512.Equals(Vector512.Load(p + j), Vector512<float>.Zero).ExtractMostSignificantBits() & 0xFFFFu;
                    while (nonZero != 0)
                    {
                        int e = j + BitOperations.TrailingZeroCount(nonZero);
                        nonZero &= nonZero - 1;
                        (int i, int kk) = rowMajor ? (line, e) : (e, line);
                        AxpyRow<TVec, TOps>(p[e], b.P + kk * b.RowStride, c + i * ldc, n);
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
                    AxpyRow<TVec, TOps>(p[e], b.P + kk * b.RowStride, c + i * ldc, n);
                }
            }
            for (; j < length; j++)
            {
                if (p[j] == 0f)
                    continue;
                (int i, int kk) = rowMajor ? (line, j) : (j, line);
                AxpyRow<TVec, TOps>(p[j], b.P + kk * b.RowStride, c + i * ldc, n);
            }
        }
    }

    /// <summary>
    /// y[0..n) += s·x[0..n) with fused multiply-adds, the same bits at every width: whole vectors, then the
    /// rest as one masked vector (AVX-512) or element by element (AVX2, whose masked stores are slow on some CPUs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyRow<TVec, TOps>(float s, float* x, float* y, int n)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        TVec sv = TOps.Create(s);
        nint whole = n - n % TOps.Count, j = 0;
        for (; j < whole; j += TOps.Count)
            TOps.Store(TOps.FusedMultiplyAdd(sv, TOps.Load(x + j, TOps.Count), TOps.Load(y + j, TOps.Count)), y + j, TOps.Count);
        if (j == n)
            return;
        if (TOps.Count == Vector512<float>.Count)
        {
            int rest = (int)(n - j);
            TOps.Store(TOps.FusedMultiplyAdd(sv, TOps.Load(x + j, rest), TOps.Load(y + j, rest)), y + j, rest);
            return;
        }
        for (; j < n; j++)
            y[j] = MathF.FusedMultiplyAdd(s, x[j], y[j]);
    }
}
