using System.Numerics.Tensors;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// The batched, fused LSTM gate kernels (one pass per row with their own vector exponential, written for
/// speed) against the separate element-wise library calls they replace, for every unit count 1..70 (whole
/// 16- and 8-float vectors and every ragged tail), every recurrent activation and several rows: at least as
/// accurate against a double-precision reference (within 2 ulp of 1), and the very same bits where the
/// library calls are still made (below 4 units). The batched backward is the one-row backward, row by row.
/// Each on every path this machine can run (<see cref="IsaPaths"/>); the scalar path is the reference the
/// others are compared with bit for bit in <see cref="InstructionSetTests"/>.
/// </summary>
public sealed class FusedGateKernelTests
{
    public static TheoryData<string, RecurrentActivation> Activations() => InstructionSetTests.PathsAndActivations();

    [Theory]
    [MemberData(nameof(Activations))]
    public void Batched_forward_is_as_accurate_as_the_separate_library_calls(string isa, RecurrentActivation activation) =>
        IsaPaths.On(isa, () => ForwardIsAsAccurate(activation));

    private static void ForwardIsAsAccurate(RecurrentActivation activation)
    {
        var random = new RandomGenerator(71 + (int)activation);
        const int rows = 3;
        for (int units = 1; units <= 70; units++)
        {
            float[] z = Uniform(random, rows * 4 * units, -9, 9), cPrev = Uniform(random, rows * units, -3, 3);
            float[] gates = (float[])z.Clone();
            float[] c = new float[rows * units], tanhC = new float[rows * units], h = new float[rows * units];
            LstmKernels.GatesForward(activation, gates, cPrev, c, tanhC, h, units, rows);

            float[] lGates = (float[])z.Clone();
            float[] lC = new float[rows * units], lTanhC = new float[rows * units], lH = new float[rows * units];
            for (int r = 0; r < rows; r++)
            {
                Span<float> g = lGates.AsSpan(r * 4 * units, 4 * units);
                Recurrent(activation, g[..(2 * units)]);
                TensorPrimitives.Tanh(g.Slice(2 * units, units), g.Slice(2 * units, units));
                Recurrent(activation, g.Slice(3 * units, units));
                for (int j = 0; j < units; j++)
                    lC[r * units + j] = MathF.FusedMultiplyAdd(g[units + j], cPrev[r * units + j], g[j] * g[2 * units + j]);
                TensorPrimitives.Tanh(lC.AsSpan(r * units, units), lTanhC.AsSpan(r * units, units));
                TensorPrimitives.Multiply(g.Slice(3 * units, units), lTanhC.AsSpan(r * units, units), lH.AsSpan(r * units, units));
            }

            (double[] rGates, double[] rC, double[] rTanhC, double[] rH) = Reference(activation, z, cPrev, units, rows);
            string at = $"{activation} units={units}";
            if (units < 4)
            {
                Assert.True(lGates.AsSpan().SequenceEqual(gates) && lC.AsSpan().SequenceEqual(c) && lH.AsSpan().SequenceEqual(h), $"not the library's bits, {at}");
                continue;
            }
            AssertNoWorse(rGates, gates, lGates, $"gates {at}");
            AssertNoWorse(rC, c, lC, $"c {at}");
            AssertNoWorse(rTanhC, tanhC, lTanhC, $"tanh c {at}");
            AssertNoWorse(rH, h, lH, $"h {at}");
        }
    }

