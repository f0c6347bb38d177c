using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

/// <summary>
/// The fused element-wise math of one LSTM time step, on rows of pre-activations laid out like
/// Keras's fused weights: <c>[i | f | c | o]</c>, each block <c>units</c> wide.
/// <code>
/// i = σr(z_i)   f = σr(z_f)   g = tanh(z_c)   o = σr(z_o)
/// c_t = f ⊙ c_{t-1} + i ⊙ g          h_t = o ⊙ tanh(c_t)
/// </code>
/// σr is the recurrent activation (sigmoid or a hard sigmoid). Vector512, Vector256 and scalar paths.
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
    /// From 4 units on (with AVX2 or AVX-512), one fused pass per row computes every gate, c, tanh c and h
    /// in registers: sigmoid 1 / (1 + e^−x) and tanh sign(x)·(−z / (z + 2)), z = e^(−2|x|) − 1, the forms
    /// <c>TensorPrimitives.Sigmoid</c> and <c>TensorPrimitives.Tanh</c> use, with a single-precision
    /// exponential of at most 1.3 ulp error (the library's: 1.8 ulp) that costs a third as much. Below 4
    /// units, or without AVX2, the separate library calls are made.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than rows × its row width.</exception>
    public static void GatesForward(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units, int rows)
    {
        Check(gates.Length, rows * 4 * units, nameof(gates));
        Check(cPrev.Length, rows * units, nameof(cPrev));
        Check(c.Length, rows * units, nameof(c));
        Check(tanhC.Length, rows * units, nameof(tanhC));
        Check(h.Length, rows * units, nameof(h));
        if (units >= 4 && Avx512F.IsSupported)
        {
            FusedForward512(recurrent, gates, cPrev, c, tanhC, h, units, rows);
            return;
        }
        if (units >= 4 && Avx2.IsSupported && Fma.IsSupported)
        {
            FusedForward256(recurrent, gates, cPrev, c, tanhC, h, units, rows);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            SeparateForward(recurrent, gates.Slice(r * 4 * units, 4 * units), cPrev.Slice(r * units, units),
                c.Slice(r * units, units), tanhC.Slice(r * units, units), h.Slice(r * units, units), units);
        }
    }

    /// <summary>One row through the element-wise library calls (the reference the fused paths reproduce).</summary>
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

    private static unsafe void FusedForward512(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units, int rows)
    {
        float slope = Activations.HardSlope(recurrent);
        bool hard = recurrent != RecurrentActivation.Sigmoid;
        fixed (float* pz = gates, pcp = cPrev, pc = c, pt = tanhC, ph = h)
        {
            for (int r = 0; r < rows; r++)
            {
                // Activate the row in place in three short loops (each small enough for the JIT to inline
                // its exponential), then combine: the row is in L1 throughout.
                float* z = pz + (nint)r * 4 * units;
                GateInPlace512(z, 2 * units, hard, slope);
                TanhInPlace512(z + 2 * units, units);
                GateInPlace512(z + 3 * units, units, hard, slope);
                nint s = (nint)r * units;
                for (int j = 0; j < units; j += 16)
                {
                    Vector512<float> m = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(units - j)).AsSingle();
                    Vector512<float> i = Avx512F.MaskLoad(z + j, m, default), f = Avx512F.MaskLoad(z + units + j, m, default);
                    Vector512<float> g = Avx512F.MaskLoad(z + 2 * units + j, m, default), o = Avx512F.MaskLoad(z + 3 * units + j, m, default);
                    Vector512<float> cv = Vector512.FusedMultiplyAdd(f, Avx512F.MaskLoad(pcp + s + j, m, default), i * g);
                    Vector512<float> th = Tanh512(cv);
                    Avx512F.MaskStore(pc + s + j, m, cv);
                    Avx512F.MaskStore(pt + s + j, m, th);
                    Avx512F.MaskStore(ph + s + j, m, o * th);
                }
            }
        }
    }

    private static unsafe void GateInPlace512(float* p, int length, bool hard, float slope)
    {
        for (int j = 0; j < length; j += 16)
        {
            Vector512<float> m = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(length - j)).AsSingle();
            Avx512F.MaskStore(p + j, m, Gate512(Avx512F.MaskLoad(p + j, m, default), hard, slope));
        }
    }

    private static unsafe void TanhInPlace512(float* p, int length)
    {
        for (int j = 0; j < length; j += 16)
        {
            Vector512<float> m = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(length - j)).AsSingle();
            Avx512F.MaskStore(p + j, m, Tanh512(Avx512F.MaskLoad(p + j, m, default)));
        }
    }

    private static unsafe void FusedForward256(RecurrentActivation recurrent, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int units, int rows)
    {
        float slope = Activations.HardSlope(recurrent);
        bool hard = recurrent != RecurrentActivation.Sigmoid;
        fixed (float* pz = gates, pcp = cPrev, pc = c, pt = tanhC, ph = h)
        {
            for (int r = 0; r < rows; r++)
            {
                float* z = pz + (nint)r * 4 * units;
                nint s = (nint)r * units;
                for (int j = 0; j < units; j += 8)
                {
                    Vector256<float> m = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(units - j)).AsSingle();
                    Vector256<float> i = Gate256(Avx.MaskLoad(z + j, m), hard, slope);
                    Vector256<float> f = Gate256(Avx.MaskLoad(z + units + j, m), hard, slope);
                    Vector256<float> g = Tanh256(Avx.MaskLoad(z + 2 * units + j, m));
                    Vector256<float> o = Gate256(Avx.MaskLoad(z + 3 * units + j, m), hard, slope);
                    Vector256<float> cv = Vector256.FusedMultiplyAdd(f, Avx.MaskLoad(pcp + s + j, m), i * g);
                    Vector256<float> th = Tanh256(cv);
                    Avx.MaskStore(z + j, m, i);
                    Avx.MaskStore(z + units + j, m, f);
                    Avx.MaskStore(z + 2 * units + j, m, g);
                    Avx.MaskStore(z + 3 * units + j, m, o);
                    Avx.MaskStore(pc + s + j, m, cv);
                    Avx.MaskStore(pt + s + j, m, th);
                    Avx.MaskStore(ph + s + j, m, o * th);
                }
            }
        }
    }

    /// <summary>The recurrent activation: 1 / (1 + e^−x), or clip(slope·x + 0.5, 0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Gate512(Vector512<float> x, bool hard, float slope) => hard
        ? Vector512.Min(Vector512.Max(Vector512.FusedMultiplyAdd(x, Vector512.Create(slope), Vector512.Create(0.5f)), Vector512<float>.Zero), Vector512<float>.One)
        : Vector512<float>.One / (Vector512<float>.One + Exp512(-x));

    /// <summary>tanh x = sign(x)·(−z / (z + 2)), z = e^(−2|x|) − 1 (the form <c>TensorPrimitives.Tanh</c> uses).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh512(Vector512<float> x)
    {
        Vector512<float> z = Exp512(Vector512.Create(-2f) * Vector512.Abs(x)) - Vector512<float>.One;
        Vector512<uint> sign = x.AsUInt32() & Vector512.Create(0x8000_0000u);
        return (sign ^ (-z / (z + Vector512.Create(2f))).AsUInt32()).AsSingle();
    }

    /// <summary>
    /// e^x in single precision, Cephes' <c>expf</c>: n = round(x·log₂e), r = x − n·ln 2 (in two parts),
    /// e^r by a degree-7 polynomial, times 2^n (<c>vscalefps</c>, which also gives ∞ and 0 past the range).
    /// Measured error at most 1.3 ulp over [−87, 88] (the library's vector exp: 1.8 ulp), at a third of its cost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp512(Vector512<float> x)
    {
        Vector512<float> xc = Vector512.Min(Vector512.Max(x, Vector512.Create(-104f)), Vector512.Create(89f));
        Vector512<float> n = Vector512.Round(xc * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), xc);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(Ln2Low), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        Vector512<float> y = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, Avx512F.Scale(y, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Gate256(Vector256<float> x, bool hard, float slope) => hard
        ? Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(x, Vector256.Create(slope), Vector256.Create(0.5f)), Vector256<float>.Zero), Vector256<float>.One)
        : Vector256<float>.One / (Vector256<float>.One + Exp256(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh256(Vector256<float> x)
    {
        Vector256<float> z = Exp256(Vector256.Create(-2f) * Vector256.Abs(x)) - Vector256<float>.One;
        Vector256<uint> sign = x.AsUInt32() & Vector256.Create(0x8000_0000u);
        return (sign ^ (-z / (z + Vector256.Create(2f))).AsUInt32()).AsSingle();
    }

    /// <summary>
    /// The AVX2 form of <see cref="Exp512"/>: 2^n is built in the exponent bits, so x is clamped to
    /// [−87.3, 88.3] (results stay finite: about 1e−38 below, 2e38 above).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp256(Vector256<float> x)
    {
        Vector256<float> xc = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.3f));
        Vector256<float> n = Vector256.Round(xc * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), xc);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(Ln2Low), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        Vector256<float> y = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        Vector256<float> pow2n = ((Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, y * pow2n);
    }

    // Cephes expf: log₂e, ln 2 split so that n·Ln2High is exact, and the polynomial for (e^r − 1 − r) / r².
    private const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = 2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"Span '{name}' holds {length} floats but the rows need {needed}.", name);
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
    /// σr'(y) = y(1 − y) for the sigmoid and slope·[0 &lt; y &lt; 1] for a hard sigmoid.
    /// </summary>
    public static void GatesBackward(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units)
    {
        GatesBackwardRow(recurrent, gates, cPrev, tanhC, dh, dcNext, dz, dcPrev, units);
    }

    /// <summary>
    /// Backward for <paramref name="rows"/> rows at once, laid out as in the batched
    /// <see cref="GatesForward(RecurrentActivation, Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, int)"/>;
    /// the same formulas as the one-row form, row by row. <paramref name="dcPrev"/> may alias <paramref name="dcNext"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than rows × its row width.</exception>
    public static void GatesBackward(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units, int rows)
    {
        Check(gates.Length, rows * 4 * units, nameof(gates));
        Check(dz.Length, rows * 4 * units, nameof(dz));
        Check(cPrev.Length, rows * units, nameof(cPrev));
        Check(tanhC.Length, rows * units, nameof(tanhC));
        Check(dh.Length, rows * units, nameof(dh));
        Check(dcNext.Length, rows * units, nameof(dcNext));
        Check(dcPrev.Length, rows * units, nameof(dcPrev));
        if (Avx512F.IsSupported)
        {
            FusedBackward512(recurrent, gates, cPrev, tanhC, dh, dcNext, dz, dcPrev, units, rows);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            int w = 4 * units, s = r * units;
            GatesBackwardRow(recurrent, gates.Slice(r * w, w), cPrev.Slice(s, units), tanhC.Slice(s, units), dh.Slice(s, units),
                dcNext.Slice(s, units), dz.Slice(r * w, w), dcPrev.Slice(s, units), units);
        }
    }

    /// <summary>The rows of the batched backward through pointers and masked 16-float vectors (no scalar tail).</summary>
    private static unsafe void FusedBackward512(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units, int rows)
    {
        bool hard = recurrent != RecurrentActivation.Sigmoid;
        Vector512<float> one = Vector512<float>.One, slope = Vector512.Create(Activations.HardSlope(recurrent));
        fixed (float* pg = gates, pcp = cPrev, pt = tanhC, pdh = dh, pdn = dcNext, pdz = dz, pdp = dcPrev)
        {
            for (int r = 0; r < rows; r++)
            {
                float* g4 = pg + (nint)r * 4 * units, z4 = pdz + (nint)r * 4 * units;
                nint s = (nint)r * units;
                for (int j = 0; j < units; j += 16)
                {
                    Vector512<float> m = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(units - j)).AsSingle();
                    Vector512<float> i = Avx512F.MaskLoad(g4 + j, m, default), f = Avx512F.MaskLoad(g4 + units + j, m, default);
                    Vector512<float> g = Avx512F.MaskLoad(g4 + 2 * units + j, m, default), o = Avx512F.MaskLoad(g4 + 3 * units + j, m, default);
                    Vector512<float> th = Avx512F.MaskLoad(pt + s + j, m, default), dhv = Avx512F.MaskLoad(pdh + s + j, m, default);
                    Vector512<float> dc = Avx512F.MaskLoad(pdn + s + j, m, default) + dhv * o * (one - th * th);
                    Avx512F.MaskStore(z4 + j, m, dc * g * Derivative512(i, hard, slope));
                    Avx512F.MaskStore(z4 + units + j, m, dc * Avx512F.MaskLoad(pcp + s + j, m, default) * Derivative512(f, hard, slope));
                    Avx512F.MaskStore(z4 + 2 * units + j, m, dc * i * (one - g * g));
                    Avx512F.MaskStore(z4 + 3 * units + j, m, dhv * th * Derivative512(o, hard, slope));
                    Avx512F.MaskStore(pdp + s + j, m, dc * f);
                }
            }
        }
    }

    private static void GatesBackwardRow(RecurrentActivation recurrent, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tanhC, ReadOnlySpan<float> dh, ReadOnlySpan<float> dcNext, Span<float> dz, Span<float> dcPrev, int units)
    {
        float slope = Activations.HardSlope(recurrent);
        bool hard = recurrent != RecurrentActivation.Sigmoid;
        ReadOnlySpan<float> gi = gates[..units], gf = gates.Slice(units, units), gg = gates.Slice(2 * units, units), go = gates.Slice(3 * units, units);
        Span<float> dzi = dz[..units], dzf = dz.Slice(units, units), dzg = dz.Slice(2 * units, units), dzo = dz.Slice(3 * units, units);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            var s = Vector512.Create(slope);
            for (; j + Vector512<float>.Count <= units; j += Vector512<float>.Count)
            {
                var i = Load512(gi, j); var f = Load512(gf, j); var g = Load512(gg, j); var o = Load512(go, j);
                var th = Load512(tanhC, j); var dhv = Load512(dh, j);
                var dc = Load512(dcNext, j) + dhv * o * (one - th * th);
                (dc * g * Derivative512(i, hard, s)).CopyTo(dzi.Slice(j));
                (dc * Load512(cPrev, j) * Derivative512(f, hard, s)).CopyTo(dzf.Slice(j));
                (dc * i * (one - g * g)).CopyTo(dzg.Slice(j));
                (dhv * th * Derivative512(o, hard, s)).CopyTo(dzo.Slice(j));
                (dc * f).CopyTo(dcPrev.Slice(j));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            var s = Vector256.Create(slope);
            for (; j + Vector256<float>.Count <= units; j += Vector256<float>.Count)
            {
                var i = Load256(gi, j); var f = Load256(gf, j); var g = Load256(gg, j); var o = Load256(go, j);
                var th = Load256(tanhC, j); var dhv = Load256(dh, j);
                var dc = Load256(dcNext, j) + dhv * o * (one - th * th);
                (dc * g * Derivative256(i, hard, s)).CopyTo(dzi.Slice(j));
                (dc * Load256(cPrev, j) * Derivative256(f, hard, s)).CopyTo(dzf.Slice(j));
                (dc * i * (one - g * g)).CopyTo(dzg.Slice(j));
                (dhv * th * Derivative256(o, hard, s)).CopyTo(dzo.Slice(j));
                (dc * f).CopyTo(dcPrev.Slice(j));
            }
        }
        for (; j < units; j++)
        {
            float i = gi[j], f = gf[j], g = gg[j], o = go[j], th = tanhC[j];
            float dc = dcNext[j] + dh[j] * o * (1f - th * th);
            dzi[j] = dc * g * Derivative(i, hard, slope);
            dzf[j] = dc * cPrev[j] * Derivative(f, hard, slope);
            dzg[j] = dc * i * (1f - g * g);
            dzo[j] = dh[j] * th * Derivative(o, hard, slope);
            dcPrev[j] = dc * f;
        }
    }

    private static float Derivative(float y, bool hard, float slope) =>
        hard ? (y > 0f && y < 1f ? slope : 0f) : y * (1f - y);

    private static Vector512<float> Load512(ReadOnlySpan<float> s, int j) => Vector512.Create(s.Slice(j, Vector512<float>.Count));

    private static Vector256<float> Load256(ReadOnlySpan<float> s, int j) => Vector256.Create(s.Slice(j, Vector256<float>.Count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Derivative512(Vector512<float> y, bool hard, Vector512<float> slope)
    {
        if (!hard)
            return y * (Vector512<float>.One - y);
        var inside = Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512.LessThan(y, Vector512<float>.One);
        return slope & inside;
    }

    private static Vector256<float> Derivative256(Vector256<float> y, bool hard, Vector256<float> slope)
    {
        if (!hard)
            return y * (Vector256<float>.One - y);
        var inside = Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThan(y, Vector256<float>.One);
        return slope & inside;
    }
}
