using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Long Short-Term Memory layer (Hochreiter &amp; Schmidhuber, 1997) with Keras semantics and weight
/// layout; the step math is in <see cref="LstmCell"/>, this class owns the loop over time,
/// <c>return_sequences</c> and the state carried between batches.
/// <para>Shapes: input (B, T, F); output (B, T, u) with <see cref="ReturnSequences"/>, else (B, u) — the last h.</para>
/// <para>
/// Stateless (default): every batch starts from h = c = 0. Stateful: the model needs a fixed batch
/// size (Keras <c>batch_input_shape</c>); the final state of sample i of one batch is the initial
/// state of sample i of the next batch, until <see cref="ResetStates()"/> zeroes it. Prediction advances
/// the state too. Training back-propagates through the time steps inside a batch (full BPTT); the state
/// carried in from the previous batch is a constant. Shuffling breaks that carry, which is why stateful
/// models are fitted with <c>shuffle: false</c>.
/// </para>
/// <para>
/// Masking (Keras semantics, e.g. after a <see cref="Masking"/> layer): where the mask of sample b is 0
/// at step t, the step is skipped: h_t = h_{t-1} and c_t = c_{t-1}, so the output at t repeats the previous
/// output and the final output is the one after the last kept step. Backward, the gradient of h_t and c_t
/// passes to h_{t-1} and c_{t-1} unchanged, and the skipped step contributes nothing to the weight or input
/// gradients. The mask goes on with the output sequence when <see cref="ReturnSequences"/>, else it ends here.
/// </para>
/// <para>Defaults as Keras: activation tanh, recurrent activation sigmoid (Keras ≥ 2.3; Keras 2.0 used
/// <see cref="Numerics.RecurrentActivation.HardSigmoidKeras2"/>), kernel glorot_uniform, recurrent kernel orthogonal,
/// bias zeros with unit_forget_bias (forget-gate bias 1).</para>
/// </summary>
public sealed class Lstm : Layer
{
    private LstmCell? _cell;
    private int _batch, _steps;
    private int? _fixedBatch;

