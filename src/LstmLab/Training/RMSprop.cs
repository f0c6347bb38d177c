namespace LstmLab.Training;

/// <summary>
/// RMSprop (Hinton, 2012, lecture 6e), exactly as Keras 3 writes it (<c>keras/src/optimizers/rmsprop.py</c>),
/// where ε is added inside the square root:
/// <code>
/// v ← ρ·v + (1 − ρ)·g²
/// ḡ ← ρ·ḡ + (1 − ρ)·g                          (centered only)
/// d = v − ḡ² + ε  (centered)   or   v + ε
/// Δ = lr · g / √d
/// m ← momentum·m + Δ;  θ ← θ − m               (momentum &gt; 0)
/// θ ← θ − Δ                                     (momentum = 0)
/// </code>
/// Defaults as Keras: lr 0.001, ρ 0.9, momentum 0, ε 1e-7, centered false. Slots start at zero.
/// </summary>
public sealed class RMSprop : Optimizer
{
    private readonly int _momentumSlot, _averageSlot;

    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (named in the message).</exception>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, bool centered = false)
        : base(learningRate)
    {
        if (rho is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(rho), $"rho must be in [0, 1) (got {rho}).");
        if (momentum is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(momentum), $"momentum must be in [0, 1) (got {momentum}).");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be a non-negative number (got {epsilon}).");
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
        _momentumSlot = momentum > 0 ? 1 : -1;
        _averageSlot = centered ? (momentum > 0 ? 2 : 1) : -1;
    }

    /// <summary>Discount of the old squared gradients (Keras <c>rho</c>).</summary>
    public double Rho { get; }

    /// <summary>Plain (not Nesterov) momentum on the increments; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>Added to the denominator inside the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Divide by the estimated variance (v − ḡ²) rather than the second moment v.</summary>
    public bool Centered { get; }

    public override string Name => "rmsprop";

    protected override int SlotCount => 1 + (_momentumSlot > 0 ? 1 : 0) + (_averageSlot > 0 ? 1 : 0);

    protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = (float)LearningRate, rho = (float)Rho, c = 1f - rho, eps = (float)Epsilon, mu = (float)Momentum;
        Span<float> v = slots[0].AsSpan(0, value.Length);
        Span<float> m = _momentumSlot > 0 ? slots[_momentumSlot].AsSpan(0, value.Length) : [];
        Span<float> a = _averageSlot > 0 ? slots[_averageSlot].AsSpan(0, value.Length) : [];
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i];
            v[i] = rho * v[i] + c * g * g;                  // second moment
            float denominator = v[i] + eps;
            if (Centered)
            {
                a[i] = rho * a[i] + c * g;                  // first moment
                denominator = v[i] - a[i] * a[i] + eps;     // variance estimate
            }
            float increment = lr * g / MathF.Sqrt(denominator);
            if (mu > 0)
            {
                m[i] = mu * m[i] + increment;               // momentum on the increments
                value[i] -= m[i];
            }
            else
            {
                value[i] -= increment;
            }
        }
    }

    internal override IReadOnlyDictionary<string, object> GetConfig()
    {
        var config = new Dictionary<string, object>
        {
            ["name"] = Name,
            ["learning_rate"] = LearningRate,
            ["rho"] = Rho,
            ["momentum"] = Momentum,
            ["epsilon"] = Epsilon,
            ["centered"] = Centered,
        };
        AddClipConfig(config);
        return config;
    }
}
