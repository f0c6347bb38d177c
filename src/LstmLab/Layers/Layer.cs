using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// The shape of one sample, without the batch axis: <c>(timesteps, features)</c> for a sequence
/// (timesteps 0 means "any length", Keras's None) or <c>(features,)</c> for a vector.
/// </summary>
public readonly record struct SampleShape(int Features, bool IsSequence, int Timesteps = 0)
{
    /// <summary>A sequence of <paramref name="timesteps"/> steps (0 = any) of <paramref name="features"/> values.</summary>
    public static SampleShape Sequence(int timesteps, int features) => new(features, true, timesteps);

    /// <summary>A vector of <paramref name="features"/> values.</summary>
    public static SampleShape Vector(int features) => new(features, false);

    public override string ToString() =>
        IsSequence ? $"({(Timesteps == 0 ? "None" : Timesteps.ToString(System.Globalization.CultureInfo.InvariantCulture))}, {Features})" : $"({Features},)";
}

/// <summary>
/// A layer of a <see cref="Sequential"/> model. Each layer keeps its forward pass and its
/// backward pass side by side: <see cref="Forward(Tensor, bool)"/> saves exactly what <see cref="Backward"/>
/// needs, and backward accumulates (+=) into the parameters' gradients. Layers own their output
/// and input-gradient buffers and re-shape them per batch, so steps allocate nothing.
/// </summary>
public abstract class Layer
{
    private static readonly IReadOnlyList<Parameter> NoParameters = [];

    /// <summary>The layer's name in a model (e.g. <c>lstm</c>, <c>dense_1</c>).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>The Keras class name, used in summaries and saved models.</summary>
    public abstract string TypeName { get; }

    /// <summary>The per-sample input shape, known once the layer is built.</summary>
    public SampleShape InputShape { get; private set; }

    /// <summary>The per-sample output shape, known once the layer is built.</summary>
    public SampleShape OutputShape { get; private set; }

    /// <summary>Whether the layer has been built (weights created for an input shape).</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>
    /// When set before the layer is added, <see cref="BuildCore"/> creates the weights without drawing initial values:
    /// model files set it, since every weight is read from the file (an orthogonal initializer of a large LSTM costs
    /// more than reading its weights).
    /// </summary>
    internal bool SkipInitialization { get; set; }

    /// <summary>The trainable weights, in Keras order.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => NoParameters;

    /// <summary>Creates the weights for <paramref name="input"/> (drawing initial values from <paramref name="random"/>) and returns the output shape.</summary>
    internal void Build(SampleShape input, int? batchSize, RandomGenerator random)
    {
        OutputShape = BuildCore(input, batchSize, random);
        InputShape = input;
        IsBuilt = true;
    }

    /// <summary>Validates the input shape, creates weights and returns the output shape.</summary>
    protected abstract SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random);

    /// <summary>Forward pass on a batch. The returned tensor is owned by the layer and reused by the next call.</summary>
    internal abstract Tensor Forward(Tensor input, bool training);

    /// <summary>
    /// Forward pass on a batch whose time steps may be masked: <paramref name="mask"/> is (batch, timesteps),
    /// 1 for a step to use and 0 for a step to skip (Keras's <c>mask</c> argument), or null for no mask.
    /// Layers that have no use for a mask ignore it (the default); <see cref="Lstm"/> skips masked steps.
    /// </summary>
    internal virtual Tensor Forward(Tensor input, Tensor? mask, bool training) => Forward(input, training);

    /// <summary>
    /// The mask of this layer's output after the last forward, given the mask of its input (Keras's
    /// <c>compute_mask</c>). By default a mask passes through unchanged while the output is still a
    /// sequence (Dense applied per time step, an LSTM with <c>return_sequences</c>) and ends where the
    /// time axis does (an LSTM returning its last output). <see cref="Masking"/> creates one.
    /// </summary>
    internal virtual Tensor? OutputMask(Tensor? inputMask) => OutputShape.IsSequence ? inputMask : null;

    /// <summary>
    /// Backward pass for the last <see cref="Forward(Tensor, bool)"/>: accumulates parameter gradients and, when
    /// <paramref name="needInputGradient"/> is true, returns dLoss/dInput (owned by the layer); else null.
    /// </summary>
    internal abstract Tensor? Backward(Tensor outputGradient, bool needInputGradient);

    /// <summary>Zeroes any state carried between batches (stateful layers only).</summary>
    public virtual void ResetStates()
    {
    }

    /// <summary>
    /// Copies of the state this layer carries between batches (Keras <c>layer.states</c>): for a stateful
    /// <see cref="Lstm"/>, [h, c], each (batch, units); for every other layer, none. Changing a copy changes nothing.
    /// </summary>
    public virtual IReadOnlyList<Tensor> GetStates() => [];

    /// <summary>
    /// Sets the carried state to <paramref name="values"/> (Keras <c>reset_states(states)</c>), in the order and
    /// shapes <see cref="GetStates"/> returns; the values are copied.
    /// </summary>
    /// <exception cref="ArgumentException">The layer carries no state, or the count or a shape differs.</exception>
    public virtual void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        throw new ArgumentException($"Layer '{Name}' ({TypeName}) carries no state between batches, so it has none to set.", nameof(values));
    }

    /// <summary>A new layer with the same configuration and the same weight objects (shared, not copied), built for <paramref name="batchSize"/>.</summary>
    internal abstract Layer CloneSharingWeights(int? batchSize);

    /// <summary>The layer's configuration as name/value pairs for saving (weights excluded).</summary>
    internal abstract IReadOnlyDictionary<string, object> GetConfig();

    /// <summary>The number of trainable values.</summary>
    public int CountParameters()
    {
        int n = 0;
        foreach (Parameter p in Parameters)
            n += p.Value.Size;
        return n;
    }

    /// <summary>Throws a shape error naming the layer, the expected and the actual shape.</summary>
    protected ArgumentException ShapeError(string expected, Shape actual) =>
        new($"Layer '{Name}' ({TypeName}) expected input of shape {expected} but got {actual}.");
}
