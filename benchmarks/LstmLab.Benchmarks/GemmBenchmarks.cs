using BenchmarkDotNet.Attributes;
using LstmLab.Numerics;

namespace LstmLab.Benchmarks;

/// <summary>
/// The matrix products of an LSTM training step, at the shapes of the seed workloads: one recurrent step
/// (B × u times u × 4u), its backward through the recurrent kernel (B × 4u times (u × 4u)ᵀ) and the
/// weight gradient over all steps ((T·B × u)ᵀ times T·B × 4u). GFLOP/s = 2·m·k·n / time.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [], _dz = [], _dh = [], _h = [], _grad = [];

    /// <summary>(batch, units, timesteps): memory-demo, echo-lag-context and the batched workload.</summary>
    [Params("1x20x1", "5x50x5", "64x256x100")]
    public string Shape { get; set; } = "64x256x100";

    private int Batch => int.Parse(Shape.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);

    private int Units => int.Parse(Shape.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);

    private int Steps => int.Parse(Shape.Split('x')[2], System.Globalization.CultureInfo.InvariantCulture);

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomGenerator(1);
        int b = Batch, u = Units, t = Steps;
        _a = Fill(random, b * u);
        _b = Fill(random, u * 4 * u);
        _c = new float[b * 4 * u];
        _dz = Fill(random, t * b * 4 * u);
        _dh = new float[b * u];
        _h = Fill(random, t * b * u);
        _grad = new float[u * 4 * u];
    }

    /// <summary>gates += h_{t-1}·recurrent_kernel for one step.</summary>
    [Benchmark]
    public void RecurrentStep() => Gemm.MatMul(_a, _b, _c, Batch, Units, 4 * Units, accumulate: true);

    /// <summary>dh_{t-1} += dz_t·recurrent_kernelᵀ for one step.</summary>
    [Benchmark]
    public void RecurrentStepBackward() => Gemm.MatMulTransposeB(_dz, _b, _dh, Batch, 4 * Units, Units, accumulate: true);

    /// <summary>drecurrent_kernel += H_prevᵀ·dZ over every (step, sample) row.</summary>
    [Benchmark]
    public void RecurrentKernelGradient() => Gemm.MatMulTransposeA(_h, _dz, _grad, Steps * Batch, Units, 4 * Units, accumulate: true);

    private static float[] Fill(RandomGenerator random, int size)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
            values[i] = (float)random.NextUniform(-1, 1);
        return values;
    }
}
