using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// One LSTM time step for a batch of rows, with Keras's fused weights:
/// <c>kernel [input_dim, 4u]</c>, <c>recurrent_kernel [u, 4u]</c>, <c>bias [4u]</c>, gates in the order i, f, c, o.
/// <code>
/// z   = x_t·kernel + h_{t-1}·recurrent_kernel + bias          (B, 4u)
/// i, f, o = σr(z_i), σr(z_f), σr(z_o);   g = tanh(z_c)
/// c_t = f ⊙ c_{t-1} + i ⊙ g;             h_t = o ⊙ tanh(c_t)
/// </code>
/// PyTorch mapping: <c>weight_ih = kernelᵀ</c>, <c>weight_hh = recurrent_kernelᵀ</c>, <c>bias_ih + bias_hh = bias</c>
/// (PyTorch's gate order i, f, g, o is the same). The loop over time belongs to <see cref="Lstm"/>;
/// the input projection x·kernel + bias is done for all time steps at once there, through
/// <see cref="ProjectInputs"/>, because it does not depend on the recurrence.
/// </summary>
public sealed class LstmCell
{
    internal LstmCell(int inputDim, int units, RecurrentActivation recurrentActivation)
    {
        InputDim = inputDim;
        Units = units;
        RecurrentActivation = recurrentActivation;
        Kernel = new Parameter("kernel", new Shape(inputDim, 4 * units));
        RecurrentKernel = new Parameter("recurrent_kernel", new Shape(units, 4 * units));
        Bias = new Parameter("bias", new Shape(4 * units));
    }

    private LstmCell(LstmCell shared)
    {
        InputDim = shared.InputDim;
        Units = shared.Units;
        RecurrentActivation = shared.RecurrentActivation;
        Kernel = shared.Kernel;
        RecurrentKernel = shared.RecurrentKernel;
        Bias = shared.Bias;
    }

    public int InputDim { get; }

    public int Units { get; }

    public RecurrentActivation RecurrentActivation { get; }

    /// <summary><c>kernel [input_dim, 4u]</c>.</summary>
    public Parameter Kernel { get; }

    /// <summary><c>recurrent_kernel [u, 4u]</c>.</summary>
    public Parameter RecurrentKernel { get; }

    /// <summary><c>bias [4u]</c>.</summary>
    public Parameter Bias { get; }

    // The kernels rearranged once per batch for the per-step products (see BeginForward and
    // BeginBackward); each cell has its own, also when it shares the weights of another.
    private readonly PreparedMatrix _kernel = new(), _recurrent = new(), _recurrentTransposed = new();
    private bool _projectPerStep, _useRecurrent, _useRecurrentTransposed;

    /// <summary>Above this many gate values per batch (1 MiB), inputs are projected step by step.</summary>
    private const long PerStepProjectionFloats = 256 * 1024;

    internal LstmCell ShareWeights() => new(this);

    /// <summary>Keras's defaults: glorot_uniform kernel, orthogonal recurrent kernel, zero bias with the forget-gate block at 1 when <paramref name="unitForgetBias"/>.</summary>
    internal void Initialize(RandomGenerator random, bool unitForgetBias)
    {
        Initializers.GlorotUniform(Kernel.Value.Span, InputDim, 4 * Units, random);
        Initializers.Orthogonal(RecurrentKernel.Value.Span, Units, 4 * Units, random);
        Bias.Value.Clear();
        if (unitForgetBias)
            Bias.Value.Span.Slice(Units, Units).Fill(1f);
    }

