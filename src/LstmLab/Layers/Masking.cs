using System.Globalization;
using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Keras's <c>Masking(mask_value)</c>: marks the time steps to skip. A time step whose features all
/// equal <see cref="MaskValue"/> is masked; the mask travels to the next layers, and an <see cref="Lstm"/>
/// skips masked steps (its state and output stay as they were). As Keras, the output is the input with
/// the masked steps zeroed.
/// <code>
/// mask[b, t] = any_f(x[b, t, f] ≠ mask_value) ? 1 : 0        (B, T)
/// y[b, t, f] = x[b, t, f] · mask[b, t]                        (B, T, F)
/// dL/dx[b, t, f] = dL/dy[b, t, f] · mask[b, t]
/// </code>
/// The usual use is padding: sequences of different lengths padded with <c>mask_value</c> to one length
/// (e.g. -1 for missing values) so that the padding does not count.
/// </summary>
public sealed class Masking : Layer
{
    private readonly Tensor _mask = new(0);
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <param name="maskValue">The value that marks a time step as missing when every feature has it (Keras default 0).</param>
    public Masking(double maskValue = 0.0)
    {
        if (!double.IsFinite(maskValue))
            throw new ArgumentOutOfRangeException(nameof(maskValue), $"The mask value must be a finite number (got {maskValue.ToString(CultureInfo.InvariantCulture)}).");
        MaskValue = maskValue;
    }

    public override string TypeName => "Masking";

    /// <summary>The value that marks a masked time step.</summary>
    public double MaskValue { get; }

    /// <summary>The mask (B, T) of the last forward pass: 1 keep, 0 skip.</summary>
    public Tensor Mask => _mask;

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        if (!input.IsSequence)
            throw new ArgumentException($"Layer '{Name}' (Masking) masks time steps, so it needs sequences of shape (timesteps, features); got {input}.");
        return input;
    }

    internal override Tensor Forward(Tensor input, bool training)
    {
        Shape shape = input.Shape;
        int features = InputShape.Features;
        if (shape.Rank != 3 || shape[2] != features || (InputShape.Timesteps != 0 && shape[1] != InputShape.Timesteps))
            throw ShapeError($"(batch, {(InputShape.Timesteps == 0 ? "timesteps" : InputShape.Timesteps)}, {features})", shape);
        int rows = shape[0] * shape[1];
        float value = (float)MaskValue;
        _mask.Reshape(shape[0], shape[1]);
        _output.Reshape(shape);
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = _output.Span, mask = _mask.Span;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> step = x.Slice(r * features, features);
            bool keep = step.ContainsAnyExcept(value);
            mask[r] = keep ? 1f : 0f;
            if (keep)
                step.CopyTo(y.Slice(r * features, features));
            else
                y.Slice(r * features, features).Clear();
        }
        return _output;
    }

    internal override Tensor? OutputMask(Tensor? inputMask) => _mask;

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        if (!needInputGradient)
            return null;
        int features = InputShape.Features;
        _inputGradient.Reshape(outputGradient.Shape);
        ReadOnlySpan<float> dy = outputGradient.Span, mask = _mask.Span;
        Span<float> dx = _inputGradient.Span;
        for (int r = 0; r < mask.Length; r++)
        {
            if (mask[r] != 0f)
                dy.Slice(r * features, features).CopyTo(dx.Slice(r * features, features));
            else
                dx.Slice(r * features, features).Clear();
        }
        return _inputGradient;
    }

    internal override Layer CloneSharingWeights(int? batchSize) => new Masking(MaskValue) { Name = Name };

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["mask_value"] = MaskValue,
    };
}
