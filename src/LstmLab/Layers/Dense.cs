using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Fully connected layer: <c>y = activation(x·kernel + bias)</c>, <c>kernel [input_dim, units]</c>,
/// <c>bias [units]</c>. Given a sequence (B, T, F) it is applied at every time step, giving (B, T, units)
/// — Keras's <c>TimeDistributed(Dense)</c>, which Keras 2+ Dense does by itself on 3-D input.
/// Initialisation as Keras: glorot_uniform kernel, zero bias.
/// </summary>
public sealed class Dense : Layer
{
    private Parameter? _kernel, _bias;
    private Tensor? _input;
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);
    private float[] _dz = [];

    public Dense(int units, Activation activation = Activation.Linear)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), $"A Dense layer needs at least one unit (got {units}).");
        Units = units;
        Activation = activation;
    }

    public override string TypeName => "Dense";

    public int Units { get; }

    public Activation Activation { get; }

    /// <summary><c>kernel [input_dim, units]</c>.</summary>
    public Parameter Kernel => _kernel ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet: add it to a model first.");

    /// <summary><c>bias [units]</c>.</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet: add it to a model first.");

    public override IReadOnlyList<Parameter> Parameters => _kernel is null ? [] : [_kernel, _bias!];

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        if (_kernel is null)
        {
            _kernel = new Parameter("kernel", new Shape(input.Features, Units));
            _bias = new Parameter("bias", new Shape(Units));
            if (!SkipInitialization)
                Initializers.GlorotUniform(_kernel.Value.Span, input.Features, Units, random);
        }
        return input.IsSequence ? SampleShape.Sequence(input.Timesteps, Units) : SampleShape.Vector(Units);
    }

    internal override Tensor Forward(Tensor input, bool training)
    {
        Shape shape = input.Shape;
        int inputDim = Kernel.Shape[0];
        bool sequence = InputShape.IsSequence;
        if ((sequence && shape.Rank != 3) || (!sequence && shape.Rank != 2) || shape[-1] != inputDim)
            throw ShapeError(sequence ? $"(batch, timesteps, {inputDim})" : $"(batch, {inputDim})", shape);
        int rows = sequence ? shape[0] * shape[1] : shape[0];
        _input = input;
        if (sequence)
            _output.Reshape(shape[0], shape[1], Units);
        else
            _output.Reshape(shape[0], Units);
        Span<float> y = _output.Span;
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int r = 0; r < rows; r++)
            bias.CopyTo(y.Slice(r * Units, Units));
        Gemm.MatMul(input.Span, Kernel.Value.Span, y, rows, inputDim, Units, accumulate: true);
        Activations.Forward(Activation, y, rows, Units);
        return _output;
    }

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException("Backward called before Forward.");
        int inputDim = Kernel.Shape[0];
        int rows = input.Size / inputDim;
        if (_dz.Length < rows * Units)
            _dz = new float[rows * Units];
        Span<float> dz = _dz.AsSpan(0, rows * Units);
        Activations.Backward(Activation, _output.Span, outputGradient.Span, dz, rows, Units);
        // dkernel += xᵀ·dz; dbias += Σ_rows dz
        Gemm.MatMulTransposeA(input.Span, dz, Kernel.Gradient.Span, rows, inputDim, Units, accumulate: true);
        Gemm.AddRows(dz, Bias.Gradient.Span, rows, Units);
        if (!needInputGradient)
            return null;
        // dx = dz·kernelᵀ
        _inputGradient.Reshape(input.Shape);
        Gemm.MatMulTransposeB(dz, Kernel.Value.Span, _inputGradient.Span, rows, Units, inputDim, accumulate: false);
        return _inputGradient;
    }

    internal override Layer CloneSharingWeights(int? batchSize) =>
        new Dense(Units, Activation) { Name = Name, _kernel = _kernel, _bias = _bias };

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["units"] = Units,
        ["activation"] = Activations.Name(Activation),
    };
}
