using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

// The blocked (GotoBLAS/BLIS) path of Gemm: block sizes, the loops over blocks and the micro-kernel dispatch (packing: Gemm.Packing.cs).
public static unsafe partial class Gemm
{
    /// <summary>Columns of A (rows of B) per block on the AVX-512 path: an A panel (MR × KC) and a B panel (KC × NR) stay in L1.</summary>
    private const int KC = 256;

    /// <summary>
    /// Columns of A (rows of B) per block on the AVX2 path: a B sliver (KC × 16, 24 KiB) stays in the 32 KiB
    /// L1 while A panels (6 × KC) stream past it from L2. Longer than BLIS's 256 for Zen 3 because each
    /// block of k reads and writes C once more (C = 2048 × 2048 ran about 5% faster with 384 than with 256,
    /// measured under load); the value does not change the bits (each element's sum still runs over k in
    /// order, C carrying it from one block to the next).
    /// </summary>
    private const int Kc256 = 384;

    /// <summary>Columns of B per packed block on the AVX-512 path (a KC × NC block, 512 KiB).</summary>
    private const int NC = 512;

    /// <summary>
    /// Columns of B per packed block on the AVX2 path: BLIS's Zen 3 value (a KC × NC block, 6 MiB, stays in
    /// L3; each KC × NR sliver of it is read into L1 once per block of A rows).
    /// </summary>
    private const int Nc256 = 4080;

    /// <summary>Micro-tile of the AVX-512 kernel: 8 rows × 32 columns = 16 zmm accumulators.</summary>
    private const int Mr512 = 8, Nr512 = 32;

    /// <summary>Micro-tile of the AVX2 kernel: 6 rows × 16 columns = 12 ymm accumulators (of 16 registers).</summary>
    private const int Mr256 = 6, Nr256 = 16;

    /// <summary>Row panels of A per packed block on the AVX-512 path (128 rows).</summary>
    private const int PanelsPerBlock = 16;

    /// <summary>
    /// Row panels of A per packed block on the AVX2 path: MC = 144 rows, BLIS's Zen 3 value (an MC × KC
    /// block, 216 KiB, stays in the 512 KiB L2 while the B slivers stream past it).
    /// </summary>
    private const int Panels256 = 24;

    /// <summary>On the AVX2 path, A is packed whenever each of its panels meets at least this many B slivers.</summary>
    private const int PackAMinSlivers = 4;

    /// <summary>A packed A operand is used only above this many floats; smaller ones are read in place.</summary>
    private const int PackALimit = 64 * 1024;

    /// <summary>The packing buffers of one thread, created on its first packed product and reused.</summary>
    private sealed class Workspace
    {
        public float[]? PackA, PackB, EdgeB;
    }

    [ThreadStatic]
    private static Workspace? t_workspace;

    private static int KcFor(Isa isa) => isa == Isa.Avx512 ? KC : Kc256;

    private static int TileRows(Isa isa) => isa == Isa.Avx512 ? Mr512 : Mr256;

    private static int TileCols(Isa isa) => isa == Isa.Avx512 ? Nr512 : Nr256;

    /// <summary>
    /// Whether preparing op(B) once (<see cref="PreparedMatrix"/>) beats <paramref name="uses"/> separate
    /// products of an m-row A with it: when each product would otherwise pack B anew (or, transposed,
    /// transpose it), rather than read it in place or take dot products.
    /// </summary>
    internal static bool PaysToPrepare(int m, int k, int n, bool transposed, int uses)
    {
        Isa isa = InstructionSet.Current;
        if (uses < 2 || isa == Isa.Scalar)
            return false;
        // Transposed: from about 4 rows on, one packing plus the micro-kernel beats dot products.
        return transposed ? m >= 4 : m > 2 * TileRows(isa) && ((long)k * n > DirectBLimit || m > DirectBMaxRows);
    }

    /// <summary>Floats a <see cref="PreparedMatrix"/> of op(B) k × n needs (before alignment slack).</summary>
    internal static int PreparedSize(Isa isa, int k, int n)
    {
        if (isa == Isa.Scalar)
            return k * n;
        int nr = TileCols(isa);
        return k * ((n + nr - 1) / nr * nr);
    }

    /// <summary>Writes op(B) into <paramref name="buffer"/>: plain row-major for scalar code, else whole-k panels of NR columns.</summary>
    internal static void Prepare(Isa isa, ReadOnlySpan<float> source, int k, int n, bool transposed, float[] buffer)
    {
        if (k == 0 || n == 0)
            return;
        fixed (float* ps = source, pb = buffer)
        {
            float* dst = Aligned(pb);
            var op = transposed ? new Operand(ps, 1, k) : new Operand(ps, n, 1);
            if (isa == Isa.Scalar)
            {
                for (int kk = 0; kk < k; kk++)
                {
                    for (int j = 0; j < n; j++)
                        dst[kk * n + j] = op.P[kk * op.RowStride + j * op.ColStride];
                }
                return;
            }
            PackB(op, 0, k, 0, n, TileCols(isa), dst);
        }
    }

