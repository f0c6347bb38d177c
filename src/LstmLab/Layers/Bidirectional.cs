using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>How <see cref="Bidirectional"/> combines its two directions (Keras <c>merge_mode</c>).</summary>
public enum MergeMode
{
    /// <summary><c>concat</c>: [y_forward, y_backward] on the last axis (2u values).</summary>
    Concat,
    /// <summary><c>sum</c>: y_forward + y_backward.</summary>
    Sum,
    /// <summary><c>mul</c>: y_forward ⊙ y_backward.</summary>
    Mul,
    /// <summary><c>ave</c>: (y_forward + y_backward) / 2.</summary>
    Ave,
}

/// <summary>
/// Keras's <c>Bidirectional(layer, merge_mode)</c>: two copies of a recurrent layer with their own weights,
/// one reading the sequence forwards and one backwards (<c>go_backwards</c> flipped), their outputs merged.
/// <code>
/// y_f = forward(x);  y_b = backward(x)                       (B, T, u) or (B, u)
/// with return_sequences, y_b is flipped in time first, so both are aligned with the input's steps
/// y = merge(y_f, y_b)  — concat (B, …, 2u), sum, mul or ave (B, …, u)
/// </code>
/// Masks as Keras: both directions receive the input mask (the backward one reverses it with the input);
/// the output mask is the input mask when <c>return_sequences</c>, else none. Weights: the forward layer's
/// (kernel, recurrent_kernel, bias), then the backward layer's; names <c>forward_lstm</c>, <c>backward_lstm</c>.
/// Stateful wrapped layers stay stateful in both directions.
/// </summary>
public sealed class Bidirectional : Layer
{
    private readonly Recurrent _forward, _backward;
    private readonly Tensor _output = new(0), _inputGradient = new(0), _forwardGradient = new(0), _backwardGradient = new(0);
    private float[] _yf = [], _yb = [];   // the aligned outputs of the last forward (for mul)
    private int _batch, _steps;

