using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>Seeded random test data and exact or tolerant comparisons of float buffers, shared by the engine tests.</summary>
internal static class TestData
{
    /// <summary>n values uniform in [low, high).</summary>
    /// <summary>
    /// Widens an LSTM's initial weights and draws random biases so gradient checks see saturated and linear
    /// gates alike (hard-sigmoid cases get a larger kernel so that many gates clip).
    /// </summary>
    public static void SpreadLstmWeights(Lstm lstm, RecurrentActivation activation, RandomGenerator random)
    {
        float scale = activation == RecurrentActivation.Sigmoid ? 1.5f : 4f;
        foreach (ref float v in lstm.Cell.Kernel.Value.Span)
            v *= scale;
        foreach (ref float v in lstm.Cell.RecurrentKernel.Value.Span)
            v *= scale / 2;
        Uniform(random, lstm.Cell.Bias.Value.Size, -1, 1).CopyTo(lstm.Cell.Bias.Value.Span);
    }

    public static float[] Uniform(RandomGenerator random, int n, double low, double high)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)random.NextUniform(low, high);
        return values;
    }

    /// <summary>A tensor of the given shape, uniform in [low, high).</summary>
    public static Tensor Tensor(RandomGenerator random, double low, double high, params int[] shape)
    {
        var t = new Tensor(shape);
        Uniform(random, t.Size, low, high).CopyTo(t.Span);
        return t;
    }

    /// <summary>A one-hot tensor (rows, classes), row r hot at a random class.</summary>
    public static Tensor OneHot(RandomGenerator random, int rows, int classes)
    {
        var t = new Tensor(rows, classes);
        for (int r = 0; r < rows; r++)
            t[r, random.NextInt(classes)] = 1f;
        return t;
    }

    /// <summary>Copies every weight of <paramref name="from"/> into the same-shaped weights of <paramref name="to"/>.</summary>
    public static void CopyWeights(Sequential from, Sequential to)
    {
        Assert.Equal(from.Parameters.Count, to.Parameters.Count);
        for (int i = 0; i < from.Parameters.Count; i++)
            to.Parameters[i].Assign(from.Parameters[i].Value.Span);
    }

    /// <summary>Σ a_i·b_i accumulated in double.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>Asserts that the two buffers hold the same float bits.</summary>
    public static void AssertBitEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (bit-identical).");
        }
    }

    /// <summary>Asserts |expected − actual| ≤ tolerance·(1 + |expected|) element-wise.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e))))
                Assert.Fail($"{what}: element {i} is {a:R}, expected {e:R} (tolerance {tolerance}).");
        }
    }

    /// <summary>Asserts that the two buffers differ somewhere by more than <paramref name="minimum"/>.</summary>
    public static void AssertDiffer(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double minimum, string what)
    {
        Assert.Equal(a.Length, b.Length);
        double largest = 0;
        for (int i = 0; i < a.Length; i++)
            largest = Math.Max(largest, Math.Abs((double)a[i] - b[i]));
        Assert.True(largest > minimum, $"{what}: the buffers differ by at most {largest}, expected more than {minimum}.");
    }

    /// <summary>Copies all parameter values of a layer (or model) so they can be restored later.</summary>
    public static float[][] Snapshot(IReadOnlyList<Parameter> parameters) =>
        parameters.Select(p => p.Value.ToArray()).ToArray();

    /// <summary>Copies all parameter gradients.</summary>
    public static float[][] Gradients(IReadOnlyList<Parameter> parameters) =>
        parameters.Select(p => p.Gradient.ToArray()).ToArray();

    /// <summary>Zeroes the accumulated gradients.</summary>
    public static void ClearGradients(IReadOnlyList<Parameter> parameters)
    {
        foreach (Parameter p in parameters)
            p.Gradient.Clear();
    }

    /// <summary>
    /// Bytes the calling thread allocates over <paramref name="steps"/> calls of <paramref name="step"/>, after 3
    /// warm-up calls (buffers for this shape, optimizer slots, JIT): the fewest of up to three windows, stopping
    /// at the first that allocates nothing. The runtime can allocate once on any thread (a method's tier-up, a
    /// type loaded for the first time) while other tests run in parallel, and that may fall in one window; a step
    /// that allocates does so in every window, so it still shows.
    /// </summary>
    public static long SteadyAllocation(Func<double> step, int steps)
    {
        for (int i = 0; i < 3; i++)
            step();
        long fewest = long.MaxValue;
        for (int window = 0; window < 3 && fewest != 0; window++)
        {
            double sum = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++)
                sum += step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(double.IsFinite(sum), "a training step returned a loss that is not finite.");
            fewest = Math.Min(fewest, allocated);
        }
        return fewest;
    }
}
