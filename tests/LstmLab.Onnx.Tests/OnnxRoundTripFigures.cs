using System.Diagnostics;
using LstmLab.Interchange.Onnx;
using LstmLab.Layers;
using LstmLab.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using Xunit.Abstractions;
using Tensor = LstmLab.Numerics.Tensor;

namespace LstmLab.Onnx.Tests;

/// <summary>
/// The README's ONNX figures: a model of about a million weights (LSTM(497) on 5 features, Dense(5)) exported and run
/// in ONNX Runtime; the largest difference from LstmLab must stay within 1e-5 (asserted), and the export and session
/// times are written to the test output (not asserted: timings belong in measurements, not tests).
/// Run: <c>dotnet test tests/LstmLab.Onnx.Tests --filter OnnxRoundTripFigures --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class OnnxRoundTripFigures(ITestOutputHelper output)
{
    [Fact]
    public void MillionWeightModel_RoundTripsThroughOnnxRuntimeWithin1e5()
    {
        var model = new Sequential(SampleShape.Sequence(20, 5), seed: 1240);
        model.Add(new Lstm(497)).Add(new Dense(5, Activation.Sigmoid));
        var random = new RandomGenerator(1241);
        var x = new Tensor(Enumerable.Range(0, 8 * 20 * 5).Select(_ => (float)random.NextUniform(-1, 1)).ToArray(), 8, 20, 5);
        Tensor expected = model.Predict(x);

        var clock = Stopwatch.StartNew();
        byte[] onnx = OnnxExporter.Export(model);
        double exportSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var session = new InferenceSession(onnx);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x.ToArray(), [8, 20, 5]))]);
        float[] got = results[0].AsEnumerable<float>().ToArray();
        double worst = 0;
        for (int i = 0; i < got.Length; i++)
            worst = Math.Max(worst, Math.Abs(got[i] - expected.Span[i]));
        output.WriteLine($"weights {model.Parameters.Sum(p => p.Value.Size)}, ONNX {onnx.Length} bytes; export {exportSeconds:F3} s; ONNX Runtime session {loadSeconds:F3} s; largest difference {worst:E2}");
        Assert.True(worst <= 1e-5, $"largest difference {worst:E3}");
    }
}
