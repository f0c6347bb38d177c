using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmLab.Numerics;

/// <summary>
/// The fused element-wise math of one LSTM time step, on rows of pre-activations laid out like
/// Keras's fused weights: <c>[i | f | c | o]</c>, each block <c>units</c> wide.
/// <code>
/// i = σr(z_i)   f = σr(z_f)   g = tanh(z_c)   o = σr(z_o)
/// c_t = f ⊙ c_{t-1} + i ⊙ g          h_t = o ⊙ tanh(c_t)
/// </code>
/// σr is the recurrent activation (sigmoid or a hard sigmoid). Each formula is written once, in an
/// operator struct generic over the vector width, and run by <see cref="Elementwise"/> on the
/// instruction set of <see cref="InstructionSet.Current"/> (AVX-512, AVX2 or scalar).
/// </summary>
public static class LstmKernels
{
    /// <summary>
    /// Forward for one row. <paramref name="gates"/> holds z on entry and the activated gates
    /// [i | f | g | o] on exit (backward needs them); writes c_t, tanh(c_t) and h_t.
    /// </summary>
    public static void GatesForward(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units) =>
        GatesForward(recurrent, gates, cPrev, c, tanhC, h, units, rows: 1);

    /// <summary>
    /// Forward for <paramref name="rows"/> rows at once (a batch): row r of <paramref name="gates"/> is
    /// the 4·units values from r·4·units, row r of the state spans the units values from r·units.
    /// <para>
    /// From 4 units on, one fused pass per row computes every gate, c, tanh c and h in registers: sigmoid
    /// 1 / (1 + e^−x) and tanh sign(x)·(−z / (z + 2)), z = e^(−2|x|) − 1, the forms
    /// <c>TensorPrimitives.Sigmoid</c> and <c>TensorPrimitives.Tanh</c> use, with a single-precision
    /// exponential of at most 1.3 ulp error (the library's: 1.8 ulp) that costs a third as much
    /// (<see cref="VectorMath.Exp{TVec, TOps}"/>). Below 4 units the separate library calls are made
    /// (TensorPrimitives picks its own instruction set).
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than rows × its row width.</exception>
    public static unsafe void GatesForward(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units, int rows)
    {
        Check(gates.Length, rows * 4 * units, nameof(gates));
        Check(cPrev.Length, rows * units, nameof(cPrev));
        Check(c.Length, rows * units, nameof(c));
        Check(tanhC.Length, rows * units, nameof(tanhC));
        Check(h.Length, rows * units, nameof(h));
        if (units < 4)
        {
            for (int r = 0; r < rows; r++)
            {
                SeparateForward(recurrent, gates.Slice(r * 4 * units, 4 * units), cPrev.Slice(r * units, units),
                    c.Slice(r * units, units), tanhC.Slice(r * units, units), h.Slice(r * units, units), units);
            }
            return;
        }
        fixed (float* pz = gates, pcp = cPrev, pc = c, pt = tanhC, ph = h)
        {
            var op = new ForwardOperator { Z = pz, CPrev = pcp, C = pc, TanhC = pt, H = ph, Units = units, Slope = Activations.HardSlope(recurrent) };
            if (recurrent == RecurrentActivation.Sigmoid)
                RunRows<ForwardOperator<SigmoidGate>>(new(op), units, rows);
            else
                RunRows<ForwardOperator<HardSigmoidGate>>(new(op), units, rows);
        }
    }

    /// <summary>One row through the element-wise library calls (as the fused paths, up to their exponential).</summary>
    private static void SeparateForward(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units)
    {
        Activations.Forward(recurrent, gates[..(2 * units)]);
        TensorPrimitives.Tanh(gates.Slice(2 * units, units), gates.Slice(2 * units, units));
        Activations.Forward(recurrent, gates.Slice(3 * units, units));
        ReadOnlySpan<float> gi = gates[..units], gf = gates.Slice(units, units), gg = gates.Slice(2 * units, units);
        for (int j = 0; j < units; j++)
            c[j] = MathF.FusedMultiplyAdd(gf[j], cPrev[j], gi[j] * gg[j]);
        TensorPrimitives.Tanh(c[..units], tanhC);
        TensorPrimitives.Multiply(gates.Slice(3 * units, units), tanhC[..units], h);
    }

    /// <summary>
    /// Backward for one row. Given dL/dh_t (<paramref name="dh"/>, everything flowing into h_t) and
    /// dL/dc_t from the step after (<paramref name="dcNext"/>), writes dL/dz (<paramref name="dz"/>, 4·units)
    /// and dL/dc_{t-1} (<paramref name="dcPrev"/>; may alias <paramref name="dcNext"/>).
    /// <code>
    /// dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)
    /// dz_i = dc ⊙ g ⊙ σr'(i)   dz_f = dc ⊙ c_{t-1} ⊙ σr'(f)   dz_c = dc ⊙ i ⊙ (1 − g²)   dz_o = dh ⊙ tanh c_t ⊙ σr'(o)
    /// dc_{t-1} = dc ⊙ f
    /// </code>
    /// σr'(y) = y(1 − y) for the sigmoid and slope·[0 &lt; y &lt; 1] for a hard sigmoid. No fused multiply-add,
    /// so every instruction set gives the same bits.
    /// </summary>
    public static void GatesBackward(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units) =>
        GatesBackward(recurrent, gates, cPrev, tanhC, dh, dcNext, dz, dcPrev, units, rows: 1);

