using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmLab.Numerics;

/// <summary>
/// The transcendental functions of the kernels, each written once for every width (<see cref="IVectorOps{TVec}"/>).
/// </summary>
internal static class VectorMath
{
    // Cephes expf: log₂e, ln 2 split so that n·Ln2High is exact, and the polynomial for (e^r − 1 − r) / r².
    private const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = 2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary>
    /// e^x in single precision, Cephes' <c>expf</c>: x clamped to [ExpLow, ExpHigh] of the width, n = round(x·log₂e),
    /// r = x − n·ln 2 (in two parts), e^r by a degree-7 polynomial, times 2ⁿ; NaN stays NaN. Measured error at most
    /// 1.3 ulp over [−87, 88] (<c>TensorPrimitives.Exp</c>: 1.8 ulp), at a third of its cost. The widths agree to the
    /// bit on [−87.3, 88.3]; beyond it the AVX-512 path's wider clamp gives subnormals and ∞ where the others stay finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp<TVec, TOps>(TVec x)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        TVec xc = TOps.Min(TOps.Max(x, TOps.Create(TOps.ExpLow)), TOps.Create(TOps.ExpHigh));
        TVec n = TOps.Round(TOps.Multiply(xc, TOps.Create(Log2E)));
        TVec r = TOps.FusedMultiplyAdd(n, TOps.Create(-Ln2High), xc);
        r = TOps.FusedMultiplyAdd(n, TOps.Create(Ln2Low), r);
        TVec p = TOps.FusedMultiplyAdd(TOps.Create(P0), r, TOps.Create(P1));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(P2));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(P3));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(P4));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(P5));
        TVec y = TOps.FusedMultiplyAdd(p, TOps.Multiply(r, r), TOps.Add(r, TOps.Create(1f)));
        return TOps.NaNOr(x, TOps.ScaleByPowerOfTwo(y, n));
    }

    /// <summary>σ(x) = 1 / (1 + e^−x), the form <c>TensorPrimitives.Sigmoid</c> uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sigmoid<TVec, TOps>(TVec x)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        TVec one = TOps.Create(1f);
        return TOps.Divide(one, TOps.Add(one, Exp<TVec, TOps>(TOps.Negate(x))));
    }

    /// <summary>tanh x = sign(x)·(−z / (z + 2)), z = e^(−2|x|) − 1 (the form <c>TensorPrimitives.Tanh</c> uses).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Tanh<TVec, TOps>(TVec x)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
    {
        TVec z = TOps.Subtract(Exp<TVec, TOps>(TOps.Multiply(TOps.Create(-2f), TOps.Abs(x))), TOps.Create(1f));
        return TOps.WithSignOf(TOps.Divide(TOps.Negate(z), TOps.Add(z, TOps.Create(2f))), x);
    }

    /// <summary>Keras's hard sigmoid: clip(slope·x + 0.5, 0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec HardSigmoid<TVec, TOps>(TVec x, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec> =>
        TOps.Min(TOps.Max(TOps.FusedMultiplyAdd(x, slope, TOps.Create(0.5f)), TOps.Create(0f)), TOps.Create(1f));
}

