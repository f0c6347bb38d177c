namespace LstmLab.Numerics;

// Splitting one product over the threads of EngineThreads.Current: the path is chosen once for the whole
// product, then each thread runs it on its own block of output columns (or rows), so every element of C is
// computed as it would be on one thread.
public static unsafe partial class Gemm
{
    /// <summary>Products of fewer multiply-adds than this stay on one thread (about 20 µs of work).</summary>
    private const long ParallelMinWork = 1L << 20;

    /// <summary>The path a product takes, chosen for the whole product before it is split.</summary>
    private enum Path
    {
        Scalar,
        Sparse,
        Dot,
        Panel,
    }

    [ThreadStatic]
    private static ProductJob? t_job;

    /// <summary>
    /// Runs <paramref name="path"/> for C += op(A)·op(B) (and the second left-hand operand's product, if any),
    /// split over the current thread count when the product is large enough: by blocks of whole NR-column
    /// panels of C (a prepared B is stored by such panels), or, when C has many more row tiles than column
    /// panels and one left-hand operand, by blocks of rows.
    /// </summary>
    private static void Run(Path path, Isa isa, Lhs first, Lhs second, Operand b, float* prepared, int preparedK, int k, int n, bool packB)
    {
        int threads = EngineThreads.Current;
        if (threads > 1 && (long)(first.M + second.M) * k * n >= ParallelMinWork)
        {
            int colGrain = isa == Isa.Scalar ? 16 : TileCols(isa), rowGrain = isa == Isa.Scalar ? 8 : TileRows(isa);
            int colBlocks = n / colGrain, rowBlocks = second.M == 0 ? first.M / rowGrain : 0;
            bool byRows = rowBlocks > colBlocks;
            int parts = Math.Min(threads, byRows ? rowBlocks : colBlocks);
            if (parts > 1)
            {
                ProductJob job = t_job ??= new ProductJob();
                job.Set(path, isa, first, second, b, prepared, preparedK, k, n, packB, byRows, byRows ? rowGrain : colGrain);
                WorkerTeam.Run(job, parts);
                return;
            }
        }
        Execute(path, isa, first, second, b, prepared, preparedK, k, n, packB);
    }

    /// <summary>Runs one path on one thread.</summary>
    private static void Execute(Path path, Isa isa, Lhs first, Lhs second, Operand b, float* prepared, int preparedK, int k, int n, bool packB)
    {
        switch (path)
        {
            case Path.Scalar:
                ScalarProduct(first.A, b, first.C, first.Ldc, first.M, k, n);
                break;
            case Path.Sparse:
                SparseProduct(isa, first.A, b, first.C, first.Ldc, first.M, k, n);
                break;
            case Path.Dot:
                DotProduct(isa, first.A, b, first.C, first.Ldc, first.M, k, n);
                break;
            default:
                PanelProduct(isa, first, second, b, prepared, preparedK, k, n, packB);
                break;
        }
    }

    /// <summary>One product split into blocks of columns or rows of C; reused by its thread for every split product.</summary>
    private sealed class ProductJob : ParallelJob
    {
        private Path _path;
        private Isa _isa;
        private Lhs _first, _second;
        private Operand _b;
        private float* _prepared;
        private int _preparedK, _k, _n, _grain;
        private bool _packB, _byRows;

        public void Set(Path path, Isa isa, Lhs first, Lhs second, Operand b, float* prepared, int preparedK, int k, int n, bool packB, bool byRows, int grain)
        {
            (_path, _isa, _first, _second, _b, _preparedK) = (path, isa, first, second, b, preparedK);
            _prepared = prepared;
            (_k, _n, _packB, _byRows, _grain) = (k, n, packB, byRows, grain);
        }

        public override void Run(int part, int parts)
        {
            if (_byRows)
            {
                (int i0, int i1) = Range(_first.M, _grain, part, parts);
                Operand a = _first.A;
                var rows = new Lhs(new Operand(a.P + i0 * a.RowStride, a.RowStride, a.ColStride), _first.C + i0 * _first.Ldc, _first.Ldc, i1 - i0, _first.Overwrite);
                if (i1 > i0)
                    Execute(_path, _isa, rows, default, _b, _prepared, _preparedK, _k, _n, _packB);
                return;
            }
            (int j0, int j1) = Range(_n, _grain, part, parts);
            if (j1 <= j0)
                return;
            // Columns j0..j1 of op(B) and C; a prepared B is stored by whole panels of _grain (= NR) columns.
            var b = new Operand(_b.P + j0 * _b.ColStride, _b.RowStride, _b.ColStride);
            float* prepared = _prepared == null ? null : _prepared + (nint)(j0 / _grain) * _preparedK * _grain;
            Lhs first = Columns(_first, j0), second = Columns(_second, j0);
            Execute(_path, _isa, first, second, b, prepared, _preparedK, _k, j1 - j0, _packB);
        }

        private static Lhs Columns(Lhs lhs, int j0) => lhs.M == 0 ? lhs : new Lhs(lhs.A, lhs.C + j0, lhs.Ldc, lhs.M, lhs.Overwrite);
    }
}
