using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// The loop over time shared by the recurrent layers (Keras's <c>RNN</c> layer): <see cref="Lstm"/>,
/// <see cref="Gru"/> and <see cref="SimpleRnn"/> write only their cell, one time step forward and backward
/// (<see cref="StepForward"/>, <see cref="StepBackward"/>); this class owns the time-major layout, masking,
/// <c>return_sequences</c>, <c>go_backwards</c>, the state carried between batches (<c>stateful</c>), the
/// initial state, and the dropout masks.
/// <para>Shapes: input (B, T, F); output (B, T, u) with <see cref="ReturnSequences"/>, else (B, u) — the last h.</para>
/// <para>
/// Stateless (default): every batch starts from zero states (or the <see cref="InitialState"/> when one is set).
/// Stateful: the model needs a fixed batch size (Keras <c>batch_input_shape</c>); the final state of sample i
/// of one batch is the initial state of sample i of the next batch, until <see cref="ResetStates()"/> zeroes it.
/// Prediction advances the state too. Training back-propagates through the time steps inside a batch (full
/// BPTT); the state carried in from the previous batch is a constant. Shuffling breaks that carry, which is
/// why stateful models are fitted with <c>shuffle: false</c>.
/// </para>
/// <para>
/// Masking (Keras semantics, e.g. after a <see cref="Masking"/> layer): where the mask of sample b is 0 at
/// step t, the step is skipped: every state keeps its value (h_t = h_{t-1}, and c_t = c_{t-1} for an LSTM), so
/// the output at t repeats the previous output and the final output is the one after the last kept step.
/// Backward, the state gradients pass to t−1 unchanged and the skipped step adds nothing to the weight or
/// input gradients. The mask goes on (unchanged, as Keras's <c>compute_mask</c>) with the output sequence
/// when <see cref="ReturnSequences"/>, else it ends here.
/// </para>
/// <para>
/// <see cref="GoBackwards"/> (Keras <c>go_backwards</c>): the input sequence and its mask are read from the
/// last step to the first, and the output sequence comes out in that processing order (reversed), as Keras.
/// </para>
/// <para>
/// Dropout (Keras <c>dropout</c>, <c>recurrent_dropout</c>), in training only: at each forward pass one mask
/// per sample is drawn for the inputs (B, F) and one for the recurrent state (B, u), each element kept with
/// probability 1 − rate and scaled by 1/(1 − rate) (inverted dropout), and the same masks are used at every
/// time step. The input mask multiplies x_t; the recurrent mask multiplies h_{t−1} where it enters the
/// recurrent products (not where the GRU mixes it into h_t). One mask is shared by all gates, as Keras's
/// <c>implementation=2</c> does for <c>dropout</c>; Keras 3 switches to one mask per gate when
/// <c>recurrent_dropout</c> is set (same distribution, other draws). Masks come from a generator seeded from
/// the model's seed. Prediction and evaluation use no dropout.
/// </para>
/// </summary>
public abstract partial class Recurrent : Layer
{
    private int _batch, _steps;
    private int? _fixedBatch;
    private float[] _x = [];                 // (T, B, F) inputs in processing order, dropped out when training
    private float[][] _states = [];          // per state: (T+1, B, u), index 0 the initial state
    private float[][] _carried = [];         // per state: (B, u) carried state when stateful
    private float[][] _dStates = [], _hold = [];  // per state: (B, u) dL/dstate_t; skipped rows' gradients
    private float[] _keep = [];              // (T, B) the mask in processing order: 1 keep, 0 skip
    private bool _masked;
    private float[] _hRec = [];              // (T, B, u) h_{t-1} ⊙ recurrent dropout mask
    private float[] _dx = [];                // (T, B, F)
    private float[] _inputMask = [], _recurrentMask = [];  // (B, F), (B, u) dropout masks (scaled)
    private bool _inputDropped, _recurrentDropped;
    private RandomGenerator _dropoutRandom = new(0);
    private Tensor[]? _initialState;
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <param name="units">Dimensionality of the output space (u).</param>
    /// <param name="returnSequences">Return the whole output sequence (B, T, u) rather than the last output (B, u).</param>
    /// <param name="stateful">Carry the final state of each batch into the next (needs a fixed batch size).</param>
    /// <param name="goBackwards">Process the sequence from its last step to its first and return the reversed sequence.</param>
    /// <param name="dropout">Fraction of the input units to drop in training, in [0, 1).</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state's units to drop in training, in [0, 1).</param>
    protected Recurrent(int units, bool returnSequences, bool stateful, bool goBackwards, double dropout, double recurrentDropout)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), $"A recurrent layer needs at least one unit (got {units}).");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), $"dropout must be in [0, 1) (got {dropout}).");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), $"recurrent_dropout must be in [0, 1) (got {recurrentDropout}).");
        Units = units;
        ReturnSequences = returnSequences;
        Stateful = stateful;
        GoBackwards = goBackwards;
        Dropout = dropout;
        RecurrentDropout = recurrentDropout;
    }

    /// <summary>Dimensionality of the output space (u).</summary>
    public int Units { get; }

    /// <summary>Whether the whole output sequence is returned (Keras <c>return_sequences</c>).</summary>
    public bool ReturnSequences { get; }

    /// <summary>Whether the final state of a batch is the initial state of the next (Keras <c>stateful</c>).</summary>
    public bool Stateful { get; }

    /// <summary>Whether the sequence is processed backwards (Keras <c>go_backwards</c>).</summary>
    public bool GoBackwards { get; }

    /// <summary>
    /// Keras <c>return_state</c>: the layer also returns its final states (h, then c for an LSTM). In a
    /// <see cref="Sequential"/> stack the layer's output (Keras's first returned tensor: the sequence with
    /// <see cref="ReturnSequences"/>, else the last h) flows on to the next layer, as in the functional model a Keras
    /// user writes for it, and the final states of every such layer are read with <see cref="Sequential.PredictWithStates"/>
    /// (or <see cref="FinalState"/> after any pass). Keras's and TF.js's Sequential refuse such a layer outright (a
    /// layer with several outputs); this is the functional model's routing. Default false.
    /// </summary>
    public bool ReturnState { get; init; }

    /// <summary>Fraction of the inputs dropped in training (Keras <c>dropout</c>).</summary>
    public double Dropout { get; }

    /// <summary>Fraction of the recurrent state dropped in training (Keras <c>recurrent_dropout</c>).</summary>
    public double RecurrentDropout { get; }

    /// <summary>The number of state vectors the cell carries: 1 (h) for GRU and SimpleRNN, 2 (h, c) for LSTM.</summary>
    public abstract int StateCount { get; }

    /// <summary>The generator the dropout and recurrent_dropout masks are drawn from (saved in model files, so training resumes with the same masks).</summary>
    internal RandomGenerator DropoutRandom => _dropoutRandom;

    /// <summary>The size of one input vector (F), once built.</summary>
    protected int InputDim { get; private set; }

    protected sealed override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        if (!input.IsSequence)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) expects sequences of shape (timesteps, features) but the layer before it outputs {input}. Reshape the data to (samples, timesteps, features).");
        if (Stateful && batchSize is null)
            throw new ArgumentException($"Layer '{Name}' is stateful, so it needs a fixed batch size: give the model's input a batch size (Keras batch_input_shape).");
        _fixedBatch = Stateful ? batchSize : null;
        InputDim = input.Features;
        BuildCell(input.Features, random);
        // Drawn after the weights, so adding dropout leaves the initial weights as they were.
        _dropoutRandom = new RandomGenerator(RandomGenerator.DeriveSeed(unchecked((long)random.NextUInt64()), "dropout"));
        _states = new float[StateCount][];
        _dStates = new float[StateCount][];
        _hold = new float[StateCount][];
        _carried = new float[StateCount][];
        for (int k = 0; k < StateCount; k++)
        {
            _states[k] = [];
            _dStates[k] = [];
            _hold[k] = [];
            _carried[k] = Stateful ? new float[batchSize!.Value * Units] : [];
        }
        return ReturnSequences ? SampleShape.Sequence(input.Timesteps, Units) : SampleShape.Vector(Units);
    }

    /// <summary>Creates the cell's weights for inputs of <paramref name="inputDim"/> values, unless they exist (a clone shares them).</summary>
    protected abstract void BuildCell(int inputDim, RandomGenerator random);

    public override void ResetStates()
    {
        foreach (float[] state in _carried)
            Array.Clear(state);
    }

    internal sealed override Tensor Forward(Tensor input, bool training) => Forward(input, null, training);

    internal sealed override Tensor Forward(Tensor input, Tensor? mask, bool training)
    {
        Shape shape = input.Shape;
        if (shape.Rank != 3 || shape[2] != InputDim || (InputShape.Timesteps != 0 && shape[1] != InputShape.Timesteps))
            throw ShapeError($"(batch, {(InputShape.Timesteps == 0 ? "timesteps" : InputShape.Timesteps)}, {InputDim})", shape);
        int batch = shape[0], steps = shape[1], f = InputDim, u = Units;
        if (_fixedBatch is int fixedBatch && batch != fixedBatch)
            throw new ArgumentException($"Layer '{Name}' is stateful with batch size {fixedBatch}, but was given a batch of {batch} samples. Use the same batch size for fit and predict, or copy the model for another batch size (Sequential.WithBatchSize).");
        if (steps == 0)
            throw ShapeError("(batch, timesteps ≥ 1, features)", shape);
        if (_initialState is not null && _initialState[0].Shape[0] != batch)
            throw new ArgumentException($"Layer '{Name}' has an initial_state for batches of {_initialState[0].Shape[0]} samples but was given {batch}.");
        EnsureBuffers(batch, steps);
        _masked = mask is not null;
        if (mask is not null)
        {
            if (mask.Shape.Rank != 2 || mask.Shape[0] != batch || mask.Shape[1] != steps)
                throw new ArgumentException($"Layer '{Name}' ({TypeName}) got a mask of shape {mask.Shape} for input {shape}; expected ({batch}, {steps}).", nameof(mask));
            ReadOnlySpan<float> m = mask.Span;
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < steps; t++)
                    _keep[t * batch + b] = m[b * steps + Source(t, steps)];
            }
        }
        DrawDropoutMasks(batch, training);

        // x (B, T, F) -> time-major (T, B, F) in processing order, times the input dropout mask.
        ReadOnlySpan<float> x = input.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                Span<float> row = _x.AsSpan((t * batch + b) * f, f);
                ReadOnlySpan<float> source = x.Slice((b * steps + Source(t, steps)) * f, f);
                if (_inputDropped)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(source, _inputMask.AsSpan(b * f, f), row);
                else
                    source.CopyTo(row);
            }
        }

        int bu = batch * u;
        for (int k = 0; k < StateCount; k++)
        {
            Span<float> initial = _states[k].AsSpan(0, bu);
            if (Stateful)
                _carried[k].CopyTo(initial);
            else if (_initialState is not null)
                _initialState[k].Span.CopyTo(initial);
            else
                initial.Clear();
        }
        BeginForward(_x, batch, steps);
        for (int t = 0; t < steps; t++)
        {
            if (_recurrentDropped)
            {
                for (int b = 0; b < batch; b++)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(_states[0].AsSpan(t * bu + b * u, u), _recurrentMask.AsSpan(b * u, u), _hRec.AsSpan(t * bu + b * u, u));
            }
            StepForward(t, batch);
            if (_masked)
            {
                // A skipped step carries every state over: s_t = s_{t-1}.
                for (int b = 0; b < batch; b++)
                {
                    if (_keep[t * batch + b] != 0f)
                        continue;
                    for (int k = 0; k < StateCount; k++)
                        _states[k].AsSpan(t * bu + b * u, u).CopyTo(_states[k].AsSpan((t + 1) * bu + b * u, u));
                }
            }
        }
        if (Stateful)
        {
            for (int k = 0; k < StateCount; k++)
                _states[k].AsSpan(steps * bu, bu).CopyTo(_carried[k]);
        }

        float[] h = _states[0];
        if (ReturnSequences)
        {
            _output.Reshape(batch, steps, u);
            Span<float> y = _output.Span;
            for (int t = 0; t < steps; t++)
            {
                for (int b = 0; b < batch; b++)
                    h.AsSpan((t + 1) * bu + b * u, u).CopyTo(y.Slice((b * steps + t) * u, u));
            }
        }
        else
        {
            _output.Reshape(batch, u);
            h.AsSpan(steps * bu, bu).CopyTo(_output.Span);
        }
        return _output;
    }

    internal sealed override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        int batch = _batch, steps = _steps, u = Units, f = InputDim, bu = batch * u;
        ReadOnlySpan<float> dy = outputGradient.Span;
        for (int k = 0; k < StateCount; k++)
            Array.Clear(_dStates[k], 0, bu);
        BeginBackward(batch, steps);
        float[] dh = _dStates[0];
        for (int t = steps - 1; t >= 0; t--)
        {
            // dL/dh_t = gradient from the output at t (if any) + from step t+1 (already in dh).
            dh = _dStates[0];
            if (ReturnSequences)
            {
                for (int b = 0; b < batch; b++)
                    System.Numerics.Tensors.TensorPrimitives.Add(dh.AsSpan(b * u, u), dy.Slice((b * steps + t) * u, u), dh.AsSpan(b * u, u));
            }
            else if (t == steps - 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(dh.AsSpan(0, bu), dy[..bu], dh.AsSpan(0, bu));
            }
            if (_masked)
                HoldSkippedRows(t, batch);
            StepBackward(t, batch);
            if (_masked)
                RestoreSkippedRows(t, batch);
        }
        // The gradients left in the state buffers belong to the initial state, a constant: dropped.
        int rows = steps * batch;
        EndBackward(rows, needInputGradient ? _dx : default);
        if (!needInputGradient)
            return null;
        _inputGradient.Reshape(batch, steps, f);
        Span<float> dx = _inputGradient.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                ReadOnlySpan<float> source = _dx.AsSpan((t * batch + b) * f, f);
                Span<float> row = dx.Slice((b * steps + Source(t, steps)) * f, f);
                if (_inputDropped)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(source, _inputMask.AsSpan(b * f, f), row);
                else
                    source.CopyTo(row);
            }
        }
        return _inputGradient;
    }

    /// <summary>The input step that processing step <paramref name="t"/> reads (reversed when going backwards).</summary>
    private int Source(int t, int steps) => GoBackwards ? steps - 1 - t : t;

    /// <summary>
    /// For the rows skipped at step t: each state's gradient is held aside and zeroed, so that the cell's
    /// backward gives no weight or input gradient for them and adds nothing to their earlier state.
    /// </summary>
    private void HoldSkippedRows(int t, int batch)
    {
        int u = Units;
        for (int b = 0; b < batch; b++)
        {
            if (_keep[t * batch + b] != 0f)
                continue;
            for (int k = 0; k < StateCount; k++)
            {
                Span<float> d = _dStates[k].AsSpan(b * u, u);
                d.CopyTo(_hold[k].AsSpan(b * u, u));
                d.Clear();
            }
        }
    }

    /// <summary>For the rows skipped at step t: dL/ds_{t-1} = dL/ds_t (s_t = s_{t-1}).</summary>
    private void RestoreSkippedRows(int t, int batch)
    {
        int u = Units;
        for (int b = 0; b < batch; b++)
        {
            if (_keep[t * batch + b] != 0f)
                continue;
            for (int k = 0; k < StateCount; k++)
                _hold[k].AsSpan(b * u, u).CopyTo(_dStates[k].AsSpan(b * u, u));
        }
    }

    private void EnsureBuffers(int batch, int steps)
    {
        _batch = batch;
        _steps = steps;
        int u = Units, f = InputDim, rows = batch * steps;
        Grow(ref _x, rows * f);
        for (int k = 0; k < StateCount; k++)
        {
            Grow(ref _states[k], (steps + 1) * batch * u);
            Grow(ref _dStates[k], batch * u);
            Grow(ref _hold[k], batch * u);
        }
        Grow(ref _dx, rows * f);
        Grow(ref _keep, rows);
        if (RecurrentDropout > 0)
            Grow(ref _hRec, rows * u);
        EnsureCellBuffers(batch, steps);
    }

    /// <summary>Replaces <paramref name="buffer"/> by a larger array when it is shorter than <paramref name="size"/>.</summary>
    protected static void Grow(ref float[] buffer, int size)
    {
        if (buffer.Length < size)
            buffer = new float[size];
    }

    /// <summary>A new, unbuilt layer with this one's settings, reading the sequence in the given direction (for <see cref="Bidirectional"/>).</summary>
    internal abstract Recurrent CopyConfiguration(bool goBackwards);

    /// <summary>The settings every recurrent layer saves.</summary>
    protected Dictionary<string, object> RecurrentConfig()
    {
        var config = new Dictionary<string, object>
        {
            ["units"] = Units,
            ["return_sequences"] = ReturnSequences,
            ["stateful"] = Stateful,
            ["go_backwards"] = GoBackwards,
            ["dropout"] = Dropout,
            ["recurrent_dropout"] = RecurrentDropout,
        };
        // Written only when set, so files of models without it keep their bytes.
        if (ReturnState)
            config["return_state"] = true;
        return config;
    }
}

/// <summary>What <see cref="Recurrent.Call"/> returns: the output and the final states (Keras's <c>return_state=True</c> list).</summary>
/// <param name="Output">(B, T, u) with return_sequences, else (B, u).</param>
/// <param name="States">h, then c for an LSTM; each (B, u).</param>
public sealed record RecurrentOutput(Tensor Output, IReadOnlyList<Tensor> States);