    /// <summary>The largest error of <paramref name="actual"/> (relative to 1 + |reference|) is at most the library's plus 2 ulp of 1.</summary>
    // Provenance (hand): a bound: within 2.4e-7 of System.Numerics.Tensors' own error on the same inputs.
    private static void AssertNoWorse(double[] reference, float[] actual, float[] library, string what)
    {
        double worst = 0, libraryWorst = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double scale = 1 + Math.Abs(reference[i]);
            worst = Math.Max(worst, Math.Abs(actual[i] - reference[i]) / scale);
            libraryWorst = Math.Max(libraryWorst, Math.Abs(library[i] - reference[i]) / scale);
        }
        Assert.True(worst <= libraryWorst + 2.4e-7, $"{what}: error {worst:G3}, the library's {libraryWorst:G3}");
    }

    /// <summary>The step in double precision from the float inputs.</summary>
    private static (double[] Gates, double[] C, double[] TanhC, double[] H) Reference(RecurrentActivation activation, float[] z, float[] cPrev, int units, int rows)
    {
        var gates = new double[z.Length];
        var c = new double[rows * units];
        var tanhC = new double[rows * units];
        var h = new double[rows * units];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < units; j++)
            {
                int b = r * 4 * units + j, s = r * units + j;
                double i = Gate(activation, z[b]), f = Gate(activation, z[b + units]), g = Math.Tanh(z[b + 2 * units]), o = Gate(activation, z[b + 3 * units]);
                (gates[b], gates[b + units], gates[b + 2 * units], gates[b + 3 * units]) = (i, f, g, o);
                c[s] = f * cPrev[s] + i * g;
                tanhC[s] = Math.Tanh(c[s]);
                h[s] = o * tanhC[s];
            }
        }
        return (gates, c, tanhC, h);
    }

    private static double Gate(RecurrentActivation activation, float x) => activation switch
    {
        RecurrentActivation.Sigmoid => 1 / (1 + Math.Exp(-(double)x)),
        RecurrentActivation.HardSigmoidKeras2 => Math.Clamp(0.2 * x + 0.5, 0, 1),
        _ => Math.Clamp(x / 6.0 + 0.5, 0, 1),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Batched_backward_gives_the_bits_of_one_call_per_row(string isa, RecurrentActivation activation) =>
        IsaPaths.On(isa, () => BackwardIsRowByRow(activation));

    private static void BackwardIsRowByRow(RecurrentActivation activation)
    {
        var random = new RandomGenerator(81 + (int)activation);
        const int rows = 3;
        for (int units = 1; units <= 40; units++)
        {
            float[] gates = Uniform(random, rows * 4 * units, 0, 1), cPrev = Uniform(random, rows * units, -2, 2);
            float[] tanhC = Uniform(random, rows * units, -1, 1), dh = Uniform(random, rows * units, -1, 1);
            float[] dc = Uniform(random, rows * units, -1, 1), eDc = (float[])dc.Clone();
            float[] dz = new float[rows * 4 * units], eDz = new float[rows * 4 * units];
            LstmKernels.GatesBackward(activation, gates, cPrev, tanhC, dh, dc, dz, dc, units, rows);
            for (int r = 0; r < rows; r++)
            {
                int w = 4 * units, s = r * units;
                LstmKernels.GatesBackward(activation, gates.AsSpan(r * w, w), cPrev.AsSpan(s, units), tanhC.AsSpan(s, units), dh.AsSpan(s, units),
                    eDc.AsSpan(s, units), eDz.AsSpan(r * w, w), eDc.AsSpan(s, units), units);
            }
            Assert.True(eDz.AsSpan().SequenceEqual(dz), $"dz differs, {activation} units={units}");
            Assert.True(eDc.AsSpan().SequenceEqual(dc), $"dc differs, {activation} units={units}");
        }
    }

    private static void Recurrent(RecurrentActivation activation, Span<float> values)
    {
        if (activation == RecurrentActivation.Sigmoid)
        {
            TensorPrimitives.Sigmoid(values, values);
            return;
        }
        float slope = activation == RecurrentActivation.HardSigmoidKeras2 ? 0.2f : 1f / 6f;
        for (int i = 0; i < values.Length; i++)
            values[i] = Math.Clamp(MathF.FusedMultiplyAdd(values[i], slope, 0.5f), 0f, 1f);
    }

    private static float[] Uniform(RandomGenerator random, int size, double low, double high)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
            values[i] = (float)random.NextUniform(low, high);
        return values;
    }
}
