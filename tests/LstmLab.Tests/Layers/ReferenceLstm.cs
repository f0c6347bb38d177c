using LstmLab.Numerics;

namespace LstmLab.Tests.Layers;

/// <summary>
/// A plain double-precision LSTM, written from the Keras equations without any of the engine's
/// layout tricks, for checking the engine's forward pass and for counting saturated hard-sigmoid gates.
/// <code>
/// z = x_t·kernel + h·recurrent_kernel + bias;  i, f, o = σr(z_i, z_f, z_o);  g = tanh(z_c)
/// c = f·c + i·g;  h = o·tanh(c)
/// </code>
/// </summary>
internal static class ReferenceLstm
{
    /// <summary>The outputs h_t (B, T, u), the final h and c (B, u), and how many gate activations were clipped to 0 or 1 by a hard sigmoid.</summary>
    public sealed record Result(double[] Outputs, double[] FinalH, double[] FinalC, int SaturatedGates, int Gates);

    /// <param name="x">(B, T, F) row-major.</param>
    /// <param name="kernel">(F, 4u).</param>
    /// <param name="recurrentKernel">(u, 4u).</param>
    /// <param name="bias">(4u).</param>
    /// <param name="h0">(B, u) initial h, or null for zeros.</param>
    /// <param name="c0">(B, u) initial c, or null for zeros.</param>
    public static Result Run(ReadOnlySpan<float> x, int batch, int steps, int features, int units,
        ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        RecurrentActivation activation, ReadOnlySpan<float> h0 = default, ReadOnlySpan<float> c0 = default)
    {
        int u = units, width = 4 * u;
        var outputs = new double[batch * steps * u];
        var finalH = new double[batch * u];
        var finalC = new double[batch * u];
        int saturated = 0, gates = 0;
        var z = new double[width];
        for (int b = 0; b < batch; b++)
        {
            var h = new double[u];
            var c = new double[u];
            for (int j = 0; j < u; j++)
            {
                h[j] = h0.IsEmpty ? 0 : h0[b * u + j];
                c[j] = c0.IsEmpty ? 0 : c0[b * u + j];
            }
            for (int t = 0; t < steps; t++)
            {
                for (int q = 0; q < width; q++)
                {
                    double s = bias[q];
                    for (int k = 0; k < features; k++)
                        s += (double)x[(b * steps + t) * features + k] * kernel[k * width + q];
                    for (int k = 0; k < u; k++)
                        s += h[k] * recurrentKernel[k * width + q];
                    z[q] = s;
                }
                for (int j = 0; j < u; j++)
                {
                    double i = Gate(z[j], activation, ref saturated);
                    double f = Gate(z[u + j], activation, ref saturated);
                    double g = Math.Tanh(z[2 * u + j]);
                    double o = Gate(z[3 * u + j], activation, ref saturated);
                    gates += 3;
                    c[j] = f * c[j] + i * g;
                    h[j] = o * Math.Tanh(c[j]);
                    outputs[(b * steps + t) * u + j] = h[j];
                }
            }
            h.CopyTo(finalH, b * u);
            c.CopyTo(finalC, b * u);
        }
        return new Result(outputs, finalH, finalC, saturated, gates);
    }

    private static double Gate(double z, RecurrentActivation activation, ref int saturated)
    {
        double slope = activation switch
        {
            RecurrentActivation.Sigmoid => 0,
            RecurrentActivation.HardSigmoidKeras2 => 0.2,
            RecurrentActivation.HardSigmoidKeras3 => 1.0 / 6.0,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        if (slope == 0)
            return 1 / (1 + Math.Exp(-z));
        double y = slope * z + 0.5;
        if (y <= 0 || y >= 1)
            saturated++;
        return Math.Clamp(y, 0, 1);
    }
}