    /// <param name="layer">The recurrent layer to run in both directions (unbuilt; it becomes the forward layer).</param>
    /// <param name="mergeMode">How to combine the two outputs (Keras default concat).</param>
    /// <exception cref="ArgumentException">The layer already belongs to a model.</exception>
    public Bidirectional(Recurrent layer, MergeMode mergeMode = MergeMode.Concat)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.IsBuilt)
            throw new ArgumentException($"Layer '{layer.Name}' already belongs to a model; give Bidirectional a new layer.", nameof(layer));
        if (layer.ReturnState)
            throw new ArgumentException("Bidirectional does not return the wrapped layer's states (Keras's return_state there is not supported); read them with GetStates on a stateful layer.", nameof(layer));
        _forward = layer;
        _backward = layer.CopyConfiguration(!layer.GoBackwards);
        MergeMode = mergeMode;
    }

    private Bidirectional(Recurrent forward, Recurrent backward, MergeMode mergeMode)
    {
        _forward = forward;
        _backward = backward;
        MergeMode = mergeMode;
    }

    public override string TypeName => "Bidirectional";

    /// <summary>How the two directions are combined.</summary>
    public MergeMode MergeMode { get; }

    /// <summary>The layer reading the sequence in the wrapped layer's own direction.</summary>
    public Recurrent ForwardLayer => _forward;

    /// <summary>The copy reading it the other way (its <c>go_backwards</c> flipped).</summary>
    public Recurrent BackwardLayer => _backward;

    /// <summary>Whether the output is a sequence (the wrapped layer's <c>return_sequences</c>).</summary>
    public bool ReturnSequences => _forward.ReturnSequences;

    public override IReadOnlyList<Parameter> Parameters => [.. _forward.Parameters, .. _backward.Parameters];

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        string inner = _forward.TypeName.ToLowerInvariant();
        _forward.Name = $"forward_{inner}";
        _backward.Name = $"backward_{inner}";
        _forward.Build(input, batchSize, random);
        _backward.Build(input, batchSize, random);
        SampleShape one = _forward.OutputShape;
        int features = MergeMode == MergeMode.Concat ? 2 * one.Features : one.Features;
        return one.IsSequence ? SampleShape.Sequence(one.Timesteps, features) : SampleShape.Vector(features);
    }

    public override void ResetStates()
    {
        _forward.ResetStates();
        _backward.ResetStates();
    }

    /// <summary>The carried states of a stateful wrapped layer: the forward layer's (h, then c for an LSTM), then the backward layer's; none when not stateful.</summary>
    public override IReadOnlyList<Tensor> GetStates() => [.. _forward.GetStates(), .. _backward.GetStates()];

    /// <summary>Sets the carried states in the order <see cref="GetStates"/> returns them: the forward layer's, then the backward layer's.</summary>
    /// <exception cref="ArgumentException">The wrapped layer is not stateful, or the count or a shape differs.</exception>
    public override void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int half = _forward.StateCount;
        if (values.Count != 2 * half)
            throw new ArgumentException($"Layer '{Name}' (Bidirectional) carries {2 * half} states (forward, then backward); {values.Count} were given.", nameof(values));
        _forward.ResetStates([.. values.Take(half)]);
        _backward.ResetStates([.. values.Skip(half)]);
    }

    internal override Tensor Forward(Tensor input, bool training) => Forward(input, null, training);

    internal override Tensor Forward(Tensor input, Tensor? mask, bool training)
    {
        Tensor yf = _forward.Forward(input, mask, training);
        Tensor yb = _backward.Forward(input, mask, training);
        int u = _forward.Units;
        _batch = input.Shape[0];
        _steps = ReturnSequences ? input.Shape[1] : 1;
        int rows = _batch * _steps, n = rows * u;
        if (_yf.Length < n)
        {
            _yf = new float[n];
            _yb = new float[n];
        }
        yf.Span.CopyTo(_yf);
        Align(yb.Span, _yb);
        int width = MergeMode == MergeMode.Concat ? 2 * u : u;
        if (ReturnSequences)
            _output.Reshape(_batch, _steps, width);
        else
            _output.Reshape(_batch, width);
        Span<float> y = _output.Span;
        ReadOnlySpan<float> f = _yf.AsSpan(0, n), b = _yb.AsSpan(0, n);
        switch (MergeMode)
        {
            case MergeMode.Concat:
                for (int r = 0; r < rows; r++)
                {
                    f.Slice(r * u, u).CopyTo(y.Slice(r * 2 * u, u));
                    b.Slice(r * u, u).CopyTo(y.Slice(r * 2 * u + u, u));
                }
                break;
            case MergeMode.Sum:
                System.Numerics.Tensors.TensorPrimitives.Add(f, b, y);
                break;
            case MergeMode.Mul:
                System.Numerics.Tensors.TensorPrimitives.Multiply(f, b, y);
                break;
            default:
                System.Numerics.Tensors.TensorPrimitives.Add(f, b, y);
                System.Numerics.Tensors.TensorPrimitives.Multiply(y, 0.5f, y);
                break;
        }
        return _output;
    }

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        int u = _forward.Units, rows = _batch * _steps, n = rows * u;
        Shape shape = ReturnSequences ? new Shape(_batch, _steps, u) : new Shape(_batch, u);
        _forwardGradient.Reshape(shape);
        _backwardGradient.Reshape(shape);
        ReadOnlySpan<float> dy = outputGradient.Span;
        Span<float> df = _forwardGradient.Span, db = _backwardGradient.Span;
        // db is first built aligned with the input's steps, then flipped into the backward layer's order.
        switch (MergeMode)
        {
            case MergeMode.Concat:
                for (int r = 0; r < rows; r++)
                {
                    dy.Slice(r * 2 * u, u).CopyTo(df.Slice(r * u, u));
                    dy.Slice(r * 2 * u + u, u).CopyTo(db.Slice(r * u, u));
                }
                break;
            case MergeMode.Sum:
                dy[..n].CopyTo(df);
                dy[..n].CopyTo(db);
                break;
            case MergeMode.Mul:
                System.Numerics.Tensors.TensorPrimitives.Multiply(dy[..n], _yb.AsSpan(0, n), df);
                System.Numerics.Tensors.TensorPrimitives.Multiply(dy[..n], _yf.AsSpan(0, n), db);
                break;
            default:
                System.Numerics.Tensors.TensorPrimitives.Multiply(dy[..n], 0.5f, df);
                df.CopyTo(db);
                break;
        }
        if (ReturnSequences)
        {
            // Flip in place: step t of the aligned gradient belongs to processing step T-1-t.
            for (int b = 0; b < _batch; b++)
            {
                for (int t = 0; t < _steps / 2; t++)
                {
                    Span<float> first = db.Slice((b * _steps + t) * u, u), last = db.Slice((b * _steps + _steps - 1 - t) * u, u);
                    for (int j = 0; j < u; j++)
                        (first[j], last[j]) = (last[j], first[j]);
                }
            }
        }
        Tensor? dxf = _forward.Backward(_forwardGradient, needInputGradient);
        Tensor? dxb = _backward.Backward(_backwardGradient, needInputGradient);
        if (!needInputGradient)
            return null;
        _inputGradient.Reshape(dxf!.Shape);
        System.Numerics.Tensors.TensorPrimitives.Add(dxf.Span, dxb!.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <summary>Copies the backward layer's output, flipped in time when it is a sequence, so that step t is the input's step t.</summary>
    private void Align(ReadOnlySpan<float> source, Span<float> destination)
    {
        int u = _forward.Units;
        if (!ReturnSequences)
        {
            source.CopyTo(destination);
            return;
        }
        for (int b = 0; b < _batch; b++)
        {
            for (int t = 0; t < _steps; t++)
                source.Slice((b * _steps + _steps - 1 - t) * u, u).CopyTo(destination.Slice((b * _steps + t) * u, u));
        }
    }

    internal override Layer CloneSharingWeights(int? batchSize) =>
        new Bidirectional((Recurrent)_forward.CloneSharingWeights(batchSize), (Recurrent)_backward.CloneSharingWeights(batchSize), MergeMode) { Name = Name };

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        var config = new Dictionary<string, object>
        {
            ["merge_mode"] = MergeMode.ToString().ToLowerInvariant(),
            ["layer"] = _forward.TypeName,
        };
        foreach ((string key, object value) in _forward.GetConfig())
            config[$"layer.{key}"] = value;
        return config;
    }
}
