namespace LstmLab.Training;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer, 2011), exactly as Keras 3 writes it (<c>keras/src/optimizers/adagrad.py</c>):
/// the accumulator starts at <see cref="InitialAccumulatorValue"/> and ε is added inside the square root:
/// <code>
/// A ← A + g²
/// θ ← θ − lr · g / √(A + ε)
/// </code>
/// Defaults as Keras: lr 0.001, initial accumulator 0.1, ε 1e-7.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (named in the message).</exception>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
        : base(learningRate)
    {
        if (!(initialAccumulatorValue >= 0) || double.IsInfinity(initialAccumulatorValue))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), $"initial_accumulator_value must be a non-negative number (got {initialAccumulatorValue}).");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be a non-negative number (got {epsilon}).");
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>The accumulators' starting value (Keras <c>initial_accumulator_value</c>).</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Added to the accumulator inside the square root.</summary>
    public double Epsilon { get; }

    public override string Name => "adagrad";

    protected override int SlotCount => 1;

    protected override float InitialSlotValue(int slot) => (float)InitialAccumulatorValue;

    protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = (float)LearningRate, eps = (float)Epsilon;
        Span<float> accumulator = slots[0].AsSpan(0, value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i];
            accumulator[i] += g * g;                                      // sum of squared gradients
            value[i] -= lr * g / MathF.Sqrt(accumulator[i] + eps);
        }
    }

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        var config = new Dictionary<string, object>
        {
            ["name"] = Name,
            ["learning_rate"] = LearningRate,
            ["initial_accumulator_value"] = InitialAccumulatorValue,
            ["epsilon"] = Epsilon,
        };
        AddClipConfig(config);
        return config;
    }
}
