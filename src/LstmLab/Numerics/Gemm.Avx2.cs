using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

// The AVX2 path of Gemm: the 6 × 16 micro-kernel and the dot-product blocks (raw AVX masked loads and stores).
public static unsafe partial class Gemm
{
    /// <summary>
    /// The AVX2 micro-kernel: C[0..R, 0..16) += Apanel·Bpanel, R = <typeparamref name="TRows"/> ≤ 6, with
    /// masked loads and stores of C only on a ragged tile (<paramref name="full"/> false).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256<TRows>(float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, int kc, bool full, Vector256<float> m0, Vector256<float> m1)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value;
        Vector256<float> z = Vector256<float>.Zero;
        Vector256<float> c00 = LoadC(c, full, m0), c01 = LoadC(c + 8, full, m1);
        Vector256<float> c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        if (rows > 1) { c10 = LoadC(c + ldc, full, m0); c11 = LoadC(c + ldc + 8, full, m1); }
        if (rows > 2) { c20 = LoadC(c + 2 * ldc, full, m0); c21 = LoadC(c + 2 * ldc + 8, full, m1); }
        if (rows > 3) { c30 = LoadC(c + 3 * ldc, full, m0); c31 = LoadC(c + 3 * ldc + 8, full, m1); }
        if (rows > 4) { c40 = LoadC(c + 4 * ldc, full, m0); c41 = LoadC(c + 4 * ldc + 8, full, m1); }
        if (rows > 5) { c50 = LoadC(c + 5 * ldc, full, m0); c51 = LoadC(c + 5 * ldc + 8, full, m1); }
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            float* ar = a;
            Vector256<float> s = Vector256.Create(*ar);
            c00 = Vector256.FusedMultiplyAdd(s, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { ar += lda; s = Vector256.Create(*ar); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { ar += lda; s = Vector256.Create(*ar); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { ar += lda; s = Vector256.Create(*ar); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { ar += lda; s = Vector256.Create(*ar); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { ar += lda; s = Vector256.Create(*ar); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            a += aStep;
            b += ldb;
        }
        StoreC(c, full, m0, c00);
        StoreC(c + 8, full, m1, c01);
        if (rows > 1) { StoreC(c + ldc, full, m0, c10); StoreC(c + ldc + 8, full, m1, c11); }
        if (rows > 2) { StoreC(c + 2 * ldc, full, m0, c20); StoreC(c + 2 * ldc + 8, full, m1, c21); }
        if (rows > 3) { StoreC(c + 3 * ldc, full, m0, c30); StoreC(c + 3 * ldc + 8, full, m1, c31); }
        if (rows > 4) { StoreC(c + 4 * ldc, full, m0, c40); StoreC(c + 4 * ldc + 8, full, m1, c41); }
        if (rows > 5) { StoreC(c + 5 * ldc, full, m0, c50); StoreC(c + 5 * ldc + 8, full, m1, c51); }
    }

    /// <summary>
    /// The AVX2 micro-kernel on packed panels (A: <see cref="Mr256"/> values per step, B: <see cref="Nr256"/>),
    /// so every address is a constant offset and the loop, unrolled four times, spends its issue slots on
    /// the 2 loads, 6 broadcasts and 12 fused multiply-adds of each step rather than on pointer arithmetic.
    /// Each accumulator takes its multiply-adds in ascending k, exactly as in <see cref="Kernel256{TRows}"/>.
    /// <paramref name="next"/> (the C tile the caller computes next) is prefetched while this one runs. With
    /// <paramref name="fromZero"/> the accumulators start from zero rather than from C (C = A·B on the first
    /// block of k of an overwritten C: the bits of adding into a cleared C, without reading it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256Packed<TRows>(float* a, float* b, float* c, nint ldc, int kc, bool full, Vector256<float> m0, Vector256<float> m1, float* next, bool fromZero)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value;
        Vector256<float> z = Vector256<float>.Zero;
        Vector256<float> c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        if (!fromZero)
        {
            c00 = LoadC(c, full, m0); c01 = LoadC(c + 8, full, m1);
            if (rows > 1) { c10 = LoadC(c + ldc, full, m0); c11 = LoadC(c + ldc + 8, full, m1); }
            if (rows > 2) { c20 = LoadC(c + 2 * ldc, full, m0); c21 = LoadC(c + 2 * ldc + 8, full, m1); }
            if (rows > 3) { c30 = LoadC(c + 3 * ldc, full, m0); c31 = LoadC(c + 3 * ldc + 8, full, m1); }
            if (rows > 4) { c40 = LoadC(c + 4 * ldc, full, m0); c41 = LoadC(c + 4 * ldc + 8, full, m1); }
            if (rows > 5) { c50 = LoadC(c + 5 * ldc, full, m0); c51 = LoadC(c + 5 * ldc + 8, full, m1); }
        }
        for (int r = 0; r < Mr256; r++)
        {
            Sse.Prefetch0(next + r * ldc);
            Sse.Prefetch0(next + r * ldc + 15);
        }
        Vector256<float> b0, b1, s;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            b0 = Vector256.Load(b + 0); b1 = Vector256.Load(b + 8);
            s = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(s, b0, c00); c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { s = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { s = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { s = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { s = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { s = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            b0 = Vector256.Load(b + 16); b1 = Vector256.Load(b + 24);
            s = Vector256.Create(a[6]); c00 = Vector256.FusedMultiplyAdd(s, b0, c00); c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { s = Vector256.Create(a[7]); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { s = Vector256.Create(a[8]); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { s = Vector256.Create(a[9]); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { s = Vector256.Create(a[10]); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { s = Vector256.Create(a[11]); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            b0 = Vector256.Load(b + 32); b1 = Vector256.Load(b + 40);
            s = Vector256.Create(a[12]); c00 = Vector256.FusedMultiplyAdd(s, b0, c00); c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { s = Vector256.Create(a[13]); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { s = Vector256.Create(a[14]); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { s = Vector256.Create(a[15]); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { s = Vector256.Create(a[16]); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { s = Vector256.Create(a[17]); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            b0 = Vector256.Load(b + 48); b1 = Vector256.Load(b + 56);
            s = Vector256.Create(a[18]); c00 = Vector256.FusedMultiplyAdd(s, b0, c00); c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { s = Vector256.Create(a[19]); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { s = Vector256.Create(a[20]); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { s = Vector256.Create(a[21]); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { s = Vector256.Create(a[22]); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { s = Vector256.Create(a[23]); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            a += 24;
            b += 64;
        }
        for (; p < kc; p++)
        {
            b0 = Vector256.Load(b + 0); b1 = Vector256.Load(b + 8);
            s = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(s, b0, c00); c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            if (rows > 1) { s = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(s, b0, c10); c11 = Vector256.FusedMultiplyAdd(s, b1, c11); }
            if (rows > 2) { s = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(s, b0, c20); c21 = Vector256.FusedMultiplyAdd(s, b1, c21); }
            if (rows > 3) { s = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(s, b0, c30); c31 = Vector256.FusedMultiplyAdd(s, b1, c31); }
            if (rows > 4) { s = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(s, b0, c40); c41 = Vector256.FusedMultiplyAdd(s, b1, c41); }
            if (rows > 5) { s = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(s, b0, c50); c51 = Vector256.FusedMultiplyAdd(s, b1, c51); }
            a += 6;
            b += 16;
        }
        StoreC(c, full, m0, c00);
        StoreC(c + 8, full, m1, c01);
        if (rows > 1) { StoreC(c + ldc, full, m0, c10); StoreC(c + ldc + 8, full, m1, c11); }
        if (rows > 2) { StoreC(c + 2 * ldc, full, m0, c20); StoreC(c + 2 * ldc + 8, full, m1, c21); }
        if (rows > 3) { StoreC(c + 3 * ldc, full, m0, c30); StoreC(c + 3 * ldc + 8, full, m1, c31); }
        if (rows > 4) { StoreC(c + 4 * ldc, full, m0, c40); StoreC(c + 4 * ldc + 8, full, m1, c41); }
        if (rows > 5) { StoreC(c + 5 * ldc, full, m0, c50); StoreC(c + 5 * ldc + 8, full, m1, c51); }
    }

    private static Vector256<float> LoadC(float* p, bool full, Vector256<float> mask) => full ? Vector256.Load(p) : Avx.MaskLoad(p, mask);

    private static void StoreC(float* p, bool full, Vector256<float> mask, Vector256<float> value)
    {
        if (full)
            value.Store(p);
        else
            Avx.MaskStore(p, mask, value);
    }

    /// <summary>The AVX2 form of <see cref="DotBlock512{TRows}"/>, for up to 2 rows (16 ymm registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            Vector256<float> mask = Vector256Ops.Mask(k - kk);
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

}
