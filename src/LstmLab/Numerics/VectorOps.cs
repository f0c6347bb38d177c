using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

/// <summary>
/// The element-wise operations of one vector width (<c>float</c>, <c>Vector256&lt;float&gt;</c> or
/// <c>Vector512&lt;float&gt;</c>), so that a kernel's formula is written once, generic over the width, and
/// compiled for each: the JIT specialises and inlines every call. Each operation is the one the width's
/// own API performs (no fused multiply-add unless asked for), so a formula gives the same bits at every
/// width except where an operation is documented to differ.
/// </summary>
internal unsafe interface IVectorOps<TVec>
    where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TVec Create(float value);

    /// <summary>
    /// The first <paramref name="count"/> floats at <paramref name="p"/> (all of a vector when
    /// <paramref name="count"/> ≥ <see cref="Count"/>); the other lanes are zero and their memory is not read.
    /// </summary>
    static abstract TVec Load(float* p, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes; memory past them is not touched.</summary>
    static abstract void Store(TVec value, float* p, int count);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    static abstract TVec Negate(TVec a);

    /// <summary>a·b + c rounded once.</summary>
    static abstract TVec FusedMultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Min(TVec a, TVec b);

    static abstract TVec Max(TVec a, TVec b);

    static abstract TVec Abs(TVec a);

    /// <summary>Rounds to the nearest integer, ties to even.</summary>
    static abstract TVec Round(TVec a);

    static abstract TVec Sqrt(TVec a);

    /// <summary><paramref name="value"/> where 0 &lt; y &lt; 1, else 0.</summary>
    static abstract TVec WhereInsideUnitInterval(TVec y, TVec value);

    /// <summary><paramref name="value"/> (non-negative) with the sign of <paramref name="sign"/>.</summary>
    static abstract TVec WithSignOf(TVec value, TVec sign);

    /// <summary><paramref name="x"/> where it is NaN, else <paramref name="value"/>.</summary>
    static abstract TVec NaNOr(TVec x, TVec value);

    /// <summary>The range <see cref="VectorMath.Exp{TVec, TOps}"/> clamps x to before computing e^x.</summary>
    static abstract float ExpLow { get; }

    /// <inheritdoc cref="ExpLow"/>
    static abstract float ExpHigh { get; }

    /// <summary>y·2ⁿ for whole n in the range <see cref="ExpLow"/>·log₂e .. <see cref="ExpHigh"/>·log₂e.</summary>
    static abstract TVec ScaleByPowerOfTwo(TVec y, TVec n);
}

/// <summary>One float at a time: the reference path. Its exponential scales like the AVX2 path's.</summary>
internal readonly unsafe struct ScalarOps : IVectorOps<float>
{
    public static int Count => 1;

    public static float ExpLow => -87.3f;

    public static float ExpHigh => 88.3f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Create(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* p, int count) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, float* p, int count) => *p = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Negate(float a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FusedMultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => MathF.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => MathF.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float a) => MathF.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float a) => MathF.Round(a, MidpointRounding.ToEven);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float a) => MathF.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WhereInsideUnitInterval(float y, float value) => y > 0f && y < 1f ? value : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WithSignOf(float value, float sign) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) ^ (BitConverter.SingleToInt32Bits(sign) & int.MinValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NaNOr(float x, float value) => float.IsNaN(x) ? x : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScaleByPowerOfTwo(float y, float n) => y * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
}