/// <summary>
/// A recurrent (gate) activation and its derivative written in terms of its output y, for the gate
/// kernels; <c>slope</c> is the hard sigmoid's (unused by the sigmoid).
/// </summary>
internal interface IGate
{
    static abstract TVec Forward<TVec, TOps>(TVec x, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>;

    static abstract TVec Derivative<TVec, TOps>(TVec y, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>;
}

/// <summary>σ(x) = 1 / (1 + e^−x); σ' = y(1 − y).</summary>
internal readonly struct SigmoidGate : IGate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TOps>(TVec x, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec> => VectorMath.Sigmoid<TVec, TOps>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Derivative<TVec, TOps>(TVec y, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec> => TOps.Multiply(y, TOps.Subtract(TOps.Create(1f), y));
}

/// <summary>clip(slope·x + 0.5, 0, 1); its derivative is the slope where 0 &lt; y &lt; 1, else 0.</summary>
internal readonly struct HardSigmoidGate : IGate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TOps>(TVec x, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec> => VectorMath.HardSigmoid<TVec, TOps>(x, slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Derivative<TVec, TOps>(TVec y, TVec slope)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec> => TOps.WhereInsideUnitInterval(y, slope);
}

/// <summary>Up to six scalar coefficients of an element-wise operator (learning rate, slopes, ...), by position.</summary>
internal readonly record struct Scalars(float S0 = 0f, float S1 = 0f, float S2 = 0f, float S3 = 0f, float S4 = 0f, float S5 = 0f);

/// <summary>
/// An operator's <see cref="Scalars"/> broadcast once per run to the width's vectors, so that the loop does not
/// broadcast them again at every step (the JIT does not hoist that out of the loop).
/// </summary>
internal readonly struct Coefficients<TVec>
    where TVec : struct
{
    public readonly TVec S0, S1, S2, S3, S4, S5;

    private Coefficients(TVec s0, TVec s1, TVec s2, TVec s3, TVec s4, TVec s5) => (S0, S1, S2, S3, S4, S5) = (s0, s1, s2, s3, s4, s5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Coefficients<TVec> Broadcast<TOps>(Scalars s)
        where TOps : struct, IVectorOps<TVec> =>
        new(TOps.Create(s.S0), TOps.Create(s.S1), TOps.Create(s.S2), TOps.Create(s.S3), TOps.Create(s.S4), TOps.Create(s.S5));
}

/// <summary>
/// One element-wise operation over buffers that a driver runs a vector at a time: <see cref="Invoke{TVec, TOps}"/>
/// handles <c>count</c> elements from <c>at</c> (fewer than a vector only at the end), with the operator's
/// <see cref="Coefficients"/> broadcast to the width.
/// </summary>
internal interface IElementwiseOperator
{
    /// <summary>The scalar coefficients <see cref="Invoke{TVec, TOps}"/> receives broadcast.</summary>
    Scalars Coefficients { get; }

    /// <summary>
    /// Whether the AVX2 path handles a ragged end with one masked vector rather than element by element
    /// (AVX2's masked stores are slow on some CPUs; either way the bits are the same).
    /// </summary>
    static virtual bool MaskedTail => false;

    void Invoke<TVec, TOps>(nint at, int count, in Coefficients<TVec> k)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>;
}

/// <summary>
/// The one driver of the element-wise kernels, on the current instruction set: whole vectors, then the ragged
/// end as one masked vector (AVX-512, and AVX2 for operators that ask for it) or element by element through
/// the scalar path (AVX2 otherwise: the AVX2 and scalar paths compute the same bits, see <see cref="ScalarOps"/>).
/// </summary>
internal static class Elementwise
{
    /// <summary>Below this many elements a pass stays on the calling thread.</summary>
    private const int ParallelMinLength = 64 * 1024;

    /// <summary>Parts of a split pass start at multiples of this many elements (whole vectors at every width).</summary>
    private const int ParallelGrain = 64;

    /// <summary>
    /// Runs <paramref name="op"/> over elements 0..length on <see cref="InstructionSet.Current"/>; a long pass is
    /// split into ranges of whole vectors over <see cref="EngineThreads.Current"/> threads (each element computed
    /// by the same operations whichever thread runs it).
    /// </summary>
    public static void Run<TOp>(ref TOp op, int length)
        where TOp : struct, IElementwiseOperator
    {
        int threads = EngineThreads.Current;
        if (threads > 1 && length >= ParallelMinLength)
        {
            RangeJob<TOp> job = RangeJob<TOp>.ForThisThread;
            (job.Op, job.Length) = (op, length);
            WorkerTeam.Run(job, Math.Min(threads, length / ParallelGrain));
            return;
        }
        Run(ref op, 0, length);
    }

    private static void Run<TOp>(ref TOp op, int from, int to)
        where TOp : struct, IElementwiseOperator
    {
        switch (InstructionSet.Current)
        {
            case Isa.Avx512:
                Run<Vector512<float>, Vector512Ops, TOp>(ref op, from, to);
                break;
            case Isa.Avx2:
                Run<Vector256<float>, Vector256Ops, TOp>(ref op, from, to);
                break;
            default:
                Run<float, ScalarOps, TOp>(ref op, from, to);
                break;
        }
    }

    /// <summary>A pass split into ranges of elements; one per operator type and thread, reused.</summary>
    private sealed class RangeJob<TOp> : ParallelJob
        where TOp : struct, IElementwiseOperator
    {
        [ThreadStatic]
        private static RangeJob<TOp>? t_job;

        public TOp Op;
        public int Length;

        public static RangeJob<TOp> ForThisThread => t_job ??= new RangeJob<TOp>();

        public override void Run(int part, int parts)
        {
            (int from, int to) = Range(Length, ParallelGrain, part, parts);
            TOp op = Op;
            if (to > from)
                Elementwise.Run(ref op, from, to);
        }
    }

    /// <summary>
    /// Runs <paramref name="op"/> over elements 0..length with one width: a method of its own per width and
    /// operator, so that the JIT's inlining budget goes to this width's operator alone, compiled fully
    /// optimised on first use (unoptimised code of the generic operators, a call per vector operation, would
    /// make the first thousands of training steps several times slower before tiered compilation catches up).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TVec, TOps, TOp>(ref TOp op, int from, int to)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
        where TOp : struct, IElementwiseOperator =>
        RunInline<TVec, TOps, TOp>(ref op, from, to);

    /// <summary>The loop of <see cref="Run{TVec, TOps, TOp}"/>, for drivers that loop over rows themselves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunInline<TVec, TOps, TOp>(ref TOp op, int length)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
        where TOp : struct, IElementwiseOperator =>
        RunInline<TVec, TOps, TOp>(ref op, 0, length);

    /// <summary>The loop over elements from..to (from a multiple of the vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunInline<TVec, TOps, TOp>(ref TOp op, int from, int to)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
        where TOp : struct, IElementwiseOperator
    {
        // A local copy: the operator's fields (pointers, coefficients) then stay in registers, where reads through
        // the reference would be repeated after every store in case the store had changed them.
        TOp local = op;
        Scalars scalars = local.Coefficients;
        Coefficients<TVec> k = Coefficients<TVec>.Broadcast<TOps>(scalars);
        int width = TOps.Count;
        nint whole = to - (to - from) % width;
        for (nint i = from; i < whole; i += width)
            local.Invoke<TVec, TOps>(i, width, in k);
        if (whole == to)
            return;
        if (TOps.Count == 8 && !TOp.MaskedTail)
        {
            Coefficients<float> ks = Coefficients<float>.Broadcast<ScalarOps>(scalars);
            for (nint i = whole; i < to; i++)
                local.Invoke<float, ScalarOps>(i, 1, in ks);
            return;
        }
        local.Invoke<TVec, TOps>(whole, (int)(to - whole), in k);
    }
}
