using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// Splitting one model's work over threads (<see cref="EngineThreads"/>) gives the bits of one thread: every
/// product path (blocked with B packed, read in place or prepared, two left-hand operands, sparse, dot
/// products, scalar), the LSTM gate kernels, the optimizer, and whole training runs, on every instruction set
/// this machine can run. Each test also checks that the work was in fact split.
/// </summary>
public sealed class EngineThreadsTests
{
    public static TheoryData<string> InstructionSets() => IsaPaths.Runnable();

    /// <summary>Runs <paramref name="body"/> at 1, 2 and 3 threads and checks the outputs are bit-identical and that a split happened.</summary>
    private static void SameBitsAtEveryCount(string what, Func<float[]> body)
    {
        float[] one;
        using (EngineThreads.Use(1))
            one = body();
        long before = WorkerTeam.Splits;
        foreach (int threads in (int[])[2, 3])
        {
            float[] split;
            using (EngineThreads.Use(threads))
                split = body();
            Assert.Equal(one.Length, split.Length);
            for (int i = 0; i < one.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(split[i]))
                    Assert.Fail($"{what}: element {i} is {split[i]:R} at {threads} threads but {one[i]:R} at 1.");
            }
        }
        Assert.True(WorkerTeam.Splits > before, $"{what}: the work was never split over threads.");
    }

    private static float[] Values(RandomGenerator random, int count, double zeros = 0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = random.NextDouble() < zeros ? 0f : (float)random.NextUniform(-1, 1);
        return values;
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void Products_GiveTheBitsOfOneThread(string isa)
    {
        IsaPaths.On(isa, () =>
        {
            var random = new RandomGenerator(5);
            // Split by columns (64 rows, many column panels) and by rows (600 rows, few columns).
            foreach ((int m, int k, int n) in ((int, int, int)[])[(64, 160, 300), (600, 64, 40)])
            {
                float[] a = Values(random, m * k), b = Values(random, k * n), c0 = Values(random, m * n);
                SameBitsAtEveryCount($"{isa} MatMul {m}x{k}x{n}", () =>
                {
                    float[] c = (float[])c0.Clone();
                    Gemm.MatMul(a, b, c, m, k, n, accumulate: true);
                    return c;
                });
                float[] bt = Values(random, n * k);
                SameBitsAtEveryCount($"{isa} MatMulTransposeB {m}x{k}x{n}", () =>
                {
                    float[] c = (float[])c0.Clone();
                    Gemm.MatMulTransposeB(a, bt, c, m, k, n, accumulate: true);
                    return c;
                });
                float[] at = Values(random, k * m);
                SameBitsAtEveryCount($"{isa} MatMulTransposeA {m}x{k}x{n}", () =>
                {
                    float[] c = (float[])c0.Clone();
                    Gemm.MatMulTransposeA(at, b, c, k, m, n, accumulate: true);
                    return c;
                });
                var prepared = new PreparedMatrix();
                foreach (bool transposed in (bool[])[false, true])
                {
                    prepared.Prepare(transposed ? bt : b, k, n, transposed);
                    SameBitsAtEveryCount($"{isa} prepared (transposed {transposed}) {m}x{k}x{n}", () =>
                    {
                        float[] c = (float[])c0.Clone();
                        Gemm.MatMul(a, prepared, c, m, accumulate: true);
                        return c;
                    });
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void SparseDotAndTwoOperandProducts_GiveTheBitsOfOneThread(string isa)
    {
        IsaPaths.On(isa, () =>
        {
            var random = new RandomGenerator(6);
            // One-hot-like A (a tenth non-zero): the sparse path.
            float[] sparse = Values(random, 400 * 100, zeros: 0.9), b = Values(random, 100 * 128);
            SameBitsAtEveryCount($"{isa} sparse A", () =>
            {
                var c = new float[400 * 128];
                Gemm.MatMul(sparse, b, c, 400, 100, 128, accumulate: false);
                return c;
            });
            // A few rows against a transposed B: dot products.
            float[] few = Values(random, 6 * 700), wide = Values(random, 400 * 700);
            SameBitsAtEveryCount($"{isa} dot products", () =>
            {
                var c = new float[6 * 400];
                Gemm.MatMulTransposeB(few, wide, c, 6, 700, 400, accumulate: false);
                return c;
            });
            // The LSTM's weight gradients: two products sharing B = dZ.
            const int rows = 700, k1 = 40, k2 = 60, n = 112;
            float[] x = Values(random, rows * k1), h = Values(random, rows * k2), dz = Values(random, rows * n);
            SameBitsAtEveryCount($"{isa} two left-hand operands", () =>
            {
                var c = new float[(k1 + k2) * n];
                Gemm.MatMulTransposeA2(x, k1, c.AsSpan(0, k1 * n), h, k2, c.AsSpan(k1 * n), dz, rows, n);
                return c;
            });
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void GateKernelsAndSums_GiveTheBitsOfOneThread(string isa)
    {
        IsaPaths.On(isa, () =>
        {
            var random = new RandomGenerator(7);
            const int units = 100, rows = 200;
            float[] z = Values(random, rows * 4 * units), cPrev = Values(random, rows * units), dh = Values(random, rows * units);
            SameBitsAtEveryCount($"{isa} gates forward and backward", () =>
            {
                float[] gates = (float[])z.Clone();
                float[] c = new float[rows * units], tanhC = new float[rows * units], hOut = new float[rows * units];
                LstmKernels.GatesForward(RecurrentActivation.Sigmoid, gates, cPrev, c, tanhC, hOut, units, rows);
                float[] dz = new float[rows * 4 * units], dc = (float[])dh.Clone();
                LstmKernels.GatesBackward(RecurrentActivation.Sigmoid, gates, cPrev, tanhC, dh, dc, dz, dc, units, rows);
                return [.. gates, .. c, .. tanhC, .. hOut, .. dz, .. dc];
            });
            float[] sumRows = Values(random, 50 * 70_000);
            SameBitsAtEveryCount($"{isa} row sums", () =>
            {
                var sum = new float[70_000];
                Gemm.AddRows(sumRows, sum, 50, 70_000);
                return sum;
            });
        });
    }

    [Theory]
    [MemberData(nameof(InstructionSets))]
    public void TrainingOnTwoThreads_GivesTheWeightsOfOneThread(string isa)
    {
        IsaPaths.On(isa, () =>
        {
            var random = new RandomGenerator(8);
            var x = new Tensor(128, 3, 16);
            var y = new Tensor(128, 1);
            Values(random, x.Size).CopyTo(x.Span);
            Values(random, y.Size).CopyTo(y.Span);
            float[] Train(int threads)
            {
                var model = new Sequential(SampleShape.Sequence(3, 16), seed: 3) { Threads = threads };
                model.Add(new Lstm(128));
                model.Add(new Dense(1));
                model.Compile(Loss.MeanSquaredError, new Adam());
                model.Fit(x, y, epochs: 2, batchSize: 128, verbose: 0);
                return [.. model.Parameters.SelectMany(p => p.Value.Span.ToArray()), .. model.Predict(x).Span.ToArray()];
            }
            float[] one = Train(1);
            long before = WorkerTeam.Splits;
            float[] two = Train(2);
            Assert.True(WorkerTeam.Splits > before, "training on 2 threads never split its work");
            Assert.Equal(one, two);
        });
    }

    [Fact]
    public void Settings_are_checked_and_scopes_restore_the_count()
    {
        Assert.Equal(1, EngineThreads.Current);
        using (EngineThreads.Use(3))
        {
            // Provenance (hand): 3 is the thread count the test sets.
            Assert.Equal(3, EngineThreads.Current);
            using (EngineThreads.Use(2))
                Assert.Equal(2, EngineThreads.Current);
            Assert.Equal(3, EngineThreads.Current);
        }
        Assert.Equal(1, EngineThreads.Current);
        Assert.Equal(Environment.ProcessorCount, EngineThreads.Default);
        using (EngineThreads.UseDefault(1))
            Assert.Equal(1, EngineThreads.Default);
        Assert.Equal(Environment.ProcessorCount, EngineThreads.Default);
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineThreads.Use(0));
        var model = new Sequential(SampleShape.Vector(2));
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Threads = 0);
        Assert.Contains("threads must be at least 1 (got 0)", e.Message, StringComparison.Ordinal);
        model.Threads = 2;
        Assert.Equal(2, model.WithBatchSize(4).Threads);
    }
}