    /// <summary>
    /// One left-hand operand of a blocked product and the C it adds into (m rows, row stride ldc), or, when
    /// <paramref name="overwrite"/>, the C it overwrites (whatever C held is never read).
    /// </summary>
    private readonly struct Lhs(Operand a, float* c, nint ldc, int m, bool overwrite)
    {
        public readonly Operand A = a;
        public readonly float* C = c;
        public readonly nint Ldc = ldc;
        public readonly int M = m;
        public readonly bool Overwrite = overwrite;
    }

    /// <summary>
    /// C += op(A)·op(B) by blocks, for one or two left-hand operands against the same B (<paramref name="second"/>
    /// has M = 0 when there is none): for each KC slice of k and NC slice of n, pack B once for both (unless it
    /// is read in place or was prepared; sliver by sliver, as the first block of A rows first uses each), then
    /// for each block of A rows pack A and run the micro-kernel over all MR × NR tiles. <paramref name="prepared"/>, when not null, holds op(B) in whole-k panels
    /// (<see cref="Prepare"/>) of <paramref name="preparedK"/> rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PanelProduct(Isa isa, Lhs first, Lhs second, Operand b, float* prepared, int preparedK, int k, int n, bool packB)
    {
        int nr = TileCols(isa);
        Workspace workspace = t_workspace ??= new Workspace();
        int ncBlock = isa == Isa.Avx512 ? NC : Nc256, kcBlock = KcFor(isa);
        int ncMax = packB ? Math.Min(ncBlock, n) : n;
        float* packedB = packB ? Buffer(ref workspace.PackB, kcBlock * ((ncMax + nr - 1) / nr * nr)) : null;
        // A small A is read in place (the kernel steps along its rows or columns); a large one, or on the
        // AVX2 path one whose panels each meet several B slivers, is packed block by block so that its
        // panels are contiguous and stay in cache (the packed kernel then needs no pointer arithmetic).
        bool packFirst = PacksA(isa, first.M, k, n), packSecond = PacksA(isa, second.M, k, n);
        for (int pc = 0; pc < k; pc += kcBlock)
        {
            int kc = Math.Min(kcBlock, k - pc);
            for (int jc = 0; jc < n; jc += ncMax)
            {
                int nc = Math.Min(ncMax, n - jc);
                // The first operand's first block of rows packs each B sliver just before its micro-kernels
                // use it, while it is still in L1; the rest of the block reuses the packed slivers.
                BlockProduct(isa, workspace, first, packFirst, b, packedB, packB, prepared, preparedK, pc, kc, jc, nc);
                if (second.M > 0)
                    BlockProduct(isa, workspace, second, packSecond, b, packedB, false, prepared, preparedK, pc, kc, jc, nc);
            }
        }
    }

    private static bool PacksA(Isa isa, int m, int k, int n) =>
        (long)m * k > PackALimit || (isa == Isa.Avx2 && m > Mr256 && n >= PackAMinSlivers * Nr256);

