using LstmLab.Numerics;
using LstmLab.Training;

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
    /// Forward of one step for a batch. <paramref name="gates"/> [B, 4u] holds x_t·kernel + bias on
    /// entry and the activated gates on exit; writes c_t, tanh(c_t), h_t [B, u].
    /// </summary>
    internal void StepForward(Span<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tanhC, Span<float> h, int batch)
    {
        int u = Units, width = 4 * u;
        Gemm.MatMul(hPrev, RecurrentKernel.Value.Span, gates, batch, u, width, accumulate: true);
        for (int b = 0; b < batch; b++)
        {
            LstmKernels.GatesForward(RecurrentActivation, gates.Slice(b * width, width), cPrev.Slice(b * u, u),
                c.Slice(b * u, u), tanhC.Slice(b * u, u), h.Slice(b * u, u), u);
        }
    }

    /// <summary>
    /// Backward of one step, beside its forward. In: dL/dh_t (<paramref name="dh"/>, all paths) and
    /// dL/dc_t (<paramref name="dc"/>). Out: dL/dz_t (<paramref name="dz"/>), dL/dc_{t-1} (in <paramref name="dc"/>)
    /// and dL/dh_{t-1} through the recurrent kernel, added to <paramref name="dhPrev"/>.
    /// </summary>
    internal void StepBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz, Span<float> dhPrev, int batch, Span<float> scratch)
    {
        int u = Units, width = 4 * u;
        for (int b = 0; b < batch; b++)
        {
            LstmKernels.GatesBackward(RecurrentActivation, gates.Slice(b * width, width), cPrev.Slice(b * u, u),
                tanhC.Slice(b * u, u), dh.Slice(b * u, u), dc.Slice(b * u, u), dz.Slice(b * width, width), dc.Slice(b * u, u), u);
        }
        // dh_{t-1} += dz_t · recurrent_kernelᵀ
        Gemm.MatMulTransposeB(dz, RecurrentKernel.Value.Span, dhPrev, batch, width, u, accumulate: true, scratch);
    }

    /// <summary>
    /// Weight gradients for all steps at once: dkernel += xᵀ·dZ, drecurrent_kernel += H_prevᵀ·dZ,
    /// dbias += Σ_rows dZ, where the n rows are every (time step, sample) pair.
    /// </summary>
    internal void AccumulateWeightGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> dz, int rows, Span<float> scratch)
    {
        int width = 4 * Units;
        Gemm.MatMulTransposeA(x, dz, Kernel.Gradient.Span, rows, InputDim, width, accumulate: true, scratch);
        Gemm.MatMulTransposeA(hPrev, dz, RecurrentKernel.Gradient.Span, rows, Units, width, accumulate: true, scratch);
        Span<float> db = Bias.Gradient.Span;
        for (int r = 0; r < rows; r++)
            System.Numerics.Tensors.TensorPrimitives.Add(db, dz.Slice(r * width, width), db);
    }

    /// <summary>dL/dx = dZ·kernelᵀ for all rows.</summary>
    internal void InputGradient(ReadOnlySpan<float> dz, Span<float> dx, int rows, Span<float> scratch) =>
        Gemm.MatMulTransposeB(dz, Kernel.Value.Span, dx, rows, 4 * Units, InputDim, accumulate: false, scratch);
}
