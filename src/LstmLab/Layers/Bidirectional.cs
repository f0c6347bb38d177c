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
/// Masks: both directions receive the input mask (the backward one reverses it with the input); the output mask
/// is the input mask when <c>return_sequences</c>, else none. At a masked step each direction repeats its previous
/// output (multi-backend Keras 2 and TensorFlow.js), or, with <see cref="ZeroOutputForMask"/>, outputs zeros (Keras 3
/// and tf.keras, which force <c>zero_output_for_mask = return_sequences</c> on the wrapped layers). Weights: the forward layer's
/// (kernel, recurrent_kernel, bias), then the backward layer's; names <c>forward_lstm</c>, <c>backward_lstm</c>.
/// Stateful wrapped layers stay stateful in both directions.
/// </summary>
public sealed class Bidirectional : Layer
{
    private readonly Recurrent _forward, _backward;
    private readonly Tensor _output = new(0), _inputGradient = new(0), _forwardGradient = new(0), _backwardGradient = new(0);
    private float[] _yf = [], _yb = [];   // the aligned outputs of the last forward (for mul)
    private float[] _keep = [];           // (B, T) the input mask of the last forward with return_sequences
    private int _kept;                    // its length, 0 when the last forward had no mask or returned no sequence
    private int _batch, _steps;

    /// <param name="layer">The recurrent layer to run in both directions (unbuilt; it becomes the forward layer).</param>
    /// <param name="mergeMode">How to combine the two outputs (Keras default concat).</param>
    /// <param name="zeroOutputForMask">With return_sequences, output zeros at masked steps (Keras 3, tf.keras) rather than repeat the previous output (the default: Keras 2.2, TensorFlow.js).</param>
    /// <exception cref="ArgumentException">The layer already belongs to a model.</exception>
    public Bidirectional(Recurrent layer, MergeMode mergeMode = MergeMode.Concat, bool zeroOutputForMask = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.IsBuilt)
            throw new ArgumentException($"Layer '{layer.Name}' already belongs to a model; give Bidirectional a new layer.", nameof(layer));
        _forward = layer;
        _backward = layer.CopyConfiguration(!layer.GoBackwards);
        MergeMode = mergeMode;
        ZeroOutputForMask = zeroOutputForMask;
    }

    private Bidirectional(Recurrent forward, Recurrent backward, MergeMode mergeMode, bool zeroOutputForMask)
    {
        _forward = forward;
        _backward = backward;
        MergeMode = mergeMode;
        ZeroOutputForMask = zeroOutputForMask;
    }

    /// <summary>Whether a masked step of a returned sequence outputs zeros (Keras 3's behaviour) rather than each direction's previous output.</summary>
    public bool ZeroOutputForMask { get; }

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
        _kept = ReturnSequences && ZeroOutputForMask && mask is not null ? mask.Size : 0;
        if (_keep.Length < _kept)
            _keep = new float[_kept];
        if (_kept > 0)
            mask!.Span[.._kept].CopyTo(_keep);
        ZeroMaskedSteps(_yf.AsSpan(0, n));
        ZeroMaskedSteps(_yb.AsSpan(0, n));
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
        // A masked step's output is a constant zero: no gradient flows back from it.
        ZeroMaskedSteps(df);
        ZeroMaskedSteps(db);
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

    /// <summary>Zeroes the rows (B·T of u, aligned with the input's steps) of the masked steps, when the output is a masked sequence.</summary>
    private void ZeroMaskedSteps(Span<float> rows)
    {
        int u = _forward.Units;
        for (int r = 0; r < _kept; r++)
        {
            if (_keep[r] == 0f)
                rows.Slice(r * u, u).Clear();
        }
    }

    /// <summary>The forward layer's carried states, then the backward layer's (Keras's order of a Bidirectional's states); none unless stateful.</summary>
    public override IReadOnlyList<Tensor> GetStates() => [.. _forward.GetStates(), .. _backward.GetStates()];

    /// <summary>Sets the carried states: the forward layer's, then the backward layer's, as <see cref="GetStates"/> returns them.</summary>
    /// <exception cref="ArgumentException">The layers are not stateful, or the count or a shape differs.</exception>
    public override void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int half = _forward.StateCount;
        if (!_forward.Stateful)
            throw new ArgumentException($"Layer '{Name}' (Bidirectional) is not stateful, so it carries no state to set.", nameof(values));
        if (values.Count != 2 * half)
            throw new ArgumentException($"Layer '{Name}' (Bidirectional) carries {2 * half} states ({half} per direction); {values.Count} were given.", nameof(values));
        _forward.ResetStates(values.Take(half).ToArray());
        _backward.ResetStates(values.Skip(half).ToArray());
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
        new Bidirectional((Recurrent)_forward.CloneSharingWeights(batchSize), (Recurrent)_backward.CloneSharingWeights(batchSize), MergeMode, ZeroOutputForMask) { Name = Name };

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        // The wrapped layer's own configuration is the forward layer's (ForwardLayer.GetConfig()), saved nested by the model file.
        return new Dictionary<string, object>
        {
            ["merge_mode"] = MergeMode.ToString().ToLowerInvariant(),
            ["zero_output_for_mask"] = ZeroOutputForMask,
        };
    }
}
