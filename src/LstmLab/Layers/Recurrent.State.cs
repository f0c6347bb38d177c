using LstmLab.Numerics;

namespace LstmLab.Layers;

// The states a recurrent layer starts from and ends with (initial state, carried state, return_state), and its dropout masks.
public abstract partial class Recurrent
{
    /// <summary>
    /// The initial state of every following forward pass of a stateless layer (Keras's <c>initial_state</c>
    /// argument): one (B, u) tensor per state (h, then c for an LSTM), or null for zeros (the default). A
    /// stateful layer starts from its carried state instead and refuses one.
    /// </summary>
    /// <exception cref="ArgumentException">The wrong number of tensors, a tensor that is not (B, u), or a stateful layer.</exception>
    public IReadOnlyList<Tensor>? InitialState
    {
        get => _initialState;
        set
        {
            if (value is null)
            {
                _initialState = null;
                return;
            }
            if (Stateful)
                throw new ArgumentException($"Layer '{Name}' is stateful: it starts from its carried state, so it takes no initial_state (set the carried state instead).");
            if (value.Count != StateCount)
                throw new ArgumentException($"Layer '{Name}' ({TypeName}) has {StateCount} state(s) but initial_state has {value.Count} tensor(s).");
            foreach (Tensor t in value)
            {
                if (t is null || t.Shape.Rank != 2 || t.Shape[1] != Units)
                    throw new ArgumentException($"Layer '{Name}' ({TypeName}): each initial_state tensor must be (batch, {Units}); got {t?.Shape.ToString() ?? "null"}.");
            }
            _initialState = [.. value];
        }
    }

    /// <summary>
    /// When true, a training forward pass reuses the dropout masks of the previous one instead of drawing
    /// new ones (for gradient checks with a fixed mask).
    /// </summary>
    internal bool ReuseDropoutMasks { get; set; }

    /// <summary>The carried state <paramref name="index"/> (B, u) of a stateful layer (0: h, 1: c of an LSTM); zeros after <see cref="ResetStates()"/>.</summary>
    protected ReadOnlySpan<float> CarriedState(int index) => _carried.Length > index ? _carried[index] : [];

    /// <summary>The carried states (h, then c for an LSTM), each (batch, units), copied; none when the layer is not stateful.</summary>
    public override IReadOnlyList<Tensor> GetStates()
    {
        if (!Stateful || _fixedBatch is not int batch)
            return [];
        return [.. _carried.Select(state => new Tensor((float[])state.Clone(), batch, Units))];
    }

    /// <summary>Sets the carried states (h, then c for an LSTM; each (batch, units)) of a stateful layer; the next batch starts from them.</summary>
    /// <exception cref="ArgumentException">The layer is not stateful, or not <see cref="StateCount"/> values of shape (batch, units).</exception>
    public override void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Stateful || _fixedBatch is not int batch)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) is not stateful, so it carries no state to set.", nameof(values));
        if (values.Count != StateCount)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) carries {StateCount} state(s); {values.Count} were given.", nameof(values));
        var expected = new Shape(batch, Units);
        for (int i = 0; i < StateCount; i++)
        {
            if (values[i].Shape != expected)
                throw new ArgumentException($"State {(i == 0 ? "h" : "c")} of layer '{Name}' ({TypeName}) must have shape {expected} but has {values[i].Shape}.", nameof(values));
        }
        for (int i = 0; i < StateCount; i++)
            values[i].Span.CopyTo(_carried[i]);
    }

    /// <summary>
    /// The final state <paramref name="index"/> (B, u) of the last forward pass (Keras's <c>return_state</c>
    /// outputs; 0 is h, the last output). A skipped (masked) step keeps its state, so this is the state after
    /// each sample's last kept step.
    /// </summary>
    public ReadOnlySpan<float> FinalState(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, StateCount);
        int bu = _batch * Units;
        return _states.Length > index ? _states[index].AsSpan(_steps * bu, bu) : [];
    }

    /// <summary>
    /// Runs the layer on one batch outside a model's loop, as Keras's functional call
    /// <c>layer(x, initial_state=..., mask=...)</c> with <c>return_state=True</c>: the output (a copy) and the
    /// final states (h, then c for an LSTM; copies, each (B, u)). The layer must be built (added to a model);
    /// a stateful layer starts from and advances its carried state. No dropout (inference).
    /// </summary>
    /// <param name="x">The input (B, T, F).</param>
    /// <param name="initialState">One (B, u) tensor per state, or null for zeros (or the carried state when stateful).</param>
    /// <param name="mask">(B, T): 1 to use a step, 0 to skip it; or null.</param>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public RecurrentOutput Call(Tensor x, IReadOnlyList<Tensor>? initialState = null, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsBuilt)
            throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) is not built yet: add it to a model first.");
        Tensor[]? saved = _initialState;
        try
        {
            if (initialState is not null)
                InitialState = initialState;
            Tensor output = Forward(x, mask, training: false).Clone();
            var states = new Tensor[StateCount];
            for (int k = 0; k < StateCount; k++)
                states[k] = new Tensor(FinalState(k).ToArray(), x.Shape[0], Units);
            return new RecurrentOutput(output, states);
        }
        finally
        {
            _initialState = saved;
        }
    }

    private void DrawDropoutMasks(int batch, bool training)
    {
        int f = InputDim, u = Units;
        bool reuse = ReuseDropoutMasks && _inputMask.Length == batch * f && _recurrentMask.Length == batch * u;
        _inputDropped = training && Dropout > 0;
        _recurrentDropped = training && RecurrentDropout > 0;
        if (reuse || !training)
            return;
        if (_inputMask.Length != batch * f)
            _inputMask = new float[batch * f];
        if (_recurrentMask.Length != batch * u)
            _recurrentMask = new float[batch * u];
        if (_inputDropped)
            DrawMask(_inputMask, Dropout, _dropoutRandom);
        if (_recurrentDropped)
            DrawMask(_recurrentMask, RecurrentDropout, _dropoutRandom);
    }

    /// <summary>Inverted dropout: each element is 0 with probability <paramref name="rate"/>, else 1/(1 − rate).</summary>
    internal static void DrawMask(Span<float> mask, double rate, RandomGenerator random)
    {
        float scale = (float)(1.0 / (1.0 - rate));
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextDouble() < rate ? 0f : scale;
    }
}
