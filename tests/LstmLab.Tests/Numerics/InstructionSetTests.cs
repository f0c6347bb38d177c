using System.Runtime.CompilerServices;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;
using Xunit.Abstractions;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// Every element-wise kernel (gate forward and backward, Adam, SGD, the hard sigmoid, the row sums, the
/// exponential) on every path this machine can run — AVX-512 (emulated in software on a CPU without it),
/// AVX2, scalar — against the scalar path, which is the reference: the same bits, at every length that
/// gives whole vectors and every ragged tail. The scalar path itself is checked against double-precision
/// formulas here (the exponential) and in <c>FusedGateKernelTests</c> and <c>OptimizerTests</c>; the matrix
/// products per path in <c>GemmLargeTests</c>. The paths this machine cannot run are named in the output
/// of <see cref="Reports_the_paths_this_machine_runs"/>.
/// </summary>
public sealed class InstructionSetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Paths => IsaPaths.Runnable();

    public static TheoryData<string, RecurrentActivation> PathsAndActivations()
    {
        var data = new TheoryData<string, RecurrentActivation>();
        foreach (string isa in IsaPaths.Runnable())
        {
            foreach (RecurrentActivation activation in Enum.GetValues<RecurrentActivation>())
                data.Add(isa, activation);
        }
        return data;
    }

    [Fact]
    public void Reports_the_paths_this_machine_runs()
    {
        output.WriteLine($"Detected instruction set: {InstructionSet.Detected}.");
        foreach (Isa isa in Enum.GetValues<Isa>())
        {
            string state = !InstructionSet.CanRun(isa) ? $"NOT RUN ({InstructionSet.WhyNot(isa)})"
                : InstructionSet.IsEmulated(isa) ? $"runs emulated ({InstructionSet.WhyNot(isa)})" : "runs natively";
            output.WriteLine($"{isa} path: {state}.");
            if (!InstructionSet.CanRun(isa))
                Assert.Throws<ArgumentOutOfRangeException>(() => InstructionSet.Forced = isa);
        }
        Assert.True(InstructionSet.CanRun(InstructionSet.Detected) && !InstructionSet.IsEmulated(InstructionSet.Detected));
        // Forcing is per thread: another thread keeps the detected set.
        Isa other = IsaPaths.On(Isa.Scalar, () =>
        {
            Isa seen = Isa.Scalar;
            var thread = new Thread(() => seen = InstructionSet.Current);
            thread.Start();
            thread.Join();
            return seen;
        });
        Assert.Equal(InstructionSet.Detected, other);
        Assert.Equal(Isa.Scalar, IsaPaths.On(Isa.Scalar, () => InstructionSet.Current));
    }

    [Theory]
    [MemberData(nameof(PathsAndActivations))]
    public void Gate_forward_gives_the_scalar_bits(string isa, RecurrentActivation activation)
    {
        var random = new RandomGenerator(501 + (int)activation);
        const int rows = 3;
        for (int units = 1; units <= 70; units++)
        {
            float[] z = TestData.Uniform(random, rows * 4 * units, -12, 12), cPrev = TestData.Uniform(random, rows * units, -4, 4);
            float[][] expected = Forward(Isa.Scalar, activation, z, cPrev, units, rows);
            float[][] actual = Forward(Enum.Parse<Isa>(isa), activation, z, cPrev, units, rows);
            for (int b = 0; b < expected.Length; b++)
                TestData.AssertBitEqual(expected[b], actual[b], $"output {b}, {isa} {activation} units={units}");
        }
    }

    private static float[][] Forward(Isa isa, RecurrentActivation activation, float[] z, float[] cPrev, int units, int rows) => IsaPaths.On(isa, () =>
    {
        float[] gates = (float[])z.Clone(), c = new float[rows * units], tanhC = new float[rows * units], h = new float[rows * units];
        LstmKernels.GatesForward(activation, gates, cPrev, c, tanhC, h, units, rows);
        return new[] { gates, c, tanhC, h };
    });

    [Theory]
    [MemberData(nameof(PathsAndActivations))]
    public void Gate_backward_gives_the_scalar_bits(string isa, RecurrentActivation activation)
    {
        var random = new RandomGenerator(511 + (int)activation);
        const int rows = 3;
        for (int units = 1; units <= 70; units++)
        {
            // Gates in [−0.2, 1.2] so the hard sigmoid's derivative sees both its inside and its clipped ends.
            float[] gates = TestData.Uniform(random, rows * 4 * units, -0.2, 1.2), cPrev = TestData.Uniform(random, rows * units, -2, 2);
            float[] tanhC = TestData.Uniform(random, rows * units, -1, 1), dh = TestData.Uniform(random, rows * units, -1, 1);
            float[] dcNext = TestData.Uniform(random, rows * units, -1, 1);
            float[][] expected = Backward(Isa.Scalar, activation, gates, cPrev, tanhC, dh, dcNext, units, rows);
            float[][] actual = Backward(Enum.Parse<Isa>(isa), activation, gates, cPrev, tanhC, dh, dcNext, units, rows);
            TestData.AssertBitEqual(expected[0], actual[0], $"dz, {isa} {activation} units={units}");
            TestData.AssertBitEqual(expected[1], actual[1], $"dc_prev, {isa} {activation} units={units}");
        }
    }

    private static float[][] Backward(Isa isa, RecurrentActivation activation, float[] gates, float[] cPrev, float[] tanhC, float[] dh, float[] dcNext,
        int units, int rows) => IsaPaths.On(isa, () =>
    {
        float[] dz = new float[rows * 4 * units], dc = (float[])dcNext.Clone();
        LstmKernels.GatesBackward(activation, gates, cPrev, tanhC, dh, dc, dz, dc, units, rows);
        return new[] { dz, dc };
    });

    [Theory]
    [MemberData(nameof(Paths))]
    public void Optimizer_updates_give_the_scalar_bits(string isa)
    {
        Func<Optimizer>[] optimizers = [() => new Adam(0.01), () => new Sgd(0.05), () => new Sgd(0.05, momentum: 0.9), () => new Sgd(0.05, momentum: 0.9, nesterov: true)];
        foreach (int length in (int[])[1, 7, 8, 9, 15, 16, 17, 31, 33, 70, 1037])
        {
            var random = new RandomGenerator(520 + length);
            float[] start = TestData.Uniform(random, length, -1, 1);
            float[][] gradients = [.. Enumerable.Range(0, 3).Select(_ => TestData.Uniform(random, length, -1, 1))];
            foreach (Func<Optimizer> make in optimizers)
            {
                float[] expected = Train(Isa.Scalar, make(), start, gradients);
                float[] actual = Train(Enum.Parse<Isa>(isa), make(), start, gradients);
                TestData.AssertBitEqual(expected, actual, $"{make().GetType().Name} {isa} length={length}");
            }
        }
    }

    private static float[] Train(Isa isa, Optimizer optimizer, float[] start, float[][] gradients) => IsaPaths.On(isa, () =>
    {
        var parameter = new Parameter("w", new Shape(start.Length));
        parameter.Assign(start);
        foreach (float[] g in gradients)
        {
            g.CopyTo(parameter.Gradient.Span);
            optimizer.Apply([parameter]);
        }
        return parameter.Value.ToArray();
    });

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hard_sigmoid_and_row_sums_give_the_scalar_bits(string isa)
    {
        var random = new RandomGenerator(530);
        for (int length = 1; length <= 40; length++)
        {
            float[] x = TestData.Uniform(random, length, -6, 6);
            foreach (RecurrentActivation activation in (RecurrentActivation[])[RecurrentActivation.HardSigmoidKeras2, RecurrentActivation.HardSigmoidKeras3])
            {
                float[] expected = IsaPaths.On(Isa.Scalar, () => Apply(activation, x));
                TestData.AssertBitEqual(expected, IsaPaths.On(Enum.Parse<Isa>(isa), () => Apply(activation, x)), $"{activation} {isa} length={length}");
            }
            float[] rows = TestData.Uniform(random, 5 * length, -1, 1), sum = TestData.Uniform(random, length, -1, 1);
            float[] expectedSum = IsaPaths.On(Isa.Scalar, () => AddRows(rows, sum, length));
            TestData.AssertBitEqual(expectedSum, IsaPaths.On(Enum.Parse<Isa>(isa), () => AddRows(rows, sum, length)), $"AddRows {isa} width={length}");
        }
    }

    private static float[] Apply(RecurrentActivation activation, float[] x)
    {
        float[] y = (float[])x.Clone();
        Activations.Forward(activation, y);
        return y;
    }

    private static float[] AddRows(float[] rows, float[] sum, int width)
    {
        float[] s = (float[])sum.Clone();
        Gemm.AddRows(rows, s, rows.Length / width, width);
        return s;
    }

    // Provenance (hand): ulp bound of the vector exp; outside its range it must equal MathF.Exp (the .NET reference)
    // to denormal resolution.
    [Theory]
    [MemberData(nameof(Paths))]
    public unsafe void Exp_gives_the_scalar_bits_on_the_float_range_and_is_within_1_3_ulp(string isa)
    {
        // 40,001 points across [−87.3, 88.3] (where every width computes the same bits), plus both ends.
        float[] x = [.. Enumerable.Range(0, 40_001).Select(i => (float)(-87.3 + i * (88.3 + 87.3) / 40_000)), -87.3f, 88.3f, 0f, -0f];
        float[] expected = Exp(Isa.Scalar, x), actual = Exp(Enum.Parse<Isa>(isa), x);
        TestData.AssertBitEqual(expected, actual, $"exp {isa}");
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            float rounded = (float)exact;
            double ulp = MathF.BitIncrement(rounded) - rounded;
            worst = Math.Max(worst, Math.Abs(actual[i] - exact) / ulp);
        }
        Assert.True(worst <= 1.3, $"exp {isa}: {worst:F2} ulp");
        // Outside the range the paths differ as documented: AVX-512 gives subnormals and ∞, the others stay finite.
        float[] outside = Exp(Enum.Parse<Isa>(isa), [-100f, 95f, float.NaN, float.NegativeInfinity, float.PositiveInfinity]);
        Assert.True(float.IsNaN(outside[2]));
        if (isa == nameof(Isa.Avx512))
        {
            Assert.Equal(MathF.Exp(-100f), outside[0], 1e-44f);
            Assert.True(float.IsPositiveInfinity(outside[1]) && outside[3] == 0f && float.IsPositiveInfinity(outside[4]));
        }
        else
        {
            Assert.Equal(MathF.Exp(-87.3f), outside[0], 1e-43f);
            Assert.True(float.IsFinite(outside[1]) && outside[1] > 1e38f && outside[3] > 0f && float.IsFinite(outside[4]));
        }
    }

    private static unsafe float[] Exp(Isa isa, float[] x) => IsaPaths.On(isa, () =>
    {
        float[] y = (float[])x.Clone();
        fixed (float* p = y)
        {
            var op = new ExpOperator(p);
            Elementwise.Run(ref op, y.Length);
        }
        return y;
    });

    private readonly unsafe struct ExpOperator(float* values) : IElementwiseOperator
    {
        public Scalars Coefficients => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TVec, TOps>(nint at, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec> =>
            TOps.Store(VectorMath.Exp<TVec, TOps>(TOps.Load(values + at, count)), values + at, count);
    }
}
