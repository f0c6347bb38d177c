using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmLab.Numerics;

/// <summary>
/// sum[j] += Σ_r rows[r·width + j] (the bias gradients: dZ summed over every time step and sample), the rows
/// added one after another in order r = 0, 1, … for every j, as repeated <c>TensorPrimitives.Add</c> calls
/// would, without fused multiply-adds: the same bits at every vector width and thread count.
/// <para>
/// The rows are read in groups of <see cref="GroupRows"/>: for each vector of columns the partial sum stays in
/// a register over the group and is stored once per group, so the rows stream through memory one after
/// another (reading the whole of one column before the next, 4 KiB apart for 1024 columns, made the sum over
/// an LSTM(256)'s 6400 rows of dZ about 5% of its training step). A large sum is split by ranges of columns
/// over <see cref="EngineThreads.Current"/> threads.
/// </para>
/// </summary>
internal static unsafe class RowSums
{
    /// <summary>Rows added per pass over the columns.</summary>
    private const int GroupRows = 8;

    /// <summary>Below this many elements (rows × width) the sum stays on the calling thread.</summary>
    private const long ParallelMinElements = 64 * 1024;

    /// <summary>Parts of a split sum start at multiples of this many columns (whole vectors at every width).</summary>
    private const int ParallelGrain = 64;

    [ThreadStatic]
    private static SumJob? t_job;

    /// <summary>sum[0..width) += the <paramref name="count"/> rows of <paramref name="width"/> floats at <paramref name="rows"/>.</summary>
    public static void Add(float* rows, float* sum, int count, int width)
    {
        if (count <= 0 || width <= 0)
            return;
        int threads = EngineThreads.Current;
        int parts = Math.Min(threads, width / ParallelGrain);
        if (parts > 1 && (long)count * width >= ParallelMinElements)
        {
            SumJob job = t_job ??= new SumJob();
            job.RowsPointer = rows;
            job.Sum = sum;
            (job.Count, job.Width) = (count, width);
            WorkerTeam.Run(job, parts);
            return;
        }
        Add(rows, sum, count, width, 0, width);
    }

    /// <summary>Columns [from, to) of the sum, every row, on the current instruction set.</summary>
    private static void Add(float* rows, float* sum, int count, int width, int from, int to)
    {
        switch (InstructionSet.Current)
        {
            case Isa.Avx512:
                Add<Vector512<float>, Vector512Ops>(rows, sum, count, width, from, to);
                break;
            case Isa.Avx2:
                Add<Vector256<float>, Vector256Ops>(rows, sum, count, width, from, to);
                break;
            default:
                Add<float, ScalarOps>(rows, sum, count, width, from, to);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add<TVec, TOps>(float* rows, float* sum, int count, int width, int from, int to)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        for (int r = 0; r < count; r += GroupRows)
        {
            var op = new GroupOperator(rows + (nint)r * width, sum, Math.Min(GroupRows, count - r), width);
            Elementwise.RunInline<TVec, TOps, GroupOperator>(ref op, from, to);
        }
    }

    /// <summary>sum[at..] += rows 0..count of a group, in order, the partial sum in a register.</summary>
    private readonly struct GroupOperator(float* rows, float* sum, int count, int width) : IElementwiseOperator
    {
        public Scalars Coefficients => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TVec, TOps>(nint at, int length, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec>
        {
            TVec acc = TOps.Load(sum + at, length);
            float* p = rows + at;
            for (int r = 0; r < count; r++, p += width)
                acc = TOps.Add(acc, TOps.Load(p, length));
            TOps.Store(acc, sum + at, length);
        }
    }

    /// <summary>A sum split by ranges of columns; one per thread, reused.</summary>
    private sealed class SumJob : ParallelJob
    {
        public float* RowsPointer, Sum;
        public int Count, Width;

        public override void Run(int part, int parts)
        {
            (int from, int to) = Range(Width, ParallelGrain, part, parts);
            if (to > from)
                Add(RowsPointer, Sum, Count, Width, from, to);
        }
    }
}