    // Time-major work buffers, sized once per (batch, timesteps) and reused.
    private float[] _x = [];        // (T, B, F) the input
    private float[] _gates = [];    // (T, B, 4u) activated gates
    private float[] _h = [];        // (T+1, B, u) h_{-1}..h_{T-1}
    private float[] _c = [];        // (T+1, B, u) c_{-1}..c_{T-1}
    private float[] _tanhC = [];    // (T, B, u)
    private float[] _dz = [];       // (T, B, 4u)
    private float[] _dh = [], _dhPrev = [], _dc = [];  // (B, u)
    private float[] _dx = [];       // (T, B, F)
    private float[] _stateH = [], _stateC = [];         // (B, u) carried state when stateful
    private float[] _keep = [];     // (T, B) the mask, time-major: 1 keep, 0 skip
    private float[] _dcSkip = [];   // (B, u) dL/dc of skipped rows, held across the step's backward
    private bool _masked;           // whether the last forward had a mask
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <param name="units">Dimensionality of the output space (u).</param>
    /// <param name="returnSequences">Return the whole output sequence (B, T, u) rather than the last output (B, u).</param>
    /// <param name="stateful">Carry the final state of each batch into the next (needs a fixed batch size).</param>
    /// <param name="recurrentActivation">Gate activation.</param>
    /// <param name="unitForgetBias">Initialise the forget-gate bias to 1.</param>
    public Lstm(int units, bool returnSequences = false, bool stateful = false,
        RecurrentActivation recurrentActivation = RecurrentActivation.Sigmoid, bool unitForgetBias = true)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), $"An LSTM needs at least one unit (got {units}).");
        Units = units;
        ReturnSequences = returnSequences;
        Stateful = stateful;
        RecurrentActivation = recurrentActivation;
        UnitForgetBias = unitForgetBias;
    }

    public override string TypeName => "LSTM";

    public int Units { get; }

    public bool ReturnSequences { get; }

    public bool Stateful { get; }

    public RecurrentActivation RecurrentActivation { get; }

    public bool UnitForgetBias { get; }

    /// <summary>The cell holding the weights (after build).</summary>
    public LstmCell Cell => _cell ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet: add it to a model first.");

    public override IReadOnlyList<Parameter> Parameters => _cell is null ? [] : [_cell.Kernel, _cell.RecurrentKernel, _cell.Bias];

    /// <summary>The carried hidden state h (B, u) of a stateful layer, for inspection; zeros after <see cref="ResetStates()"/>.</summary>
    public ReadOnlySpan<float> StateH => _stateH;

    /// <summary>The carried cell state c (B, u) of a stateful layer.</summary>
    public ReadOnlySpan<float> StateC => _stateC;

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        if (!input.IsSequence)
            throw new ArgumentException($"Layer '{Name}' (LSTM) expects sequences of shape (timesteps, features) but the layer before it outputs {input}. Reshape the data to (samples, timesteps, features).");
        if (Stateful && batchSize is null)
            throw new ArgumentException($"Layer '{Name}' is stateful, so it needs a fixed batch size: give the model's input a batch size (Keras batch_input_shape).");
        _fixedBatch = Stateful ? batchSize : null;
        if (_cell is null)
        {
            _cell = new LstmCell(input.Features, Units, RecurrentActivation);
            if (!SkipInitialization)
                _cell.Initialize(random, UnitForgetBias);
        }
        if (Stateful)
        {
            _stateH = new float[batchSize!.Value * Units];
            _stateC = new float[batchSize.Value * Units];
        }
        return ReturnSequences ? SampleShape.Sequence(input.Timesteps, Units) : SampleShape.Vector(Units);
    }

    public override void ResetStates()
    {
        Array.Clear(_stateH);
        Array.Clear(_stateC);
    }

    /// <summary>[h, c], each (batch, units), copied; none when the layer is not stateful.</summary>
    public override IReadOnlyList<Tensor> GetStates()
    {
        if (!Stateful || _fixedBatch is not int batch)
            return [];
        return [new Tensor((float[])_stateH.Clone(), batch, Units), new Tensor((float[])_stateC.Clone(), batch, Units)];
    }

    /// <summary>Sets the carried [h, c] (each (batch, units)) of a stateful layer; the next batch starts from them.</summary>
    /// <exception cref="ArgumentException">The layer is not stateful, or not two values of shape (batch, units).</exception>
    public override void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Stateful || _fixedBatch is not int batch)
            throw new ArgumentException($"Layer '{Name}' (LSTM) is not stateful, so it carries no state to set.", nameof(values));
        if (values.Count != 2)
            throw new ArgumentException($"Layer '{Name}' (LSTM) carries two states, h and c; {values.Count} were given.", nameof(values));
        var expected = new Shape(batch, Units);
        for (int i = 0; i < 2; i++)
        {
            if (values[i].Shape != expected)
                throw new ArgumentException($"State {(i == 0 ? "h" : "c")} of layer '{Name}' (LSTM) must have shape {expected} but has {values[i].Shape}.", nameof(values));
        }
        values[0].Span.CopyTo(_stateH);
        values[1].Span.CopyTo(_stateC);
    }

    internal override Tensor Forward(Tensor input, bool training) => Forward(input, null, training);

    internal override Tensor Forward(Tensor input, Tensor? mask, bool training)
    {
        LstmCell cell = Cell;
        Shape shape = input.Shape;
        if (shape.Rank != 3 || shape[2] != cell.InputDim || (InputShape.Timesteps != 0 && shape[1] != InputShape.Timesteps))
            throw ShapeError($"(batch, {(InputShape.Timesteps == 0 ? "timesteps" : InputShape.Timesteps)}, {cell.InputDim})", shape);
        int batch = shape[0], steps = shape[1], f = cell.InputDim, u = Units;
        if (_fixedBatch is int fixedBatch && batch != fixedBatch)
            throw new ArgumentException($"Layer '{Name}' is stateful with batch size {fixedBatch}, but was given a batch of {batch} samples. Use the same batch size for fit and predict, or copy the model for another batch size (Sequential.WithBatchSize).");
        if (steps == 0)
            throw ShapeError("(batch, timesteps ≥ 1, features)", shape);
        EnsureBuffers(batch, steps);
        _masked = mask is not null;
        if (mask is not null)
        {
            if (mask.Shape.Rank != 2 || mask.Shape[0] != batch || mask.Shape[1] != steps)
                throw new ArgumentException($"Layer '{Name}' (LSTM) got a mask of shape {mask.Shape} for input {shape}; expected ({batch}, {steps}).", nameof(mask));
            ReadOnlySpan<float> m = mask.Span;
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < steps; t++)
                    _keep[t * batch + b] = m[b * steps + t];
            }
        }

        // x (B, T, F) -> time-major (T, B, F)
        ReadOnlySpan<float> x = input.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
                x.Slice((b * steps + t) * f, f).CopyTo(_x.AsSpan((t * batch + b) * f, f));
        }

        int bu = batch * u, width = 4 * u;
        if (Stateful)
        {
            _stateH.CopyTo(_h, 0);
            _stateC.CopyTo(_c, 0);
        }
        else
        {
            Array.Clear(_h, 0, bu);
            Array.Clear(_c, 0, bu);
        }
        cell.BeginForward(_x, _gates, batch, steps);
        for (int t = 0; t < steps; t++)
        {
            cell.StepForward(_x.AsSpan(t * batch * f, batch * f), _gates.AsSpan(t * batch * width, batch * width), _h.AsSpan(t * bu, bu), _c.AsSpan(t * bu, bu),
                _c.AsSpan((t + 1) * bu, bu), _tanhC.AsSpan(t * bu, bu), _h.AsSpan((t + 1) * bu, bu), batch);
            if (_masked)
            {
                // A skipped step carries h and c over: h_t = h_{t-1}, c_t = c_{t-1}.
                for (int b = 0; b < batch; b++)
                {
                    if (_keep[t * batch + b] != 0f)
                        continue;
                    _h.AsSpan(t * bu + b * u, u).CopyTo(_h.AsSpan((t + 1) * bu + b * u, u));
                    _c.AsSpan(t * bu + b * u, u).CopyTo(_c.AsSpan((t + 1) * bu + b * u, u));
                }
            }
        }
        if (Stateful)
        {
            _h.AsSpan(steps * bu, bu).CopyTo(_stateH);
            _c.AsSpan(steps * bu, bu).CopyTo(_stateC);
        }

        if (ReturnSequences)
        {
            _output.Reshape(batch, steps, u);
            Span<float> y = _output.Span;
            for (int t = 0; t < steps; t++)
            {
                for (int b = 0; b < batch; b++)
                    _h.AsSpan((t + 1) * bu + b * u, u).CopyTo(y.Slice((b * steps + t) * u, u));
            }
        }
        else
        {
            _output.Reshape(batch, u);
            _h.AsSpan(steps * bu, bu).CopyTo(_output.Span);
        }
        return _output;
    }

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        LstmCell cell = Cell;
        int batch = _batch, steps = _steps, u = Units, f = cell.InputDim, bu = batch * u, width = 4 * u;
        ReadOnlySpan<float> dy = outputGradient.Span;
        Array.Clear(_dh, 0, bu);
        Array.Clear(_dc, 0, bu);
        cell.BeginBackward(batch, steps);
        for (int t = steps - 1; t >= 0; t--)
        {
            // dL/dh_t = gradient from the output at t (if any) + from step t+1 (already in _dh).
            if (ReturnSequences)
            {
                for (int b = 0; b < batch; b++)
                    System.Numerics.Tensors.TensorPrimitives.Add(_dh.AsSpan(b * u, u), dy.Slice((b * steps + t) * u, u), _dh.AsSpan(b * u, u));
            }
            else if (t == steps - 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(_dh.AsSpan(0, bu), dy[..bu], _dh.AsSpan(0, bu));
            }
            Array.Clear(_dhPrev, 0, bu);
            if (_masked)
                SkipRowsBeforeStep(t, batch);
            cell.StepBackward(_gates.AsSpan(t * batch * width, batch * width), _c.AsSpan(t * bu, bu), _tanhC.AsSpan(t * bu, bu),
                _dh.AsSpan(0, bu), _dc.AsSpan(0, bu), _dz.AsSpan(t * batch * width, batch * width), _dhPrev.AsSpan(0, bu), batch);
            if (_masked)
                SkipRowsAfterStep(t, batch);
            (_dh, _dhPrev) = (_dhPrev, _dh);
        }
        // The gradients left in _dh and _dc belong to the initial state, a constant: dropped.
        int rows = steps * batch;
        cell.AccumulateWeightGradients(_x, _h.AsSpan(0, rows * u), _dz, rows);
        if (!needInputGradient)
            return null;
        cell.InputGradient(_dz, _dx, rows);
        _inputGradient.Reshape(batch, steps, f);
        Span<float> dx = _inputGradient.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
                _dx.AsSpan((t * batch + b) * f, f).CopyTo(dx.Slice((b * steps + t) * f, f));
        }
        return _inputGradient;
    }

    /// <summary>
    /// For the rows skipped at step t: dL/dh_t moves to dL/dh_{t-1} as it is, dL/dc_t is held aside, and both
    /// are zeroed so that the cell's backward gives dz = 0 (no weight or input gradient) and adds nothing.
    /// </summary>
    private void SkipRowsBeforeStep(int t, int batch)
    {
        int u = Units;
        for (int b = 0; b < batch; b++)
        {
            if (_keep[t * batch + b] != 0f)
                continue;
            Span<float> dh = _dh.AsSpan(b * u, u), dc = _dc.AsSpan(b * u, u);
            dh.CopyTo(_dhPrev.AsSpan(b * u, u));
            dc.CopyTo(_dcSkip.AsSpan(b * u, u));
            dh.Clear();
            dc.Clear();
        }
    }

    /// <summary>For the rows skipped at step t: dL/dc_{t-1} = dL/dc_t (c_t = c_{t-1}).</summary>
    private void SkipRowsAfterStep(int t, int batch)
    {
        int u = Units;
        for (int b = 0; b < batch; b++)
        {
            if (_keep[t * batch + b] == 0f)
                _dcSkip.AsSpan(b * u, u).CopyTo(_dc.AsSpan(b * u, u));
        }
    }

    private void EnsureBuffers(int batch, int steps)
    {
        _batch = batch;
        _steps = steps;
        int u = Units, f = Cell.InputDim, rows = batch * steps;
        Grow(ref _x, rows * f);
        Grow(ref _gates, rows * 4 * u);
        Grow(ref _h, (steps + 1) * batch * u);
        Grow(ref _c, (steps + 1) * batch * u);
        Grow(ref _tanhC, rows * u);
        Grow(ref _dz, rows * 4 * u);
        Grow(ref _dh, batch * u);
        Grow(ref _dhPrev, batch * u);
        Grow(ref _dc, batch * u);
        Grow(ref _dx, rows * f);
        Grow(ref _keep, rows);
        Grow(ref _dcSkip, batch * u);
    }

    private static void Grow(ref float[] buffer, int size)
    {
        if (buffer.Length < size)
            buffer = new float[size];
    }

    internal override Layer CloneSharingWeights(int? batchSize)
    {
        var copy = new Lstm(Units, ReturnSequences, Stateful, RecurrentActivation, UnitForgetBias) { Name = Name, _cell = _cell?.ShareWeights() };
        return copy;
    }

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["units"] = Units,
        ["return_sequences"] = ReturnSequences,
        ["stateful"] = Stateful,
        ["recurrent_activation"] = Activations.Name(RecurrentActivation),
        ["unit_forget_bias"] = UnitForgetBias,
    };
}
