using System.Globalization;
using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>
/// Keras's <c>Dropout(rate)</c>: in training, each input value is zeroed with probability <c>rate</c> and the
/// others are scaled by 1/(1 − rate) (inverted dropout), so that nothing changes at inference; outside
/// training (predict, evaluate) the input passes unchanged. A new mask per training forward pass, drawn
/// from a generator seeded from the model's seed (the same seed gives the same masks).
/// <code>
/// m ~ Bernoulli(1 − rate) / (1 − rate)  (same shape as x);   y = x ⊙ m;   dL/dx = dL/dy ⊙ m
/// </code>
/// On sequences every element is dropped on its own (Keras's default <c>noise_shape</c>); the mask of
/// the time steps passes through.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly Tensor _output = new(0), _inputGradient = new(0);
    private float[] _mask = [];
    private bool _dropped;
    private RandomGenerator _random = new(0);

    /// <param name="rate">Fraction of the inputs to drop, in [0, 1).</param>
    public Dropout(double rate)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), $"The dropout rate must be in [0, 1) (got {rate.ToString(CultureInfo.InvariantCulture)}).");
        Rate = rate;
    }

    public override string TypeName => "Dropout";

    /// <summary>The fraction of inputs dropped in training.</summary>
    public double Rate { get; }

    /// <summary>When true, a training forward pass reuses the previous mask (for gradient checks with a fixed mask).</summary>
    internal bool ReuseMask { get; set; }

    /// <summary>The generator the masks are drawn from (its state is saved in model files, so training resumes with the same masks).</summary>
    internal RandomGenerator MaskRandom => _random;

    protected override SampleShape BuildCore(SampleShape input, int? batchSize, RandomGenerator random)
    {
        _random = new RandomGenerator(RandomGenerator.DeriveSeed(unchecked((long)random.NextUInt64()), "dropout"));
        return input;
    }

    internal override Tensor Forward(Tensor input, bool training)
    {
        int n = input.Size;
        _output.Reshape(input.Shape);
        _dropped = training && Rate > 0;
        if (!_dropped)
        {
            input.Span.CopyTo(_output.Span);
            return _output;
        }
        if (!(ReuseMask && _mask.Length == n))
        {
            if (_mask.Length != n)
                _mask = new float[n];
            Recurrent.DrawMask(_mask, Rate, _random);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Span, _mask, _output.Span);
        return _output;
    }

    internal override Tensor? Backward(Tensor outputGradient, bool needInputGradient)
    {
        if (!needInputGradient)
            return null;
        _inputGradient.Reshape(outputGradient.Shape);
        if (_dropped)
            System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Span, _mask, _inputGradient.Span);
        else
            outputGradient.Span.CopyTo(_inputGradient.Span);
        return _inputGradient;
    }

    internal override Layer CloneSharingWeights(int? batchSize) => new Dropout(Rate) { Name = Name };

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["rate"] = Rate,
    };
}
