using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Keras's <c>RepeatVector(n)</c>: repeats each input vector n times, making a sequence — the usual bridge
/// of an encoder-decoder (an LSTM's last output, repeated, feeds a decoder LSTM with return_sequences).
/// <code>
/// y[b, t, f] = x[b, f]   for t in 0..n-1             (B, F) -> (B, n, F)
/// dL/dx[b, f] = Σ_t dL/dy[b, t, f]
/// </code>
/// </summary>
public sealed class RepeatVector : Layer
{
    private readonly Tensor _output = new(0), _inputGradient = new(0);

    /// <param name="n">How many times to repeat the input (≥ 1).</param>
    public RepeatVector(int n)
    {
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), $"RepeatVector needs n ≥ 1 (got {n}).");
        N = n;
    }

    public override string TypeName => "RepeatVector";

    /// <summary>The number of repetitions (time steps of the output).</summary>
    public int N { get; }

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        if (input.IsSequence)
            throw new ArgumentException($"Layer '{Name}' (RepeatVector) repeats vectors, but the layer before it outputs sequences {input}; use an LSTM without return_sequences before it.");
        return SampleShape.Sequence(N, input.Features);
    }

    internal override Tensor Forward(Tensor input, bool training)
    {
        Shape shape = input.Shape;
        int f = InputShape.Features;
        if (shape.Rank != 2 || shape[1] != f)
            throw ShapeError($"(batch, {f})", shape);
        int batch = shape[0];
        _output.Reshape(batch, N, f);
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = _output.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < N; t++)
                x.Slice(b * f, f).CopyTo(y.Slice((b * N + t) * f, f));
        }
        return _output;
    }

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        if (!needInputGradient)
            return null;
        int f = InputShape.Features, batch = outputGradient.Shape[0];
        _inputGradient.Reshape(batch, f);
        Span<float> dx = _inputGradient.Span;
        dx.Clear();
        ReadOnlySpan<float> dy = outputGradient.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < N; t++)
                System.Numerics.Tensors.TensorPrimitives.Add(dx.Slice(b * f, f), dy.Slice((b * N + t) * f, f), dx.Slice(b * f, f));
        }
        return _inputGradient;
    }

    internal override Layer CloneSharingWeights(int? batchSize) => new RepeatVector(N) { Name = Name };

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["n"] = N,
    };
}
