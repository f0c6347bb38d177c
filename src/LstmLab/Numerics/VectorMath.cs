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

/// <summary>
/// One element-wise operation over spans that a driver runs a vector at a time: <see cref="Invoke{TVec, TOps}"/>
/// handles <c>count</c> elements from <c>at</c> (fewer than a vector only at the end).
/// </summary>
internal interface IElementwiseOperator
{
    void Invoke<TVec, TOps>(nint at, int count)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>;
}

/// <summary>The one driver of the element-wise kernels: whole vectors, then a masked last one, on the current instruction set.</summary>
internal static class Elementwise
{
    /// <summary>
    /// Runs <paramref name="op"/> over elements 0..length on <see cref="InstructionSet.Current"/>. Compiled fully
    /// optimised on first use: unoptimised code of the generic operators (a call per vector operation) would
    /// make the first thousands of training steps several times slower before tiered compilation catches up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOp>(ref TOp op, int length)
        where TOp : struct, IElementwiseOperator
    {
        switch (InstructionSet.Current)
        {
            case Isa.Avx512:
                Run<Vector512<float>, Vector512Ops, TOp>(ref op, length);
                break;
            case Isa.Avx2:
                Run<Vector256<float>, Vector256Ops, TOp>(ref op, length);
                break;
            default:
                Run<float, ScalarOps, TOp>(ref op, length);
                break;
        }
    }

    /// <summary>Runs <paramref name="op"/> over elements 0..length with one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TVec, TOps, TOp>(ref TOp op, int length)
        where TVec : struct
        where TOps : struct, IVectorOps<TVec>
        where TOp : struct, IElementwiseOperator
    {
        int width = TOps.Count;
        nint i = 0;
        for (; i + width <= length; i += width)
            op.Invoke<TVec, TOps>(i, width);
        if (i < length)
            op.Invoke<TVec, TOps>(i, (int)(length - i));
    }
}
