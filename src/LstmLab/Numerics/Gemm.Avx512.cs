using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmLab.Numerics;

// The AVX-512 path of Gemm, in the cross-platform Vector512 API (see Vector512Ops for its masked loads and stores):
// the 8 × 32 micro-kernel and the dot-product blocks.
public static unsafe partial class Gemm
{
    /// <summary>
    /// C[0..R, 0..32) += Apanel·Bpanel over kc steps, R = <typeparamref name="TRows"/> ≤ 8: per step two
    /// 16-float loads of B, one broadcast of A per row, two fused multiply-adds per row. The masks
    /// <paramref name="m0"/>, <paramref name="m1"/> select the valid columns of C and of B (masked loads
    /// cost no more than plain ones, and never touch memory past a ragged edge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512<TRows>(float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, int kc, Vector512<float> m0, Vector512<float> m1)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value;
        Vector512<float> z = Vector512<float>.Zero;
        Vector512<float> c00 = Vector512Ops.MaskLoad(c, m0), c01 = Vector512Ops.MaskLoad(c + 16, m1);
        Vector512<float> c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        Vector512<float> c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        if (rows > 1) { c10 = Vector512Ops.MaskLoad(c + ldc, m0); c11 = Vector512Ops.MaskLoad(c + ldc + 16, m1); }
        if (rows > 2) { c20 = Vector512Ops.MaskLoad(c + 2 * ldc, m0); c21 = Vector512Ops.MaskLoad(c + 2 * ldc + 16, m1); }
        if (rows > 3) { c30 = Vector512Ops.MaskLoad(c + 3 * ldc, m0); c31 = Vector512Ops.MaskLoad(c + 3 * ldc + 16, m1); }
        if (rows > 4) { c40 = Vector512Ops.MaskLoad(c + 4 * ldc, m0); c41 = Vector512Ops.MaskLoad(c + 4 * ldc + 16, m1); }
        if (rows > 5) { c50 = Vector512Ops.MaskLoad(c + 5 * ldc, m0); c51 = Vector512Ops.MaskLoad(c + 5 * ldc + 16, m1); }
        if (rows > 6) { c60 = Vector512Ops.MaskLoad(c + 6 * ldc, m0); c61 = Vector512Ops.MaskLoad(c + 6 * ldc + 16, m1); }
        if (rows > 7) { c70 = Vector512Ops.MaskLoad(c + 7 * ldc, m0); c71 = Vector512Ops.MaskLoad(c + 7 * ldc + 16, m1); }
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512Ops.MaskLoad(b, m0), b1 = Vector512Ops.MaskLoad(b + 16, m1);
            float* ar = a;
            Vector512<float> s = Vector512.Create(*ar);
            c00 = Vector512.FusedMultiplyAdd(s, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { ar += lda; s = Vector512.Create(*ar); c10 = Vector512.FusedMultiplyAdd(s, b0, c10); c11 = Vector512.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { ar += lda; s = Vector512.Create(*ar); c20 = Vector512.FusedMultiplyAdd(s, b0, c20); c21 = Vector512.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { ar += lda; s = Vector512.Create(*ar); c30 = Vector512.FusedMultiplyAdd(s, b0, c30); c31 = Vector512.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { ar += lda; s = Vector512.Create(*ar); c40 = Vector512.FusedMultiplyAdd(s, b0, c40); c41 = Vector512.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { ar += lda; s = Vector512.Create(*ar); c50 = Vector512.FusedMultiplyAdd(s, b0, c50); c51 = Vector512.FusedMultiplyAdd(s, b1, c51); }
            if (rows > 6) { ar += lda; s = Vector512.Create(*ar); c60 = Vector512.FusedMultiplyAdd(s, b0, c60); c61 = Vector512.FusedMultiplyAdd(s, b1, c61); }
            if (rows > 7) { ar += lda; s = Vector512.Create(*ar); c70 = Vector512.FusedMultiplyAdd(s, b0, c70); c71 = Vector512.FusedMultiplyAdd(s, b1, c71); }
            a += aStep;
            b += ldb;
        }
        Vector512Ops.MaskStore(c, m0, c00);
        Vector512Ops.MaskStore(c + 16, m1, c01);
        if (rows > 1) { Vector512Ops.MaskStore(c + ldc, m0, c10); Vector512Ops.MaskStore(c + ldc + 16, m1, c11); }
        if (rows > 2) { Vector512Ops.MaskStore(c + 2 * ldc, m0, c20); Vector512Ops.MaskStore(c + 2 * ldc + 16, m1, c21); }
        if (rows > 3) { Vector512Ops.MaskStore(c + 3 * ldc, m0, c30); Vector512Ops.MaskStore(c + 3 * ldc + 16, m1, c31); }
        if (rows > 4) { Vector512Ops.MaskStore(c + 4 * ldc, m0, c40); Vector512Ops.MaskStore(c + 4 * ldc + 16, m1, c41); }
        if (rows > 5) { Vector512Ops.MaskStore(c + 5 * ldc, m0, c50); Vector512Ops.MaskStore(c + 5 * ldc + 16, m1, c51); }
        if (rows > 6) { Vector512Ops.MaskStore(c + 6 * ldc, m0, c60); Vector512Ops.MaskStore(c + 6 * ldc + 16, m1, c61); }
        if (rows > 7) { Vector512Ops.MaskStore(c + 7 * ldc, m0, c70); Vector512Ops.MaskStore(c + 7 * ldc + 16, m1, c71); }
    }

    /// <summary>
    /// C[r, q] += a_r · b_q for r &lt; R (<typeparamref name="TRows"/>) rows a_r = a + r·lda and q &lt; cols ≤ 4
    /// vectors b_q = b + q·ldb, all of length k. Missing columns re-read b_0 and are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                mask = Vector512Ops.Mask(k - kk);
                x0 = Vector512Ops.MaskLoad(b0 + kk, mask); x1 = Vector512Ops.MaskLoad(b1 + kk, mask);
                x2 = Vector512Ops.MaskLoad(b2 + kk, mask); x3 = Vector512Ops.MaskLoad(b3 + kk, mask);
                y = Vector512Ops.MaskLoad(a0 + kk, mask);
            }
            s00 = Vector512.FusedMultiplyAdd(y, x0, s00); s01 = Vector512.FusedMultiplyAdd(y, x1, s01);
            s02 = Vector512.FusedMultiplyAdd(y, x2, s02); s03 = Vector512.FusedMultiplyAdd(y, x3, s03);
            if (rows > 1)
            {
                y = kk + 16 <= k ? Vector512.Load(a1 + kk) : Vector512Ops.MaskLoad(a1 + kk, mask);
                s10 = Vector512.FusedMultiplyAdd(y, x0, s10); s11 = Vector512.FusedMultiplyAdd(y, x1, s11);
                s12 = Vector512.FusedMultiplyAdd(y, x2, s12); s13 = Vector512.FusedMultiplyAdd(y, x3, s13);
            }
            if (rows > 2)
            {
                y = kk + 16 <= k ? Vector512.Load(a2 + kk) : Vector512Ops.MaskLoad(a2 + kk, mask);
                s20 = Vector512.FusedMultiplyAdd(y, x0, s20); s21 = Vector512.FusedMultiplyAdd(y, x1, s21);
                s22 = Vector512.FusedMultiplyAdd(y, x2, s22); s23 = Vector512.FusedMultiplyAdd(y, x3, s23);
            }
            if (rows > 3)
            {
                y = kk + 16 <= k ? Vector512.Load(a3 + kk) : Vector512Ops.MaskLoad(a3 + kk, mask);
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

}
