using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Keras's <c>SimpleRNN</c>: a fully connected recurrence whose output is its state. One step, for a batch:
/// <code>
/// h_t = activation(x_t·kernel + bias + h_{t-1}·recurrent_kernel)      (B, u)
/// </code>
/// Weights as Keras: <c>kernel [input_dim, u]</c> (glorot_uniform), <c>recurrent_kernel [u, u]</c> (orthogonal),
/// <c>bias [u]</c> (zeros); activation tanh by default. PyTorch's <c>nn.RNN</c> is the same with
/// <c>weight_ih = kernelᵀ</c>, <c>weight_hh = recurrent_kernelᵀ</c>, <c>bias_ih + bias_hh = bias</c>.
/// The loop over time, masking, <c>return_sequences</c>, <c>go_backwards</c>, dropout and statefulness are
/// <see cref="Recurrent"/>'s.
/// </summary>
public sealed class SimpleRnn : Recurrent
{
    private Parameter? _kernel, _recurrentKernel, _bias;
    private float[] _dz = [];       // (T, B, u): pre-activations forward, dL/dpre-activation backward
    private float[] _dhPrev = [];   // (B, u)

    /// <param name="units">Dimensionality of the output space (u).</param>
    /// <param name="activation">The activation (Keras default tanh; softmax is refused).</param>
    /// <param name="returnSequences">Return the whole output sequence.</param>
    /// <param name="stateful">Carry the final state of each batch into the next (needs a fixed batch size).</param>
    /// <param name="goBackwards">Process the sequence backwards and return the reversed sequence.</param>
    /// <param name="dropout">Fraction of the inputs to drop in training.</param>
    /// <param name="recurrentDropout">Fraction of h_{t-1} to drop in the recurrent product in training.</param>
    public SimpleRnn(int units, Activation activation = Activation.Tanh, bool returnSequences = false, bool stateful = false,
        bool goBackwards = false, double dropout = 0, double recurrentDropout = 0)
        : base(units, returnSequences, stateful, goBackwards, dropout, recurrentDropout)
    {
        if (activation == Activation.Softmax)
            throw new ArgumentException("A SimpleRNN's activation must be element-wise (tanh, relu, sigmoid or linear), not softmax.", nameof(activation));
        Activation = activation;
    }

    public override string TypeName => "SimpleRNN";

    public override int StateCount => 1;

    /// <summary>The activation of the recurrence.</summary>
    public Activation Activation { get; }

    /// <summary><c>kernel [input_dim, u]</c>.</summary>
    public Parameter Kernel => _kernel ?? throw NotBuilt();

    /// <summary><c>recurrent_kernel [u, u]</c>.</summary>
    public Parameter RecurrentKernel => _recurrentKernel ?? throw NotBuilt();

    /// <summary><c>bias [u]</c>.</summary>
    public Parameter Bias => _bias ?? throw NotBuilt();

    public override IReadOnlyList<Parameter> Parameters => _kernel is null ? [] : [_kernel, _recurrentKernel!, _bias!];

    /// <summary>The carried state h (B, u) of a stateful layer.</summary>
    public ReadOnlySpan<float> StateH => CarriedState(0);

    private InvalidOperationException NotBuilt() => new($"Layer '{Name}' is not built yet: add it to a model first.");

    protected override void BuildCell(int inputDim, RandomGenerator random)
    {
        if (_kernel is not null)
            return;
        int u = Units;
        _kernel = new Parameter("kernel", new Shape(inputDim, u));
        _recurrentKernel = new Parameter("recurrent_kernel", new Shape(u, u));
        _bias = new Parameter("bias", new Shape(u));
        if (SkipInitialization)
            return;
        Initializers.GlorotUniform(_kernel.Value.Span, inputDim, u, random);
        Initializers.Orthogonal(_recurrentKernel.Value.Span, u, u, random);
    }

    protected override void BeginForward(ReadOnlySpan<float> x, int batch, int steps)
    {
        // z = x·kernel + bias for every step at once: it does not depend on the recurrence.
        int u = Units, rows = batch * steps;
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int r = 0; r < rows; r++)
            bias.CopyTo(_dz.AsSpan(r * u, u));
        Gemm.MatMul(x, Kernel.Value.Span, _dz, rows, InputDim, u, accumulate: true);
    }

    protected override void StepForward(int t, int batch)
    {
        int bu = batch * Units;
        // h_t = activation(z_t + h_{t-1}·recurrent_kernel)
        Span<float> h = State(0, t + 1);
        _dz.AsSpan(t * bu, bu).CopyTo(h);
        Gemm.MatMul(RecurrentInput(t), RecurrentKernel.Value.Span, h, batch, Units, Units, accumulate: true);
        Activations.Forward(Activation, h, batch, Units);
    }

    protected override void BeginBackward(int batch, int steps)
    {
    }

    protected override void StepBackward(int t, int batch)
    {
        int u = Units, bu = batch * u;
        // dz_t = dL/dh_t ⊙ activation'(h_t);  dL/dh_{t-1} = dz_t·recurrent_kernelᵀ (⊙ recurrent dropout mask)
        Span<float> dz = _dz.AsSpan(t * bu, bu);
        Activations.Backward(Activation, State(0, t + 1), StateGradient(0), dz, batch, u);
        Gemm.MatMulTransposeB(dz, RecurrentKernel.Value.Span, _dhPrev, batch, u, u, accumulate: false);
        MaskRecurrentGradient(_dhPrev.AsSpan(0, bu));
        SwapStateGradient(0, ref _dhPrev);
    }

    protected override void EndBackward(int rows, Span<float> dx)
    {
        int u = Units;
        // dkernel += xᵀ·dZ, drecurrent_kernel += H_prevᵀ·dZ, dbias += Σ dZ;  dx = dZ·kernelᵀ
        Gemm.MatMulTransposeA2(Inputs(rows), InputDim, Kernel.Gradient.Span, RecurrentInputs(rows), u, RecurrentKernel.Gradient.Span, _dz, rows, u);
        Gemm.AddRows(_dz, Bias.Gradient.Span, rows, u);
        if (!dx.IsEmpty)
            Gemm.MatMulTransposeB(_dz, Kernel.Value.Span, dx, rows, u, InputDim, accumulate: false);
    }

    protected override void EnsureCellBuffers(int batch, int steps)
    {
        int u = Units, rows = batch * steps;
        Grow(ref _dz, rows * u);
        Grow(ref _dhPrev, batch * u);
    }

    internal override Layer CloneSharingWeights(int? batchSize) =>
        new SimpleRnn(Units, Activation, ReturnSequences, Stateful, GoBackwards, Dropout, RecurrentDropout)
        {
            Name = Name,
            ReturnState = ReturnState,
            _kernel = _kernel,
            _recurrentKernel = _recurrentKernel,
            _bias = _bias,
        };

    internal override Recurrent CopyConfiguration(bool goBackwards) => new SimpleRnn(Units, Activation, ReturnSequences, Stateful, goBackwards, Dropout, RecurrentDropout);

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        Dictionary<string, object> config = RecurrentConfig();
        config["activation"] = Activations.Name(Activation);
        return config;
    }
}