/// <summary>256-bit vectors; masked loads and stores through AVX's <c>vmaskmovps</c>.</summary>
internal readonly unsafe struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => 8;

    public static float ExpLow => -87.3f;

    public static float ExpHigh => 88.3f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p, int count) => count >= 8 ? Vector256.Load(p) : Avx.MaskLoad(p, Mask(count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* p, int count)
    {
        if (count >= 8)
            value.Store(p);
        else
            Avx.MaskStore(p, Mask(count), value);
    }

    /// <summary>Lanes 0..count-1 set, as a float mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mask(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WhereInsideUnitInterval(Vector256<float> y, Vector256<float> value) =>
        value & Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThan(y, Vector256<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WithSignOf(Vector256<float> value, Vector256<float> sign) =>
        ((sign.AsUInt32() & Vector256.Create(0x8000_0000u)) ^ value.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NaNOr(Vector256<float> x, Vector256<float> value) => Vector256.ConditionalSelect(Vector256.IsNaN(x), x, value);

    /// <summary>2ⁿ built in the exponent bits: exact for n in −126..127, which the clamp of x guarantees.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> y, Vector256<float> n) =>
        y * ((Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23).AsSingle();
}

/// <summary>
/// 512-bit vectors through the cross-platform <c>Vector512</c> API. Masked loads and stores and the
/// scaling by 2ⁿ use AVX-512F (<c>vmovups</c> with a mask, <c>vscalefps</c>, which also gives ∞ and
/// subnormals past the float range, hence the wider clamp of the exponential) where the CPU has it, and
/// element-wise stand-ins with the same results where it does not.
/// </summary>
internal readonly unsafe struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => 16;

    public static float ExpLow => -104f;

    public static float ExpHigh => 89f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p, int count) => count >= 16 ? Vector512.Load(p) : MaskLoad(p, Mask(count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* p, int count)
    {
        if (count >= 16)
            value.Store(p);
        else
            MaskStore(p, Mask(count), value);
    }

    /// <summary>Lanes 0..count-1 set (all when count ≥ 16), as a float mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>The lanes of <paramref name="mask"/> loaded from <paramref name="p"/>, the others zero; masked-off memory is not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaskLoad(float* p, Vector512<float> mask)
    {
        if (Avx512F.IsSupported)
            return Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);
        return EmulatedMaskLoad(p, mask);
    }

    /// <summary>Stores the lanes of <paramref name="mask"/>; masked-off memory is not touched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore(float* p, Vector512<float> mask, Vector512<float> value)
    {
        if (Avx512F.IsSupported)
            Avx512F.MaskStore(p, mask, value);
        else
            EmulatedMaskStore(p, mask, value);
    }

    private static Vector512<float> EmulatedMaskLoad(float* p, Vector512<float> mask)
    {
        float* lanes = stackalloc float[16];
        for (int i = 0; i < 16; i++)
            lanes[i] = mask.AsInt32().GetElement(i) != 0 ? p[i] : 0f;
        return Vector512.Load(lanes);
    }

    private static void EmulatedMaskStore(float* p, Vector512<float> mask, Vector512<float> value)
    {
        for (int i = 0; i < 16; i++)
        {
            if (mask.AsInt32().GetElement(i) != 0)
                p[i] = value.GetElement(i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Negate(Vector512<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WhereInsideUnitInterval(Vector512<float> y, Vector512<float> value) =>
        value & Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512.LessThan(y, Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WithSignOf(Vector512<float> value, Vector512<float> sign) =>
        ((sign.AsUInt32() & Vector512.Create(0x8000_0000u)) ^ value.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NaNOr(Vector512<float> x, Vector512<float> value) => Vector512.ConditionalSelect(Vector512.IsNaN(x), x, value);

    /// <summary><c>vscalefps</c> where the CPU has it; else <c>MathF.ScaleB</c> lane by lane (the same IEEE result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> y, Vector512<float> n)
    {
        if (Avx512F.IsSupported)
            return Avx512F.Scale(y, n);
        return EmulatedScale(y, n);
    }

    private static Vector512<float> EmulatedScale(Vector512<float> y, Vector512<float> n)
    {
        float* lanes = stackalloc float[16];
        for (int i = 0; i < 16; i++)
            lanes[i] = MathF.ScaleB(y.GetElement(i), (int)n.GetElement(i));
        return Vector512.Load(lanes);
    }
}
