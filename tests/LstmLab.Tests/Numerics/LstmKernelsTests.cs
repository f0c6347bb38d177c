using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// <see cref="LstmKernels"/> against a scalar double-precision reference for every unit count 1..70,
/// which covers whole Vector512 and Vector256 blocks and every scalar tail, for each recurrent
/// activation. Pre-activations span [−5, 5] so hard sigmoids are clipped on both sides as well as linear.
/// </summary>
public sealed class LstmKernelsTests
{
    public static TheoryData<RecurrentActivation> Activations =>
        [RecurrentActivation.Sigmoid, RecurrentActivation.HardSigmoidKeras2, RecurrentActivation.HardSigmoidKeras3];

    [Theory]
    [MemberData(nameof(Activations))]
    public void GatesForward_MatchesScalarReference(RecurrentActivation activation)
    {
        var random = new RandomGenerator(51 + (int)activation);
        for (int units = 1; units <= 70; units++)
        {
            float[] z = TestData.Uniform(random, 4 * units, -5, 5);
            float[] cPrev = TestData.Uniform(random, units, -2, 2);
            float[] gates = (float[])z.Clone();
            var c = new float[units];
            var tanhC = new float[units];
            var h = new float[units];
            LstmKernels.GatesForward(activation, gates, cPrev, c, tanhC, h, units);

            var expectedGates = new float[4 * units];
            var expectedC = new float[units];
            var expectedTanhC = new float[units];
            var expectedH = new float[units];
            for (int j = 0; j < units; j++)
            {
                double i = Gate(activation, z[j]), f = Gate(activation, z[units + j]);
                double g = Math.Tanh(z[2 * units + j]), o = Gate(activation, z[3 * units + j]);
                double cj = f * cPrev[j] + i * g;
                expectedGates[j] = (float)i;
                expectedGates[units + j] = (float)f;
                expectedGates[2 * units + j] = (float)g;
                expectedGates[3 * units + j] = (float)o;
                expectedC[j] = (float)cj;
                expectedTanhC[j] = (float)Math.Tanh(cj);
                expectedH[j] = (float)(o * Math.Tanh(cj));
            }
            string at = $"{activation} units={units}";
            TestData.AssertClose(expectedGates, gates, 1e-6, $"gates {at}");
            TestData.AssertClose(expectedC, c, 1e-6, $"c {at}");
            TestData.AssertClose(expectedTanhC, tanhC, 1e-6, $"tanh c {at}");
            TestData.AssertClose(expectedH, h, 1e-6, $"h {at}");
        }
    }

    // Provenance (hand): a bound: some but not all of the 3u gates clip at this input scale.
    [Theory]
    [MemberData(nameof(Activations))]
    public void GatesBackward_MatchesScalarReference(RecurrentActivation activation)
    {
        var random = new RandomGenerator(61 + (int)activation);
        double slope = activation switch
        {
            RecurrentActivation.HardSigmoidKeras2 => 0.2,
            RecurrentActivation.HardSigmoidKeras3 => 1.0 / 6.0,
            _ => 0,
        };
        for (int units = 1; units <= 70; units++)
        {
            // Gates as the forward pass leaves them: activated i, f, o; tanh'ed g.
            float[] gates = TestData.Uniform(random, 4 * units, -5, 5);
            float[] cPrev = TestData.Uniform(random, units, -2, 2);
            LstmKernels.GatesForward(activation, gates, cPrev, new float[units], new float[units], new float[units], units);
            float[] c = TestData.Uniform(random, units, -2, 2);
            float[] tanhC = c.Select(MathF.Tanh).ToArray();
            float[] dh = TestData.Uniform(random, units, -1, 1);
            float[] dcNext = TestData.Uniform(random, units, -1, 1);

            var dz = new float[4 * units];
            var dcPrev = new float[units];
            LstmKernels.GatesBackward(activation, gates, cPrev, tanhC, dh, dcNext, dz, dcPrev, units);
            // dcPrev may alias dcNext (the layer passes one buffer for both).
            var dzAliased = new float[4 * units];
            float[] dcInPlace = (float[])dcNext.Clone();
            LstmKernels.GatesBackward(activation, gates, cPrev, tanhC, dh, dcInPlace, dzAliased, dcInPlace, units);

            var expectedDz = new float[4 * units];
            var expectedDcPrev = new float[units];
            int clipped = 0;
            for (int j = 0; j < units; j++)
            {
                double i = gates[j], f = gates[units + j], g = gates[2 * units + j], o = gates[3 * units + j], th = tanhC[j];
                double dc = dcNext[j] + dh[j] * o * (1 - th * th);
                expectedDz[j] = (float)(dc * g * Derivative(i, slope, ref clipped));
                expectedDz[units + j] = (float)(dc * cPrev[j] * Derivative(f, slope, ref clipped));
                expectedDz[2 * units + j] = (float)(dc * i * (1 - g * g));
                expectedDz[3 * units + j] = (float)(dh[j] * th * Derivative(o, slope, ref clipped));
                expectedDcPrev[j] = (float)(dc * f);
            }
            string at = $"{activation} units={units}";
            TestData.AssertClose(expectedDz, dz, 2e-6, $"dz {at}");
            TestData.AssertClose(expectedDcPrev, dcPrev, 2e-6, $"dc_prev {at}");
            TestData.AssertBitEqual(dz, dzAliased, $"dz with aliased dc {at}");
            TestData.AssertBitEqual(dcPrev, dcInPlace, $"dc_prev in place {at}");
            if (slope != 0 && units >= 16)
                Assert.True(clipped > 0 && clipped < 3 * units, $"{at}: {clipped} of {3 * units} gates clipped; both regimes should occur.");
        }
    }

    private static double Gate(RecurrentActivation activation, float z) => activation switch
    {
        RecurrentActivation.Sigmoid => 1 / (1 + Math.Exp(-(double)z)),
        RecurrentActivation.HardSigmoidKeras2 => Math.Clamp(0.2 * z + 0.5, 0, 1),
        _ => Math.Clamp(z / 6.0 + 0.5, 0, 1),
    };

    /// <summary>σ'(y) = y(1 − y) for the sigmoid; the hard sigmoid's slope inside (0, 1), else 0.</summary>
    private static double Derivative(double y, double slope, ref int clipped)
    {
        if (slope == 0)
            return y * (1 - y);
        if (y > 0 && y < 1)
            return slope;
        clipped++;
        return 0;
    }
}
