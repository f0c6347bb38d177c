using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Gated Recurrent Unit (Cho et al., 2014) as Keras 3 defines it, gates in the order z (update), r (reset),
/// h (candidate). Weights: <c>kernel [input_dim, 3u]</c> (glorot_uniform), <c>recurrent_kernel [u, 3u]</c>
/// (orthogonal), bias zeros of shape <c>(2, 3u)</c> (row 0 the input bias b_x, row 1 the recurrent bias b_h)
/// when <see cref="ResetAfter"/> (the default, cuDNN's form), else <c>(3u,)</c>. One step, for a batch:
/// <code>
/// reset_after = true:                                    reset_after = false:
/// x̂ = x_t·kernel + b_x;  ĥ = h_{t-1}·recurrent_kernel + b_h     x̂ = x_t·kernel + bias;  ĥ_zr = h_{t-1}·recurrent_kernel[:, :2u]
/// z = σr(x̂_z + ĥ_z);  r = σr(x̂_r + ĥ_r)                          z = σr(x̂_z + ĥ_z);  r = σr(x̂_r + ĥ_r)
/// hh = act(x̂_h + r ⊙ ĥ_h)                                         hh = act(x̂_h + (r ⊙ h_{t-1})·recurrent_kernel[:, 2u:])
/// h_t = z ⊙ h_{t-1} + (1 − z) ⊙ hh                                (same)
/// </code>
/// σr is the recurrent activation (sigmoid), act the activation (tanh). PyTorch's <c>nn.GRU</c> is the
/// reset_after form with gate order r, z, n. The loop over time, masking, <c>return_sequences</c>,
/// <c>go_backwards</c>, dropout and statefulness are <see cref="Recurrent"/>'s.
/// </summary>
public sealed class Gru : Recurrent
{
    private Parameter? _kernel, _recurrentKernel, _bias;

    // Time-major work buffers.
    private float[] _xp = [];       // (T, B, 3u) x·kernel + input bias
    private float[] _gates = [];    // (T, B, 3u) z, r, hh
    private float[] _inner = [];    // (T, B, u) reset_after: ĥ_h; else r ⊙ h_{t-1}
    private float[] _hp = [];       // (B, 3u) this step's recurrent projection
    private float[] _dxp = [];      // (T, B, 3u) dL/dx̂
    private float[] _dhp = [];      // (T, B, 3u) reset_after: dL/dĥ; else (T, B, 2u) dL/dĥ_zr
    private float[] _dhh = [];      // (T, B, u) reset_after = false: dL/d(pre-activation of hh)
    private float[] _drh = [];      // (B, u) reset_after = false: dL/d(r ⊙ h_{t-1})
    private float[] _dhPrev = [];   // (B, u)
    private float[] _rzr = [], _rh = [];  // reset_after = false: recurrent_kernel[:, :2u] and [:, 2u:]
    private float[] _gradZr = [], _gradH = [];

    /// <param name="units">Dimensionality of the output space (u).</param>
    /// <param name="returnSequences">Return the whole output sequence.</param>
    /// <param name="stateful">Carry the final state of each batch into the next (needs a fixed batch size).</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product (Keras 3 default, bias (2, 3u)) or before it.</param>
    /// <param name="recurrentActivation">The gate activation σr (default sigmoid).</param>
    /// <param name="activation">The candidate's activation (default tanh; softmax is refused).</param>
    /// <param name="goBackwards">Process the sequence backwards and return the reversed sequence.</param>
    /// <param name="dropout">Fraction of the inputs to drop in training.</param>
    /// <param name="recurrentDropout">Fraction of h_{t-1} to drop in the recurrent products in training.</param>
    public Gru(int units, bool returnSequences = false, bool stateful = false, bool resetAfter = true,
        RecurrentActivation recurrentActivation = RecurrentActivation.Sigmoid, Activation activation = Activation.Tanh,
        bool goBackwards = false, double dropout = 0, double recurrentDropout = 0)
        : base(units, returnSequences, stateful, goBackwards, dropout, recurrentDropout)
    {
        if (units > int.MaxValue / 3)
            throw new ArgumentOutOfRangeException(nameof(units), $"A GRU has 3 × units gate columns, so it can have at most {int.MaxValue / 3} units (got {units}).");
        if (activation == Activation.Softmax)
            throw new ArgumentException("A GRU's activation must be element-wise (tanh, relu, sigmoid or linear), not softmax.", nameof(activation));
        ResetAfter = resetAfter;
        RecurrentActivation = recurrentActivation;
        Activation = activation;
    }

