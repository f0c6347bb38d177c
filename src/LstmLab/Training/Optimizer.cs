using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LstmLab.Layers;

namespace LstmLab.Training;

/// <summary>
/// Base of the optimizers: owns the step count and each parameter's slot buffers (Adam's m and v,
/// SGD's velocity), created once on the first update; subclasses write only the per-element rule.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, float[][]> _slots = new(ReferenceEqualityComparer.Instance);

    // The slots of the parameters of the last Apply, in order: a model passes the same list at every
    // step, so a step normally looks nothing up in the dictionary.
    private Parameter[] _lastParameters = [];
    private float[][][] _lastSlots = [];

    protected Optimizer(double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate must be a positive number (got {learningRate}).");
        LearningRate = learningRate;
    }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>The number of updates applied so far (Keras <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>The Keras name.</summary>
    public abstract string Name { get; }

    /// <summary>How many slot buffers (each the size of the parameter) the rule needs.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Applies one update to every parameter from its accumulated gradient.</summary>
    public void Apply(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Iterations++;
        float[][][] slots = SlotsOf(parameters);
        // An index loop: foreach over the interface would box the list's enumerator, one allocation per step.
        for (int i = 0; i < slots.Length; i++)
        {
            Parameter p = parameters[i];
            UpdateStep(p.Value.Span, p.Gradient.Span, slots[i], Iterations);
        }
    }

    /// <summary>The slot buffers of each parameter, in order, created on a parameter's first update.</summary>
    private float[][][] SlotsOf(IReadOnlyList<Parameter> parameters)
    {
        int count = parameters.Count;
        bool same = count == _lastParameters.Length;
        for (int i = 0; same && i < count; i++)
            same = ReferenceEquals(parameters[i], _lastParameters[i]);
        if (same)
            return _lastSlots;
        var parameterArray = new Parameter[count];
        var slotArray = new float[count][][];
        for (int i = 0; i < count; i++)
        {
            Parameter p = parameters[i];
            if (!_slots.TryGetValue(p, out float[][]? slots))
            {
                slots = new float[SlotCount][];
                for (int s = 0; s < slots.Length; s++)
                    slots[s] = new float[p.Value.Size];
                _slots.Add(p, slots);
            }
            parameterArray[i] = p;
            slotArray[i] = slots;
        }
        _lastParameters = parameterArray;
        _lastSlots = slotArray;
        return slotArray;
    }

    /// <summary>The update rule for one parameter at step <paramref name="step"/> (1-based).</summary>
    protected abstract void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step);

    /// <summary>The optimizer's settings for saving.</summary>
    internal abstract IReadOnlyDictionary<string, object> GetConfig();
}