    /// <summary>
    /// C[:, jc..jc+nc) += op(A)[:, pc..pc+kc)·op(B)[pc..pc+kc, jc..jc+nc) for one left-hand operand, with B
    /// packed for this block (<paramref name="packedB"/> not null), prepared whole, or read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockProduct(Isa isa, Workspace workspace, Lhs lhs, bool packA, Operand b, float* packedB, bool packSlivers,
        float* prepared, int preparedK, int pc, int kc, int jc, int nc)
    {
        int mr = TileRows(isa), nr = TileCols(isa), m = lhs.M;
        Operand a = lhs.A;
        nint ldc = lhs.Ldc;
        // An overwritten C: the first block of k starts each tile from zero instead of reading C.
        bool fromZero = lhs.Overwrite && pc == 0;
        int mcMax = packA ? mr * (isa == Isa.Avx512 ? PanelsPerBlock : Panels256) : m;
        // Slack of 8 floats: the AVX2 packing writes 8 floats for each 6 (see PackA).
        float* packedA = packA ? Buffer(ref workspace.PackA, mcMax * KcFor(isa) + 8) : null;
        for (int ic = 0; ic < m; ic += mcMax)
        {
            int mc = Math.Min(mcMax, m - ic);
            if (packA)
                PackA(a, ic, mc, pc, kc, mr, packedA);
            for (int jr = 0; jr < nc; jr += nr)
            {
                int width = Math.Min(nr, nc - jr);
                float* bp;
                nint ldb = nr;
                if (packedB != null)
                {
                    bp = packedB + (nint)(jr / nr) * kc * nr;
                    if (packSlivers && ic == 0)
                        PackB(b, pc, kc, jc + jr, width, nr, bp);
                }
                else if (prepared != null)
                {
                    bp = prepared + ((nint)((jc + jr) / nr) * preparedK + pc) * nr;
                }
                else if (width == nr || isa == Isa.Avx512)
                {
                    // In place; the AVX-512 kernel masks its loads of a ragged last panel.
                    bp = b.P + pc * b.RowStride + jc + jr;
                    ldb = b.RowStride;
                }
                else
                {
                    // The ragged last columns of an in-place B: pad them into a panel so the
                    // kernel's loads never run past the matrix.
                    bp = Buffer(ref workspace.EdgeB, KcFor(isa) * Nr512);
                    PackB(b, pc, kc, jc + jr, width, nr, bp);
                }
                float* cp = lhs.C + ic * ldc + jc + jr;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    if (packA && ldb == nr && isa == Isa.Avx2)
                    {
                        // The tile computed next: the one below, or the top of the next sliver.
                        float* next = ir + mr < mc ? cp + (ir + mr) * ldc : cp + nr;
                        KernelPacked256(rows, width, packedA + (nint)(ir / mr) * kc * mr, bp, cp + ir * ldc, ldc, kc, next, fromZero);
                        continue;
                    }
                    if (fromZero)
                        ClearTile(cp + ir * ldc, ldc, rows, width);
                    if (packA)
                        Kernel(isa, rows, width, packedA + (nint)(ir / mr) * kc * mr, 1, mr, bp, ldb, cp + ir * ldc, ldc, kc);
                    else
                        Kernel(isa, rows, width, a.P + (ic + ir) * a.RowStride + pc * a.ColStride, a.RowStride, a.ColStride, bp, ldb, cp + ir * ldc, ldc, kc);
                }
            }
        }
    }

    /// <summary>The AVX2 micro-kernel on packed A and B panels for a tile of <paramref name="rows"/> ≤ 6 rows and <paramref name="cols"/> ≤ 16 columns.</summary>
    private static void KernelPacked256(int rows, int cols, float* a, float* b, float* c, nint ldc, int kc, float* next, bool fromZero)
    {
        bool full = cols == Nr256;
        Vector256<float> n0 = Vector256Ops.Mask(cols), n1 = Vector256Ops.Mask(cols - 8);
        switch (rows)
        {
            case 6: Kernel256Packed<Rows6>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
            case 5: Kernel256Packed<Rows5>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
            case 4: Kernel256Packed<Rows4>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
            case 3: Kernel256Packed<Rows3>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
            case 2: Kernel256Packed<Rows2>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
            default: Kernel256Packed<Rows1>(a, b, c, ldc, kc, full, n0, n1, next, fromZero); break;
        }
    }

    /// <summary>Zeroes a tile of C (before a kernel that adds into it, when C is overwritten).</summary>
    private static void ClearTile(float* c, nint ldc, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            new Span<float>(c + r * ldc, cols).Clear();
    }

    /// <summary>The micro-kernel for a tile of <paramref name="rows"/> ≤ MR rows and <paramref name="cols"/> ≤ NR columns.</summary>
    private static void Kernel(Isa isa, int rows, int cols, float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, int kc)
    {
        if (isa == Isa.Avx512)
        {
            Vector512<float> m0 = Vector512Ops.Mask(cols), m1 = Vector512Ops.Mask(cols - 16);
            switch (rows)
            {
                case 8: Kernel512<Rows8>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 7: Kernel512<Rows7>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 6: Kernel512<Rows6>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 5: Kernel512<Rows5>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 4: Kernel512<Rows4>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 3: Kernel512<Rows3>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                case 2: Kernel512<Rows2>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
                default: Kernel512<Rows1>(a, lda, aStep, b, ldb, c, ldc, kc, m0, m1); break;
            }
            return;
        }
        bool full = cols == Nr256;
        Vector256<float> n0 = Vector256Ops.Mask(cols), n1 = Vector256Ops.Mask(cols - 8);
        switch (rows)
        {
            case 6: Kernel256<Rows6>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
            case 5: Kernel256<Rows5>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
            case 4: Kernel256<Rows4>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
            case 3: Kernel256<Rows3>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
            case 2: Kernel256<Rows2>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
            default: Kernel256<Rows1>(a, lda, aStep, b, ldb, c, ldc, kc, full, n0, n1); break;
        }
    }

}
