using LstmLab.Numerics;

namespace LstmLab.Layers;

// What a cell sees of the loop: the buffers of one step and the hooks it implements.
public abstract partial class Recurrent
{
    /// <summary>State <paramref name="index"/> at time index <paramref name="t"/> (B, u): t = 0 is the initial state, t + 1 the state after step t.</summary>
    protected Span<float> State(int index, int t) => _states[index].AsSpan(t * _batch * Units, _batch * Units);

    /// <summary>The first <paramref name="rows"/>·u values of state <paramref name="index"/>: s_{-1}..s_{T-2}, the states each step starts from.</summary>
    protected ReadOnlySpan<float> StatesBefore(int index, int rows) => _states[index].AsSpan(0, rows * Units);

    /// <summary>
    /// The h_{t-1} that enters step t's recurrent products (B, u): h_{t-1} itself, or h_{t-1} ⊙ the recurrent
    /// dropout mask when training with <see cref="RecurrentDropout"/>.
    /// </summary>
    protected ReadOnlySpan<float> RecurrentInput(int t) =>
        _recurrentDropped ? _hRec.AsSpan(t * _batch * Units, _batch * Units) : State(0, t);

    /// <summary>The recurrent inputs of every step (T·B rows of u), for the recurrent kernel's gradient.</summary>
    protected ReadOnlySpan<float> RecurrentInputs(int rows) => _recurrentDropped ? _hRec.AsSpan(0, rows * Units) : StatesBefore(0, rows);

    /// <summary>Multiplies a gradient (B, u) that flowed back through the recurrent products by the recurrent dropout mask.</summary>
    protected void MaskRecurrentGradient(Span<float> gradient)
    {
        if (_recurrentDropped)
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, _recurrentMask.AsSpan(0, gradient.Length), gradient);
    }

    /// <summary>dL/ds_t of state <paramref name="index"/> (B, u) on entry to <see cref="StepBackward"/>; it must hold dL/ds_{t-1} on exit.</summary>
    protected Span<float> StateGradient(int index) => _dStates[index].AsSpan(0, _batch * Units);

    /// <summary>
    /// Exchanges the gradient buffer of state <paramref name="index"/> with <paramref name="other"/> (same size or
    /// larger), for a cell that writes dL/ds_{t-1} into a buffer of its own.
    /// </summary>
    protected void SwapStateGradient(int index, ref float[] other) => (_dStates[index], other) = (other, _dStates[index]);

    /// <summary>Sizes the cell's buffers for (batch, steps).</summary>
    protected abstract void EnsureCellBuffers(int batch, int steps);

    /// <summary>Before the steps of a forward pass: <paramref name="x"/> holds every input (T·B rows of F, processing order).</summary>
    protected abstract void BeginForward(ReadOnlySpan<float> x, int batch, int steps);

    /// <summary>One step forward: from x_t (rows t·B.. of the inputs) and the states at t, writes the states at t + 1.</summary>
    protected abstract void StepForward(int t, int batch);

    /// <summary>Before the steps of a backward pass.</summary>
    protected abstract void BeginBackward(int batch, int steps);

    /// <summary>One step backward, beside its forward: turns dL/ds_t (<see cref="StateGradient"/>) into dL/ds_{t-1}, saving what the weight and input gradients need.</summary>
    protected abstract void StepBackward(int t, int batch);

    /// <summary>
    /// After the steps: accumulates the weight gradients over all <paramref name="rows"/> (time step, sample) rows,
    /// and when <paramref name="dx"/> is not empty writes dL/dx (T·B rows of F, processing order) into it.
    /// </summary>
    protected abstract void EndBackward(int rows, Span<float> dx);

    /// <summary>The inputs of the last forward (T·B rows of F, time-major, after dropout).</summary>
    protected ReadOnlySpan<float> Inputs(int rows) => _x.AsSpan(0, rows * InputDim);
}