    /// <summary>
    /// Backward for <paramref name="rows"/> rows at once, laid out as in the batched
    /// <see cref="GatesForward(RecurrentActivation, Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, int)"/>;
    /// the same formulas as the one-row form, row by row. <paramref name="dcPrev"/> may alias <paramref name="dcNext"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than rows × its row width.</exception>
    public static unsafe void GatesBackward(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units, int rows)
    {
        Check(gates.Length, rows * 4 * units, nameof(gates));
        Check(dz.Length, rows * 4 * units, nameof(dz));
        Check(cPrev.Length, rows * units, nameof(cPrev));
        Check(tanhC.Length, rows * units, nameof(tanhC));
        Check(dh.Length, rows * units, nameof(dh));
        Check(dcNext.Length, rows * units, nameof(dcNext));
        Check(dcPrev.Length, rows * units, nameof(dcPrev));
        fixed (float* pg = gates, pcp = cPrev, pt = tanhC, pdh = dh, pdn = dcNext, pdz = dz, pdp = dcPrev)
        {
            var op = new BackwardOperator
            {
                Gates = pg,
                CPrev = pcp,
                TanhC = pt,
                Dh = pdh,
                DcNext = pdn,
                Dz = pdz,
                DcPrev = pdp,
                Units = units,
                Slope = Activations.HardSlope(recurrent),
            };
            if (recurrent == RecurrentActivation.Sigmoid)
                RunRows<BackwardOperator<SigmoidGate>>(new(op), units, rows);
            else
                RunRows<BackwardOperator<HardSigmoidGate>>(new(op), units, rows);
        }
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"Span '{name}' holds {length} floats but the rows need {needed}.", name);
    }

    /// <summary>An element-wise operator over one row of a batch; <see cref="Row"/> selects the row.</summary>
    private interface IRowOperator : IElementwiseOperator
    {
        int Row { set; }
    }

    /// <summary>Below this many values per pass (rows × units), the rows stay on the calling thread.</summary>
    private const int ParallelMinValues = 16 * 1024;

    /// <summary>
    /// Runs <typeparamref name="TOp"/> over each row's units on the current instruction set (chosen once for all
    /// rows); a large batch is split into blocks of rows over <see cref="EngineThreads.Current"/> threads (each
    /// row computed whole by one thread, so the bits do not depend on the split).
    /// </summary>
    private static void RunRows<TOp>(TOp op, int units, int rows)
        where TOp : struct, IRowOperator
    {
        int threads = Math.Min(EngineThreads.Current, rows);
        if (threads > 1 && (long)rows * units >= ParallelMinValues)
        {
            RowsJob<TOp> job = RowsJob<TOp>.ForThisThread;
            (job.Op, job.Units, job.Rows) = (op, units, rows);
            WorkerTeam.Run(job, threads);
            return;
        }
        RunRows(ref op, units, 0, rows);
    }

    private static void RunRows<TOp>(ref TOp op, int units, int from, int to)
        where TOp : struct, IRowOperator
    {
        switch (InstructionSet.Current)
        {
            case Isa.Avx512:
                RunRows<Vector512<float>, Vector512Ops, TOp>(ref op, units, from, to);
                break;
            case Isa.Avx2:
                RunRows<Vector256<float>, Vector256Ops, TOp>(ref op, units, from, to);
                break;
            default:
                RunRows<float, ScalarOps, TOp>(ref op, units, from, to);
                break;
        }
    }

    /// <summary>Rows from..to with one width, a method of its own compiled fully optimised, as <see cref="Elementwise.Run{TVec, TOps, TOp}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows<TVec, TOps, TOp>(ref TOp op, int units, int from, int to)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
        where TOp : struct, IRowOperator
    {
        for (int r = from; r < to; r++)
        {
            op.Row = r;
            Elementwise.RunInline<TVec, TOps, TOp>(ref op, units);
        }
    }

    /// <summary>A pass over the rows of a batch split into blocks of rows; one per operator type and thread, reused.</summary>
    private sealed class RowsJob<TOp> : ParallelJob
        where TOp : struct, IRowOperator
    {
        [ThreadStatic]
        private static RowsJob<TOp>? t_job;

        public TOp Op;
        public int Units, Rows;

        public static RowsJob<TOp> ForThisThread => t_job ??= new RowsJob<TOp>();

        public override void Run(int part, int parts)
        {
            (int from, int to) = Range(Rows, 1, part, parts);
            TOp op = Op;
            RunRows(ref op, Units, from, to);
        }
    }

    /// <summary>The pointers and settings of a forward pass (row 0 of each buffer).</summary>
    private unsafe struct ForwardOperator
    {
        public float* Z, CPrev, C, TanhC, H;
        public int Units;
        public float Slope;
    }

    /// <summary>The forward step on <c>count</c> units of one row; see <see cref="LstmKernels"/> for the formulas.</summary>
    private unsafe struct ForwardOperator<TGate>(ForwardOperator at) : IRowOperator
        where TGate : struct, IGate
    {
        private nint _gates, _state;

        public int Row
        {
            set => (_gates, _state) = ((nint)value * 4 * at.Units, (nint)value * at.Units);
        }

        public readonly Scalars Coefficients => new(at.Slope);

        /// <summary>The AVX2 tail as one masked vector: five exponentials per element cost more than the slow masked stores.</summary>
        public static bool MaskedTail => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Invoke<TVec, TOps>(nint j, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec>
        {
            nint u = at.Units;
            TVec slope = k.S0;
            nint s = _state + j;
            float* zi = at.Z + _gates + j, zf = zi + u, zg = zf + u, zo = zg + u;
            TVec i = TGate.Forward<TVec, TOps>(TOps.Load(zi, count), slope);
            TVec f = TGate.Forward<TVec, TOps>(TOps.Load(zf, count), slope);
            TVec g = VectorMath.Tanh<TVec, TOps>(TOps.Load(zg, count));
            TVec o = TGate.Forward<TVec, TOps>(TOps.Load(zo, count), slope);
            TVec c = TOps.FusedMultiplyAdd(f, TOps.Load(at.CPrev + s, count), TOps.Multiply(i, g)); // c_t = f ⊙ c_{t-1} + i ⊙ g
            TVec tanhC = VectorMath.Tanh<TVec, TOps>(c);
            TOps.Store(i, zi, count);
            TOps.Store(f, zf, count);
            TOps.Store(g, zg, count);
            TOps.Store(o, zo, count);
            TOps.Store(c, at.C + s, count);
            TOps.Store(tanhC, at.TanhC + s, count);
            TOps.Store(TOps.Multiply(o, tanhC), at.H + s, count);                                  // h_t = o ⊙ tanh c_t
        }
    }

    /// <summary>The pointers and settings of a backward pass (row 0 of each buffer).</summary>
    private unsafe struct BackwardOperator
    {
        public float* Gates, CPrev, TanhC, Dh, DcNext, Dz, DcPrev;
        public int Units;
        public float Slope;
    }

    /// <summary>The backward step on <c>count</c> units of one row; see <see cref="GatesBackward(RecurrentActivation, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>.</summary>
    private unsafe struct BackwardOperator<TGate>(BackwardOperator at) : IRowOperator
        where TGate : struct, IGate
    {
        private nint _gates, _state;

        public int Row
        {
            set => (_gates, _state) = ((nint)value * 4 * at.Units, (nint)value * at.Units);
        }

        public readonly Scalars Coefficients => new(at.Slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Invoke<TVec, TOps>(nint j, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec>
        {
            nint u = at.Units;
            TVec one = TOps.Create(1f), slope = k.S0;
            nint s = _state + j;
            float* gi = at.Gates + _gates + j, dzi = at.Dz + _gates + j;
            TVec i = TOps.Load(gi, count), f = TOps.Load(gi + u, count), g = TOps.Load(gi + 2 * u, count), o = TOps.Load(gi + 3 * u, count);
            TVec tanhC = TOps.Load(at.TanhC + s, count), dh = TOps.Load(at.Dh + s, count);
            // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)
            TVec dc = TOps.Add(TOps.Load(at.DcNext + s, count), TOps.Multiply(TOps.Multiply(dh, o), TOps.Subtract(one, TOps.Multiply(tanhC, tanhC))));
            TOps.Store(TOps.Multiply(TOps.Multiply(dc, g), TGate.Derivative<TVec, TOps>(i, slope)), dzi, count);                               // dz_i
            TOps.Store(TOps.Multiply(TOps.Multiply(dc, TOps.Load(at.CPrev + s, count)), TGate.Derivative<TVec, TOps>(f, slope)), dzi + u, count); // dz_f
            TOps.Store(TOps.Multiply(TOps.Multiply(dc, i), TOps.Subtract(one, TOps.Multiply(g, g))), dzi + 2 * u, count);                      // dz_c
            TOps.Store(TOps.Multiply(TOps.Multiply(dh, tanhC), TGate.Derivative<TVec, TOps>(o, slope)), dzi + 3 * u, count);                   // dz_o
            TOps.Store(TOps.Multiply(dc, f), at.DcPrev + s, count);                                                                              // dc_{t-1}
        }
    }
}
