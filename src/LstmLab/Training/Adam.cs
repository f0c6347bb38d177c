using System.Runtime.CompilerServices;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Training;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015, Algorithm 1 with the efficiency note at the end of section 2) in the form
/// Keras computes it, where ε is added to √v (not to the bias-corrected √v̂ as PyTorch does). It equals
/// Keras's update algebraically, not bit for bit: Keras 3 (<c>keras/src/optimizers/adam.py</c>) writes
/// m ← m + (g − m)(1 − β1) and v ← v + (g² − v)(1 − β2) and computes α_t in float32; we write the moments
/// as below and compute α_t once per step in double, rounded to float.
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

    protected override unsafe void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        if (step != _alphaStep)
        {
            _alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
            _alphaStep = step;
        }
        int n = value.Length;
        fixed (float* p = value, g = gradient[..n], m = slots[0].AsSpan(0, n), v = slots[1].AsSpan(0, n))
        {
            var op = new UpdateOperator(p, g, m, v, _alpha, (float)Beta1, (float)Beta2, (float)Epsilon);
            Elementwise.Run(ref op, n);
        }
    }

    /// <summary>
    /// The update of <c>count</c> elements, written once for every vector width: no fused multiply-add, and
    /// √ and ÷ are correctly rounded at every width, so every instruction set gives the same bits.
    /// </summary>
    private readonly unsafe struct UpdateOperator(float* value, float* gradient, float* m, float* v, float alpha, float beta1, float beta2, float epsilon)
        : IElementwiseOperator
    {
        public Scalars Coefficients => new(alpha, beta1, 1f - beta1, beta2, 1f - beta2, epsilon);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TVec, TOps>(nint at, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec>
        {
            TVec alphaT = k.S0, beta1 = k.S1, oneMinusBeta1 = k.S2, beta2 = k.S3, oneMinusBeta2 = k.S4, eps = k.S5;
            TVec g = TOps.Load(gradient + at, count);
            TVec mt = TOps.Add(TOps.Multiply(beta1, TOps.Load(m + at, count)), TOps.Multiply(oneMinusBeta1, g));                        // m ← β1·m + (1 − β1)·g
            TVec vt = TOps.Add(TOps.Multiply(beta2, TOps.Load(v + at, count)), TOps.Multiply(TOps.Multiply(oneMinusBeta2, g), g));      // v ← β2·v + (1 − β2)·g²
            TVec step = TOps.Divide(TOps.Multiply(alphaT, mt), TOps.Add(TOps.Sqrt(vt), eps));                                          // α_t·m / (√v + ε)
            TOps.Store(TOps.Subtract(TOps.Load(value + at, count), step), value + at, count);                                               // θ ← θ − α_t·m / (√v + ε)
            TOps.Store(mt, m + at, count);
            TOps.Store(vt, v + at, count);
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
