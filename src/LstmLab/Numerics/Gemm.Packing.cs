using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

// The packing routines of the blocked path of Gemm: A into panels of MR interleaved rows, B into panels of NR columns.
public static unsafe partial class Gemm
{
    /// <summary>
    /// Packs rows i0..i0+mc of op(A), columns p0..p0+kc, into panels of <paramref name="mr"/> rows: panel q
    /// holds, for each kk, the mr values op(A)[i0 + q·mr + r, p0 + kk] side by side (rows past the
    /// matrix are left unset; the kernel for a short panel never reads them). With 6-row panels (AVX2) each
    /// group of 6 values is written as a vector of 8 whose last 2 the next group overwrites, so up to 2
    /// floats past the block are written too (the buffer has slack for them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(Operand a, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            float* panel = dst + (nint)(ip / mr) * kc * mr;
            if (a.ColStride == 1)
            {
                int kk0 = 0;
                if (rows == 8 && mr == 8)
                {
                    // 8 rows × 8 columns at a time through an in-register transpose.
                    float* src = a.P + (i0 + ip) * a.RowStride + p0;
                    for (; kk0 + 8 <= kc; kk0 += 8)
                        Transpose8x8(src + kk0, a.RowStride, panel + kk0 * 8, 8);
                }
                else if (mr == Mr256)
                {
                    // The same transpose with the rows past the panel read as zeros; its 8 stores, 6 floats
                    // apart and in ascending order, leave each group of 6 in place.
                    float* src = a.P + (i0 + ip) * a.RowStride + p0;
                    for (; kk0 + 8 <= kc; kk0 += 8)
                        Transpose8x8(src + kk0, a.RowStride, rows, panel + kk0 * Mr256, Mr256);
                }
                for (int r = 0; r < rows; r++)
                {
                    float* src = a.P + (i0 + ip + r) * a.RowStride + p0;
                    for (int kk = kk0; kk < kc; kk++)
                        panel[kk * mr + r] = src[kk];
                }
            }
            else if (a.RowStride == 1 && rows == 8 && mr == 8)
            {
                // op(A) = Sᵀ: the 8 values of one kk are contiguous in S.
                for (int kk = 0; kk < kc; kk++)
                    Vector256.Load(a.P + (p0 + kk) * a.ColStride + i0 + ip).Store(panel + kk * 8);
            }
            else if (a.RowStride == 1 && mr == Mr256)
            {
                // The rows ≤ 6 values of one kk are contiguous in S: one masked load, one store of 8.
                Vector256<float> mask = Vector256Ops.Mask(rows);
                for (int kk = 0; kk < kc; kk++)
                    Avx.MaskLoad(a.P + (p0 + kk) * a.ColStride + i0 + ip, mask).Store(panel + kk * Mr256);
            }
            else
            {
                for (int kk = 0; kk < kc; kk++)
                {
                    float* src = a.P + (p0 + kk) * a.ColStride + (i0 + ip) * a.RowStride;
                    for (int r = 0; r < rows; r++)
                        panel[kk * mr + r] = src[r * a.RowStride];
                }
            }
        }
    }

    /// <summary>
    /// Packs rows p0..p0+kc of op(B), columns j0..j0+nc, into panels of <paramref name="nr"/> columns:
    /// panel q holds, for each kk, the nr values op(B)[p0 + kk, j0 + q·nr + j], zero-padded past the matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(Operand b, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jp = 0; jp < nc; jp += nr)
        {
            int width = Math.Min(nr, nc - jp);
            float* panel = dst + (nint)(jp / nr) * kc * nr;
            if (b.ColStride == 1)
            {
                float* src = b.P + p0 * b.RowStride + j0 + jp;
                if (width == Nr256 && nr == Nr256)
                {
                    for (int kk = 0; kk < kc; kk++, src += b.RowStride)
                    {
                        Vector256.Load(src).Store(panel + kk * Nr256);
                        Vector256.Load(src + 8).Store(panel + kk * Nr256 + 8);
                    }
                }
                else
                {
                    for (int kk = 0; kk < kc; kk++, src += b.RowStride)
                        CopyPadded(src, panel + kk * nr, width, nr);
                }
                continue;
            }
            if (b.RowStride == 1)
            {
                PackTransposedPanel(b, p0, kc, j0 + jp, width, nr, panel);
                continue;
            }
            for (int j = 0; j < width; j++)
            {
                float* src = b.P + (j0 + jp + j) * b.ColStride + p0 * b.RowStride;
                for (int kk = 0; kk < kc; kk++)
                    panel[kk * nr + j] = src[kk * b.RowStride];
            }
            for (int kk = 0; kk < kc; kk++)
            {
                for (int j = width; j < nr; j++)
                    panel[kk * nr + j] = 0f;
            }
        }
    }

    /// <summary>
    /// One panel of op(B) = Sᵀ (S row-major, row stride <c>b.ColStride</c>): blocks of 8 rows of S × 8 values
    /// of kk transposed in registers, the rows past <paramref name="width"/> read as zeros, so the padding
    /// columns are written by the same vector stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedPanel(Operand b, int p0, int kc, int j0, int width, int nr, float* panel)
    {
        int kc8 = kc / 8 * 8;
        for (int j8 = 0; j8 < nr; j8 += 8)
        {
            int rows = Math.Clamp(width - j8, 0, 8);
            float* src = b.P + (j0 + j8) * b.ColStride + p0;
            for (int kk = 0; kk < kc8; kk += 8)
                Transpose8x8(src + kk, b.ColStride, rows, panel + kk * nr + j8, nr);
            for (int kk = kc8; kk < kc; kk++)
            {
                for (int j = 0; j < 8; j++)
                    panel[kk * nr + j8 + j] = j < rows ? src[j * b.ColStride + kk] : 0f;
            }
        }
    }

    /// <summary>dst row i (8 floats at dst + i·dstStride) = column i of the 8 × 8 block at src (rows src + r·srcStride).</summary>
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride) => Transpose8x8(src, srcStride, 8, dst, dstStride);

    /// <summary>As the 8 × 8 transpose, with source rows from <paramref name="rows"/> on taken as zeros (and not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* src, nint srcStride, int rows, float* dst, nint dstStride)
    {
        Vector256<float> z = Vector256<float>.Zero;
        Vector256<float> r0 = rows > 0 ? Vector256.Load(src) : z, r1 = rows > 1 ? Vector256.Load(src + srcStride) : z;
        Vector256<float> r2 = rows > 2 ? Vector256.Load(src + 2 * srcStride) : z, r3 = rows > 3 ? Vector256.Load(src + 3 * srcStride) : z;
        Vector256<float> r4 = rows > 4 ? Vector256.Load(src + 4 * srcStride) : z, r5 = rows > 5 ? Vector256.Load(src + 5 * srcStride) : z;
        Vector256<float> r6 = rows > 6 ? Vector256.Load(src + 6 * srcStride) : z, r7 = rows > 7 ? Vector256.Load(src + 7 * srcStride) : z;
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(dst);
        Avx.Permute2x128(u1, u5, 0x20).Store(dst + dstStride);
        Avx.Permute2x128(u2, u6, 0x20).Store(dst + 2 * dstStride);
        Avx.Permute2x128(u3, u7, 0x20).Store(dst + 3 * dstStride);
        Avx.Permute2x128(u0, u4, 0x31).Store(dst + 4 * dstStride);
        Avx.Permute2x128(u1, u5, 0x31).Store(dst + 5 * dstStride);
        Avx.Permute2x128(u2, u6, 0x31).Store(dst + 6 * dstStride);
        Avx.Permute2x128(u3, u7, 0x31).Store(dst + 7 * dstStride);
    }

    /// <summary>dst[0..total) = src[0..width) followed by zeros; total is a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPadded(float* src, float* dst, int width, int total)
    {
        int t = 0;
        for (; t + 8 <= width; t += 8)
            Vector256.Load(src + t).Store(dst + t);
        if (t < width)
        {
            // Masked-off lanes read as zero and are never touched in memory.
            Avx.MaskLoad(src + t, Vector256Ops.Mask(width - t)).Store(dst + t);
            t += 8;
        }
        for (; t < total; t += 8)
            Vector256<float>.Zero.Store(dst + t);
    }
}
