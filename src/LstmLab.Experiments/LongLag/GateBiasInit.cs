using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Initial gate biases of an LSTM for long time lags (Keras gate order i, f, c, o in the bias vector).
/// </summary>
public static class GateBiasInit
{
    /// <summary>Sets the forget-gate slice [u, 2u) of the bias to <paramref name="value"/> (every unit the same).</summary>
    public static void SetForgetBias(Lstm lstm, double value)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        lstm.Cell.Bias.Value.Span.Slice(lstm.Units, lstm.Units).Fill((float)value);
    }

    /// <summary>
    /// Chrono initialization (Tallec &amp; Ollivier, "Can recurrent neural networks warp time?", ICLR 2018):
    /// for each unit j, b_f[j] = ln(u_j) with u_j ~ U[1, T_max − 1], and b_i[j] = −b_f[j]. Unit j then keeps
    /// σ(b_f[j]) of its cell per step, a time constant of about u_j steps, spread over 1 … T_max − 1, and its
    /// input gate starts nearly closed in proportion, so a long-memory cell does not integrate (drift with)
    /// every input: a uniform forget bias of 10 makes every cell an integrator over 1,000 steps, whose state
    /// then grows with the sum of its inputs, saturates tanh and no longer shows the current input.
    /// The other biases are left as they are (Keras: 0 for c and o).
    /// </summary>
    /// <param name="lstm">The layer (already built with its units).</param>
    /// <param name="tMax">The longest dependency expected, in steps (at least 3).</param>
    /// <param name="random">The draws of u_j (one per unit, in unit order).</param>
    /// <exception cref="ArgumentException"><paramref name="tMax"/> is below 3 or not finite.</exception>
    public static void Chrono(Lstm lstm, double tMax, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        ArgumentNullException.ThrowIfNull(random);
        ValidateChrono(tMax);
        Span<float> bias = lstm.Cell.Bias.Value.Span;
        int u = lstm.Units;
        for (int j = 0; j < u; j++)
        {
            double bf = Math.Log(random.NextUniform(1, tMax - 1));
            bias[u + j] = (float)bf;
            bias[j] = (float)-bf;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <c>--chrono</c> unless T_max is finite and at least 3.</summary>
    public static void ValidateChrono(double tMax)
    {
        if (!double.IsFinite(tMax) || tMax < 3)
            throw new ArgumentException(FormattableString.Invariant($"--chrono must be a number of steps of at least 3 (got {tMax}): the forget biases are ln U[1, T_max - 1]."));
    }
}
