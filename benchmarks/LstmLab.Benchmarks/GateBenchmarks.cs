using BenchmarkDotNet.Attributes;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Benchmarks;

/// <summary>The element-wise LSTM gate math of one step for a batch.</summary>
[MemoryDiagnoser]
public class GateBenchmarks
{
    private float[] _z = [], _gates = [], _cPrev = [], _c = [], _tanhC = [], _h = [], _dh = [], _dc = [], _dz = [];

    [Params(1, 20, 50, 256)]
    public int Units { get; set; } = 50;

    [Params(1, 5, 64)]
    public int Batch { get; set; } = 5;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomGenerator(2);
        int rows = Batch, u = Units;
        _z = Fill(random, rows * 4 * u);
        _gates = (float[])_z.Clone();
        _cPrev = Fill(random, rows * u);
        _c = new float[rows * u];
        _tanhC = new float[rows * u];
        _h = new float[rows * u];
        _dh = Fill(random, rows * u);
        _dc = Fill(random, rows * u);
        _dz = new float[rows * 4 * u];
    }

    [Benchmark]
    public void GatesForward()
    {
        _z.CopyTo(_gates, 0);
        LstmKernels.GatesForward(RecurrentActivation.Sigmoid, _gates, _cPrev, _c, _tanhC, _h, Units, Batch);
    }

    [Benchmark]
    public void GatesBackward() =>
        LstmKernels.GatesBackward(RecurrentActivation.Sigmoid, _gates, _cPrev, _tanhC, _dh, _dc, _dz, _dc, Units, Batch);

    internal static float[] Fill(RandomGenerator random, int size)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
            values[i] = (float)random.NextUniform(-1, 1);
        return values;
    }
}

/// <summary>One Adam update of the echo model's weights: LSTM(50) on 100 inputs and Dense(100), 35,300 values.</summary>
[MemoryDiagnoser]
public class AdamBenchmarks
{
    private readonly List<Parameter> _parameters = [];
    private readonly Adam _adam = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomGenerator(3);
        foreach (int size in (int[])[100 * 200, 50 * 200, 200, 50 * 100, 100])
        {
            var p = new Parameter("w", new Shape(size));
            GateBenchmarks.Fill(random, size).CopyTo(p.Gradient.Span);
            _parameters.Add(p);
        }
    }

    [Benchmark]
    public void AdamEchoModel() => _adam.Apply(_parameters);
}