    public override string TypeName => "GRU";

    public override int StateCount => 1;

    /// <summary>Whether the reset gate multiplies the recurrent projection (true) or h_{t-1} before it (false).</summary>
    public bool ResetAfter { get; }

    public RecurrentActivation RecurrentActivation { get; }

    public Activation Activation { get; }

    /// <summary><c>kernel [input_dim, 3u]</c>, gate blocks z, r, h.</summary>
    public Parameter Kernel => _kernel ?? throw NotBuilt();

    /// <summary><c>recurrent_kernel [u, 3u]</c>.</summary>
    public Parameter RecurrentKernel => _recurrentKernel ?? throw NotBuilt();

    /// <summary><c>bias (2, 3u)</c> when <see cref="ResetAfter"/>, else <c>(3u,)</c>.</summary>
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
        _kernel = new Parameter("kernel", new Shape(inputDim, 3 * u));
        _recurrentKernel = new Parameter("recurrent_kernel", new Shape(u, 3 * u));
        _bias = new Parameter("bias", ResetAfter ? new Shape(2, 3 * u) : new Shape(3 * u));
        if (SkipInitialization)
            return;
        Initializers.GlorotUniform(_kernel.Value.Span, inputDim, 3 * u, random);
        Initializers.Orthogonal(_recurrentKernel.Value.Span, u, 3 * u, random);
    }

    protected override void BeginForward(ReadOnlySpan<float> x, int batch, int steps)
    {
        int u = Units, width = 3 * u, rows = batch * steps;
        ReadOnlySpan<float> inputBias = Bias.Value.Span[..width];
        for (int r = 0; r < rows; r++)
            inputBias.CopyTo(_xp.AsSpan(r * width, width));
        Gemm.MatMul(x, Kernel.Value.Span, _xp, rows, InputDim, width, accumulate: true);
        if (!ResetAfter)
        {
            // The two column blocks of the recurrent kernel, contiguous (the weights are fixed within a batch).
            ReadOnlySpan<float> rk = RecurrentKernel.Value.Span;
            for (int i = 0; i < u; i++)
            {
                rk.Slice(i * width, 2 * u).CopyTo(_rzr.AsSpan(i * 2 * u, 2 * u));
                rk.Slice(i * width + 2 * u, u).CopyTo(_rh.AsSpan(i * u, u));
            }
        }
    }

    protected override void StepForward(int t, int batch)
    {
        int u = Units, width = 3 * u, bu = batch * u;
        ReadOnlySpan<float> hRec = RecurrentInput(t), hPrev = State(0, t);
        Span<float> h = State(0, t + 1), hp = _hp.AsSpan(0, batch * width), inner = _inner.AsSpan(t * bu, bu);
        Span<float> gates = _gates.AsSpan(t * batch * width, batch * width);
        ReadOnlySpan<float> xp = _xp.AsSpan(t * batch * width, batch * width);
        if (ResetAfter)
        {
            // ĥ = h_{t-1}·recurrent_kernel + b_h
            ReadOnlySpan<float> recurrentBias = Bias.Value.Span.Slice(width, width);
            for (int b = 0; b < batch; b++)
                recurrentBias.CopyTo(hp.Slice(b * width, width));
            Gemm.MatMul(hRec, RecurrentKernel.Value.Span, hp, batch, u, width, accumulate: true);
        }
        else
        {
            Gemm.MatMul(hRec, _rzr, _hp, batch, u, 2 * u, accumulate: false);
        }
        int hpWidth = ResetAfter ? width : 2 * u;
        for (int b = 0; b < batch; b++)
        {
            // z, r = σr(x̂ + ĥ) over the first 2u columns
            Span<float> zr = gates.Slice(b * width, 2 * u);
            System.Numerics.Tensors.TensorPrimitives.Add(xp.Slice(b * width, 2 * u), hp.Slice(b * hpWidth, 2 * u), zr);
            Activations.Forward(RecurrentActivation, zr);
            Span<float> r = zr.Slice(u, u);
            if (ResetAfter)
            {
                // hh = act(x̂_h + r ⊙ ĥ_h)
                ReadOnlySpan<float> hpH = hp.Slice(b * width + 2 * u, u);
                hpH.CopyTo(inner.Slice(b * u, u));
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(r, hpH, xp.Slice(b * width + 2 * u, u), gates.Slice(b * width + 2 * u, u));
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(r, hRec.Slice(b * u, u), inner.Slice(b * u, u));
                xp.Slice(b * width + 2 * u, u).CopyTo(gates.Slice(b * width + 2 * u, u));
            }
        }
        if (!ResetAfter)
        {
            // hh pre-activation += (r ⊙ h_{t-1})·recurrent_kernel[:, 2u:], row by row into the gate rows.
            for (int b = 0; b < batch; b++)
                Gemm.MatMul(inner.Slice(b * u, u), _rh, gates.Slice(b * width + 2 * u, u), 1, u, u, accumulate: true);
        }
        for (int b = 0; b < batch; b++)
        {
            Span<float> hh = gates.Slice(b * width + 2 * u, u);
            Activations.Forward(Activation, hh, 1, u);
            // h_t = z ⊙ h_{t-1} + (1 − z) ⊙ hh = hh + z ⊙ (h_{t-1} − hh)
            ReadOnlySpan<float> z = gates.Slice(b * width, u), hPrevRow = hPrev.Slice(b * u, u);
            Span<float> hRow = h.Slice(b * u, u);
            for (int j = 0; j < u; j++)
                hRow[j] = hh[j] + z[j] * (hPrevRow[j] - hh[j]);
        }
    }

    protected override void BeginBackward(int batch, int steps)
    {
    }

    protected override void StepBackward(int t, int batch)
    {
        int u = Units, width = 3 * u, bu = batch * u;
        ReadOnlySpan<float> dh = StateGradient(0), hPrev = State(0, t), hRec = RecurrentInput(t), inner = _inner.AsSpan(t * bu, bu);
        ReadOnlySpan<float> gates = _gates.AsSpan(t * batch * width, batch * width);
        Span<float> dxp = _dxp.AsSpan(t * batch * width, batch * width);
        int hpWidth = ResetAfter ? width : 2 * u;
        Span<float> dhp = _dhp.AsSpan(t * batch * hpWidth, batch * hpWidth);
        float slope = Activations.HardSlope(RecurrentActivation);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < u; j++)
            {
                int g = b * width + j, i = b * u + j;
                float z = gates[g], hh = gates[g + 2 * u], d = dh[i];
                // dL/dz_pre = dh ⊙ (h_{t-1} − hh) ⊙ σr'(z);  dL/dhh_pre = dh ⊙ (1 − z) ⊙ act'(hh)
                float dzPre = d * (hPrev[i] - hh) * GateSlope(z, slope);
                float dhhPre = d * (1f - z) * ActivationSlope(hh);
                dxp[g] = dzPre;
                dxp[g + 2 * u] = dhhPre;
                dhp[b * hpWidth + j] = dzPre;
                if (ResetAfter)
                {
                    // hh_pre = x̂_h + r ⊙ ĥ_h:  dL/dĥ_h = dhh_pre ⊙ r;  dL/dr_pre = dhh_pre ⊙ ĥ_h ⊙ σr'(r)
                    float r = gates[g + u];
                    float drPre = dhhPre * inner[i] * GateSlope(r, slope);
                    dxp[g + u] = drPre;
                    dhp[b * hpWidth + u + j] = drPre;
                    dhp[b * hpWidth + 2 * u + j] = dhhPre * r;
                }
                else
                {
                    _dhh[t * bu + i] = dhhPre;
                }
            }
        }
        Span<float> dhPrev = _dhPrev.AsSpan(0, bu);
        if (ResetAfter)
        {
            // dL/dh_{t-1} through the recurrent product: dĥ·recurrent_kernelᵀ
            Gemm.MatMulTransposeB(dhp, RecurrentKernel.Value.Span, dhPrev, batch, width, u, accumulate: false);
        }
        else
        {
            // dL/d(r ⊙ h_{t-1}) = dhh_pre·recurrent_kernel[:, 2u:]ᵀ; then dL/dr_pre = that ⊙ h_{t-1} ⊙ σr'(r)
            Span<float> drh = _drh.AsSpan(0, bu);
            Gemm.MatMulTransposeB(_dhh.AsSpan(t * bu, bu), _rh, drh, batch, u, u, accumulate: false);
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < u; j++)
                {
                    int g = b * width + j, i = b * u + j;
                    float r = gates[g + u];
                    float drPre = drh[i] * hRec[i] * GateSlope(r, slope);
                    dxp[g + u] = drPre;
                    dhp[b * hpWidth + u + j] = drPre;
                    dhPrev[i] = drh[i] * r;
                }
            }
            Gemm.MatMulTransposeB(dhp, _rzr, dhPrev, batch, 2 * u, u, accumulate: true);
        }
        MaskRecurrentGradient(dhPrev);
        // … plus the direct path h_t = z ⊙ h_{t-1} + …: dL/dh_{t-1} += dh ⊙ z
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < u; j++)
                dhPrev[b * u + j] += dh[b * u + j] * gates[b * width + j];
        }
        SwapStateGradient(0, ref _dhPrev);
    }

    protected override void EndBackward(int rows, Span<float> dx)
    {
        int u = Units, width = 3 * u;
        // dkernel += xᵀ·dX̂;  input bias += Σ dX̂;  dx = dX̂·kernelᵀ
        Gemm.MatMulTransposeA(Inputs(rows), _dxp, Kernel.Gradient.Span, rows, InputDim, width, accumulate: true);
        Gemm.AddRows(_dxp, Bias.Gradient.Span[..width], rows, width);
        if (ResetAfter)
        {
            // drecurrent_kernel += H_prevᵀ·dĤ;  recurrent bias += Σ dĤ
            Gemm.MatMulTransposeA(RecurrentInputs(rows), _dhp, RecurrentKernel.Gradient.Span, rows, u, width, accumulate: true);
            Gemm.AddRows(_dhp, Bias.Gradient.Span.Slice(width, width), rows, width);
        }
        else
        {
            // recurrent_kernel[:, :2u] += H_prevᵀ·dĤ_zr;  recurrent_kernel[:, 2u:] += (R ⊙ H_prev)ᵀ·dHH_pre
            Gemm.MatMulTransposeA(RecurrentInputs(rows), _dhp, _gradZr, rows, u, 2 * u, accumulate: false);
            Gemm.MatMulTransposeA(_inner, _dhh, _gradH, rows, u, u, accumulate: false);
            Span<float> grad = RecurrentKernel.Gradient.Span;
            for (int i = 0; i < u; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(grad.Slice(i * width, 2 * u), _gradZr.AsSpan(i * 2 * u, 2 * u), grad.Slice(i * width, 2 * u));
                System.Numerics.Tensors.TensorPrimitives.Add(grad.Slice(i * width + 2 * u, u), _gradH.AsSpan(i * u, u), grad.Slice(i * width + 2 * u, u));
            }
        }
        if (!dx.IsEmpty)
            Gemm.MatMulTransposeB(_dxp, Kernel.Value.Span, dx, rows, width, InputDim, accumulate: false);
    }

    /// <summary>σr'(at output y): y(1 − y) for the sigmoid, the slope inside (0, 1) for a hard sigmoid.</summary>
    private static float GateSlope(float y, float hardSlope) =>
        hardSlope == 0f ? y * (1f - y) : y > 0f && y < 1f ? hardSlope : 0f;

    /// <summary>act'(at output y).</summary>
    private float ActivationSlope(float y) => Activation switch
    {
        Activation.Tanh => 1f - y * y,
        Activation.Sigmoid => y * (1f - y),
        Activation.Relu => y > 0f ? 1f : 0f,
        _ => 1f,
    };

    protected override void EnsureCellBuffers(int batch, int steps)
    {
        int u = Units, width = 3 * u, rows = batch * steps;
        Grow(ref _xp, rows * width);
        Grow(ref _gates, rows * width);
        Grow(ref _inner, rows * u);
        Grow(ref _hp, batch * width);
        Grow(ref _dxp, rows * width);
        Grow(ref _dhp, rows * width);
        Grow(ref _dhPrev, batch * u);
        if (!ResetAfter)
        {
            Grow(ref _dhh, rows * u);
            Grow(ref _drh, batch * u);
            Grow(ref _rzr, u * 2 * u);
            Grow(ref _rh, u * u);
            Grow(ref _gradZr, u * 2 * u);
            Grow(ref _gradH, u * u);
        }
    }

    internal override Layer CloneSharingWeights(int? batchSize) =>
        new Gru(Units, ReturnSequences, Stateful, ResetAfter, RecurrentActivation, Activation, GoBackwards, Dropout, RecurrentDropout)
        {
            Name = Name,
            ReturnState = ReturnState,
            _kernel = _kernel,
            _recurrentKernel = _recurrentKernel,
            _bias = _bias,
        };

    internal override Recurrent CopyConfiguration(bool goBackwards) => new Gru(Units, ReturnSequences, Stateful, ResetAfter, RecurrentActivation, Activation, goBackwards, Dropout, RecurrentDropout);

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        Dictionary<string, object> config = RecurrentConfig();
        config["reset_after"] = ResetAfter;
        config["recurrent_activation"] = Activations.Name(RecurrentActivation);
        config["activation"] = Activations.Name(Activation);
        return config;
    }
}
