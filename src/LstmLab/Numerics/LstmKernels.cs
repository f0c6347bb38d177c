using System.Runtime.Intrinsics;

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
        Span<float> c, Span<float> tanhC, Span<float> h, int units)
    {
        Activations.Forward(recurrent, gates[..(2 * units)]);
        System.Numerics.Tensors.TensorPrimitives.Tanh(gates.Slice(2 * units, units), gates.Slice(2 * units, units));
        Activations.Forward(recurrent, gates.Slice(3 * units, units));
        ReadOnlySpan<float> gi = gates[..units], gf = gates.Slice(units, units), gg = gates.Slice(2 * units, units);
        for (int j = 0; j < units; j++)
            c[j] = MathF.FusedMultiplyAdd(gf[j], cPrev[j], gi[j] * gg[j]);
        System.Numerics.Tensors.TensorPrimitives.Tanh(c[..units], tanhC);
        System.Numerics.Tensors.TensorPrimitives.Multiply(gates.Slice(3 * units, units), tanhC[..units], h);
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