/// <summary>
/// Adam (Kingma &amp; Ba, 2015, Algorithm 1 with the efficiency note at the end of section 2), exactly as
/// Keras writes it, where ε is added to √v (not to the bias-corrected √v̂ as PyTorch does):
/// <code>
/// α_t = lr · √(1 − β2^t) / (1 − β1^t)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// θ ← θ − α_t · m / (√v + ε)
/// </code>
/// Defaults as Keras ≥ 2.3: lr 0.001, β1 0.9, β2 0.999, ε 1e-7 (Keras 2.0 used ε 1e-8).
/// PyTorch's Adam gives the same update with eps_torch = ε / √(1 − β2^t).
/// </summary>
public sealed class Adam : Optimizer
{
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(learningRate)
    {
        if (beta1 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta1), $"beta1 must be in [0, 1) (got {beta1}).");
        if (beta2 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta2), $"beta2 must be in [0, 1) (got {beta2}).");
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be non-negative (got {epsilon}).");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public override string Name => "adam";

    protected override int SlotCount => 2;

    // α_t depends only on the step: computed once per step, not once per parameter.
    private long _alphaStep;
    private float _alpha;

    protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        if (step != _alphaStep)
        {
            _alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
            _alphaStep = step;
        }
        float alpha = _alpha, b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon;
        float c1 = 1f - b1, c2 = 1f - b2;
        int n = value.Length;
        Span<float> m = slots[0].AsSpan(0, n), v = slots[1].AsSpan(0, n);
        ReadOnlySpan<float> g = gradient[..n];
        ref float rp = ref MemoryMarshal.GetReference(value), rm = ref MemoryMarshal.GetReference(m), rv = ref MemoryMarshal.GetReference(v);
        ref float rg = ref MemoryMarshal.GetReference(g);
        int i = 0;
        // The vector loops compute the scalar loop's expression, operation for operation (no fused
        // multiply-add; √ and ÷ are correctly rounded in both), so every width gives the same bits.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vb1 = Vector512.Create(b1), vc1 = Vector512.Create(c1), vb2 = Vector512.Create(b2), vc2 = Vector512.Create(c2);
            Vector512<float> va = Vector512.Create(alpha), ve = Vector512.Create(eps);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                Vector512<float> gi = Vector512.LoadUnsafe(ref rg, at);
                Vector512<float> mi = vb1 * Vector512.LoadUnsafe(ref rm, at) + vc1 * gi;
                Vector512<float> vi = vb2 * Vector512.LoadUnsafe(ref rv, at) + vc2 * gi * gi;
                (Vector512.LoadUnsafe(ref rp, at) - va * mi / (Vector512.Sqrt(vi) + ve)).StoreUnsafe(ref rp, at);
                mi.StoreUnsafe(ref rm, at);
                vi.StoreUnsafe(ref rv, at);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vb1 = Vector256.Create(b1), vc1 = Vector256.Create(c1), vb2 = Vector256.Create(b2), vc2 = Vector256.Create(c2);
            Vector256<float> va = Vector256.Create(alpha), ve = Vector256.Create(eps);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                nuint at = (nuint)i;
                Vector256<float> gi = Vector256.LoadUnsafe(ref rg, at);
                Vector256<float> mi = vb1 * Vector256.LoadUnsafe(ref rm, at) + vc1 * gi;
                Vector256<float> vi = vb2 * Vector256.LoadUnsafe(ref rv, at) + vc2 * gi * gi;
                (Vector256.LoadUnsafe(ref rp, at) - va * mi / (Vector256.Sqrt(vi) + ve)).StoreUnsafe(ref rp, at);
                mi.StoreUnsafe(ref rm, at);
                vi.StoreUnsafe(ref rv, at);
            }
        }
        for (; i < n; i++)
        {
            float gi = g[i];
            m[i] = b1 * m[i] + c1 * gi;                 // first moment
            v[i] = b2 * v[i] + c2 * gi * gi;            // second moment
            value[i] -= alpha * m[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["name"] = Name,
        ["learning_rate"] = LearningRate,
        ["beta_1"] = Beta1,
        ["beta_2"] = Beta2,
        ["epsilon"] = Epsilon,
    };
}

/// <summary>
/// Stochastic gradient descent with optional momentum, as Keras:
/// <code>
/// v ← momentum·v − lr·g
/// θ ← θ + v                      (plain)
/// θ ← θ + momentum·v − lr·g      (Nesterov)
/// </code>
/// Defaults as Keras: lr 0.01, momentum 0.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false)
        : base(learningRate)
    {
        if (momentum is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(momentum), $"momentum must be in [0, 1) (got {momentum}).");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public bool Nesterov { get; }

    public override string Name => "sgd";

    protected override int SlotCount => 1;

    protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float[] velocity = slots[0];
        float lr = (float)LearningRate, mu = (float)Momentum;
        for (int i = 0; i < value.Length; i++)
        {
            velocity[i] = mu * velocity[i] - lr * gradient[i];
            value[i] += Nesterov ? mu * velocity[i] - lr * gradient[i] : velocity[i];
        }
    }

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["name"] = Name,
        ["learning_rate"] = LearningRate,
        ["momentum"] = Momentum,
        ["nesterov"] = Nesterov,
    };
}