    /// <summary>gates[n, 4u] = x[n, input_dim]·kernel + bias, for n rows (all time steps of a batch).</summary>
    internal void ProjectInputs(ReadOnlySpan<float> x, Span<float> gates, int rows)
    {
        int width = 4 * Units;
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int r = 0; r < rows; r++)
            bias.CopyTo(gates.Slice(r * width, width));
        Gemm.MatMul(x, Kernel.Value.Span, gates, rows, InputDim, width, accumulate: true);
    }

    /// <summary>
    /// Called before the <paramref name="steps"/> calls of <see cref="StepForward"/> of one batch, with all
    /// its inputs <paramref name="x"/> (T·B rows, time-major) and gate rows. Normally projects every input at
    /// once (gates = x·kernel + bias: one product, in which one-hot inputs cost a row each); when the gates
    /// of the whole batch are too many to stay in cache, each step projects its own inputs instead (the
    /// gates of one step stay in cache between that product and the recurrent one). Packs the kernels
    /// once for all steps when that pays (they do not change within a batch).
    /// </summary>
    internal void BeginForward(ReadOnlySpan<float> x, Span<float> gates, int batch, int steps)
    {
        int u = Units, width = 4 * u;
        _projectPerStep = steps > 1 && (long)batch * steps * width > PerStepProjectionFloats;
        if (_projectPerStep)
            _kernel.Prepare(Kernel.Value.Span, InputDim, width, transposed: false);
        else
            ProjectInputs(x, gates, batch * steps);
        _useRecurrent = Gemm.PaysToPrepare(batch, u, width, transposed: false, steps);
        if (_useRecurrent)
            _recurrent.Prepare(RecurrentKernel.Value.Span, u, width, transposed: false);
    }

    /// <summary>
    /// Called before the <paramref name="steps"/> calls of <see cref="StepBackward"/> of one batch: when it
    /// pays, recurrent_kernelᵀ is packed once for all of them.
    /// </summary>
    internal void BeginBackward(int batch, int steps)
    {
        int u = Units;
        _useRecurrentTransposed = Gemm.PaysToPrepare(batch, 4 * u, u, transposed: true, steps);
        if (_useRecurrentTransposed)
            _recurrentTransposed.Prepare(RecurrentKernel.Value.Span, 4 * u, u, transposed: true);
    }

    /// <summary>
    /// Forward of one step for a batch. <paramref name="gates"/> [B, 4u] holds x_t·kernel + bias on
    /// entry (or is filled here from <paramref name="x"/> = x_t [B, input_dim] when the inputs are
    /// projected step by step, see <see cref="BeginForward"/>) and the activated gates on exit; writes
    /// c_t, tanh(c_t), h_t [B, u].
    /// </summary>
    internal void StepForward(ReadOnlySpan<float> x, Span<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int batch)
    {
        int u = Units, width = 4 * u;
        if (_projectPerStep)
        {
            ReadOnlySpan<float> bias = Bias.Value.Span;
            for (int r = 0; r < batch; r++)
                bias.CopyTo(gates.Slice(r * width, width));
            Gemm.MatMul(x, _kernel, gates, batch, accumulate: true);
        }
        if (_useRecurrent)
            Gemm.MatMul(hPrev, _recurrent, gates, batch, accumulate: true);
        else
            Gemm.MatMul(hPrev, RecurrentKernel.Value.Span, gates, batch, u, width, accumulate: true);
        LstmKernels.GatesForward(RecurrentActivation, gates, cPrev, c, tanhC, h, u, batch);
    }

    /// <summary>
    /// Backward of one step, beside its forward. In: dL/dh_t (<paramref name="dh"/>, all paths) and
    /// dL/dc_t (<paramref name="dc"/>). Out: dL/dz_t (<paramref name="dz"/>), dL/dc_{t-1} (in <paramref name="dc"/>)
    /// and dL/dh_{t-1} through the recurrent kernel, added to <paramref name="dhPrev"/> (skipped when it is empty:
    /// the first step's, whose gradient belongs to the constant initial state).
    /// </summary>
    internal void StepBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz, Span<float> dhPrev, int batch)
    {
        int u = Units, width = 4 * u;
        LstmKernels.GatesBackward(RecurrentActivation, gates, cPrev, tanhC, dh, dc, dz, dc, u, batch);
        if (dhPrev.IsEmpty)
            return;
        // dh_{t-1} += dz_t · recurrent_kernelᵀ
        if (_useRecurrentTransposed)
            Gemm.MatMul(dz, _recurrentTransposed, dhPrev, batch, accumulate: true);
        else
            Gemm.MatMulTransposeB(dz, RecurrentKernel.Value.Span, dhPrev, batch, width, u, accumulate: true);
    }

    /// <summary>
    /// Weight gradients for all steps at once: dkernel += xᵀ·dZ, drecurrent_kernel += H_prevᵀ·dZ,
    /// dbias += Σ_rows dZ, where the n rows are every (time step, sample) pair.
    /// </summary>
    internal void AccumulateWeightGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> dz, int rows)
    {
        int width = 4 * Units;
        Gemm.MatMulTransposeA2(x, InputDim, Kernel.Gradient.Span, hPrev, Units, RecurrentKernel.Gradient.Span, dz, rows, width);
        Gemm.AddRows(dz, Bias.Gradient.Span, rows, width);
    }

    /// <summary>dL/dx = dZ·kernelᵀ for all rows.</summary>
    internal void InputGradient(ReadOnlySpan<float> dz, Span<float> dx, int rows) =>
        Gemm.MatMulTransposeB(dz, Kernel.Value.Span, dx, rows, 4 * Units, InputDim, accumulate: false);
}
