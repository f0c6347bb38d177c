using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Long Short-Term Memory layer (Hochreiter &amp; Schmidhuber, 1997) with Keras semantics and weight
/// layout; the step math is in <see cref="LstmCell"/>, the loop over time, masking, <c>return_sequences</c>,
/// <c>go_backwards</c>, dropout and the state carried between batches in <see cref="Recurrent"/> (whose
/// documentation describes them). States: h (index 0, the output) and c (index 1).
/// <para>Defaults as Keras: activation tanh, recurrent activation sigmoid (Keras ≥ 2.3; Keras 2.0 used
/// <see cref="Numerics.RecurrentActivation.HardSigmoidKeras2"/>), kernel glorot_uniform, recurrent kernel orthogonal,
/// bias zeros with unit_forget_bias (forget-gate bias 1).</para>
/// </summary>
public sealed class Lstm : Recurrent
{
    private LstmCell? _cell;

    // Time-major work buffers, sized once per (batch, timesteps) and reused.
    private float[] _gates = [];    // (T, B, 4u) activated gates
    private float[] _tanhC = [];    // (T, B, u)
    private float[] _dz = [];       // (T, B, 4u)
    private float[] _dhPrev = [];   // (B, u)

    /// <param name="units">Dimensionality of the output space (u).</param>
    /// <param name="returnSequences">Return the whole output sequence (B, T, u) rather than the last output (B, u).</param>
    /// <param name="stateful">Carry the final state of each batch into the next (needs a fixed batch size).</param>
    /// <param name="recurrentActivation">Gate activation.</param>
    /// <param name="unitForgetBias">Initialise the forget-gate bias to 1.</param>
    /// <param name="goBackwards">Process the sequence backwards and return the reversed sequence (Keras <c>go_backwards</c>).</param>
    /// <param name="dropout">Fraction of the inputs to drop in training (Keras <c>dropout</c>, default 0).</param>
    /// <param name="recurrentDropout">Fraction of h_{t-1} to drop in the recurrent product in training (Keras <c>recurrent_dropout</c>, default 0).</param>
    public Lstm(int units, bool returnSequences = false, bool stateful = false,
        RecurrentActivation recurrentActivation = RecurrentActivation.Sigmoid, bool unitForgetBias = true,
        bool goBackwards = false, double dropout = 0, double recurrentDropout = 0)
        : base(units, returnSequences, stateful, goBackwards, dropout, recurrentDropout)
    {
        if (units > int.MaxValue / 4)
            throw new ArgumentOutOfRangeException(nameof(units), $"An LSTM has 4 × units gate columns, so it can have at most {int.MaxValue / 4} units (got {units}).");
        RecurrentActivation = recurrentActivation;
        UnitForgetBias = unitForgetBias;
    }

    public override string TypeName => "LSTM";

    public override int StateCount => 2;

    public RecurrentActivation RecurrentActivation { get; }

    public bool UnitForgetBias { get; }

    /// <summary>The cell holding the weights (after build).</summary>
    public LstmCell Cell => _cell ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet: add it to a model first.");

    public override IReadOnlyList<Parameter> Parameters => _cell is null ? [] : [_cell.Kernel, _cell.RecurrentKernel, _cell.Bias];

    /// <summary>The carried hidden state h (B, u) of a stateful layer, for inspection; zeros after <see cref="Recurrent.ResetStates()"/>.</summary>
    public ReadOnlySpan<float> StateH => CarriedState(0);

    /// <summary>The carried cell state c (B, u) of a stateful layer.</summary>
    public ReadOnlySpan<float> StateC => CarriedState(1);

    protected override void BuildCell(int inputDim, RandomGenerator random)
    {
        if (_cell is not null)
            return;
        _cell = new LstmCell(inputDim, Units, RecurrentActivation);
        if (!SkipInitialization)
            _cell.Initialize(random, UnitForgetBias);
    }

    protected override void BeginForward(ReadOnlySpan<float> x, int batch, int steps) => Cell.BeginForward(x, _gates, batch, steps);

    protected override void StepForward(int t, int batch)
    {
        int bu = batch * Units, width = 4 * Units, f = Cell.InputDim;
        Cell.StepForward(Inputs((t + 1) * batch).Slice(t * batch * f, batch * f), _gates.AsSpan(t * batch * width, batch * width),
            RecurrentInput(t), State(1, t), State(1, t + 1), _tanhC.AsSpan(t * bu, bu), State(0, t + 1), batch);
    }

    protected override void BeginBackward(int batch, int steps) => Cell.BeginBackward(batch, steps);

    protected override void StepBackward(int t, int batch)
    {
        int bu = batch * Units, width = 4 * Units;
        Array.Clear(_dhPrev, 0, bu);
        // At t = 0, dL/dh_{-1} is the initial state's gradient, which is dropped: its product is skipped.
        Cell.StepBackward(_gates.AsSpan(t * batch * width, batch * width), State(1, t), _tanhC.AsSpan(t * bu, bu),
            StateGradient(0), StateGradient(1), _dz.AsSpan(t * batch * width, batch * width), t > 0 ? _dhPrev.AsSpan(0, bu) : default, batch);
        MaskRecurrentGradient(_dhPrev.AsSpan(0, bu));
        SwapStateGradient(0, ref _dhPrev);
    }

    protected override void EndBackward(int rows, Span<float> dx)
    {
        Cell.AccumulateWeightGradients(Inputs(rows), RecurrentInputs(rows), _dz, rows);
        if (!dx.IsEmpty)
            Cell.InputGradient(_dz, dx, rows);
    }

    protected override void EnsureCellBuffers(int batch, int steps)
    {
        int u = Units, rows = batch * steps;
        Grow(ref _gates, rows * 4 * u);
        Grow(ref _tanhC, rows * u);
        Grow(ref _dz, rows * 4 * u);
        Grow(ref _dhPrev, batch * u);
    }

    internal override Layer CloneSharingWeights(int? batchSize) =>
        new Lstm(Units, ReturnSequences, Stateful, RecurrentActivation, UnitForgetBias, GoBackwards, Dropout, RecurrentDropout) { Name = Name, _cell = _cell?.ShareWeights(), ReturnState = ReturnState };

    internal override Recurrent CopyConfiguration(bool goBackwards) => new Lstm(Units, ReturnSequences, Stateful, RecurrentActivation, UnitForgetBias, goBackwards, Dropout, RecurrentDropout);

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        Dictionary<string, object> config = RecurrentConfig();
        config["recurrent_activation"] = Activations.Name(RecurrentActivation);
        config["unit_forget_bias"] = UnitForgetBias;
        return config;
    }
}
