using LstmLab.Layers;
using LstmLab.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = LstmLab.Numerics.Tensor;
using Xunit;

namespace LstmLab.Onnx.Tests;

/// <summary>What the ONNX Runtime tests share: seeded weights, one run of an exported model, and the 1e-5 comparison.</summary>
internal static class OnnxTestKit
{
    public const double Tolerance = 1e-5;

    public static float[] Uniform(RandomGenerator random, int n, double low = -1, double high = 1)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
            v[i] = (float)(low + (high - low) * random.NextDouble());
        return v;
    }

    /// <summary>Spreads weights over [-range, range], wider than the initializers do, so that the gates leave their linear range (and hard sigmoids clip).</summary>
    public static void Spread(Sequential model, long seed, double range)
    {
        var random = new RandomGenerator(seed);
        foreach (Parameter p in model.Parameters)
            p.Assign(Uniform(random, p.Value.Size, -range, range));
    }

    /// <summary>Runs <paramref name="onnx"/> in ONNX Runtime on input "x" and the named extra inputs; every output by name.</summary>
    public static Dictionary<string, float[]> Run(byte[] onnx, Tensor x, params (string Name, Tensor Value)[] extra)
    {
        using var session = new InferenceSession(onnx);
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x.ToArray(), x.Shape.ToArray())) };
        foreach ((string name, Tensor value) in extra)
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(value.ToArray(), value.Shape.ToArray())));
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E3} > {Tolerance:E0}");
    }
}
