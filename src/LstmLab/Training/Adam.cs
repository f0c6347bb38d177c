using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LstmLab.Layers;

namespace LstmLab.Training;

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
        // ε = 0 divides 0 by 0 for any weight whose gradient is exactly zero so far (m = v = 0): NaN.
        // (The update runs in float32, so an ε that rounds to 0 there is 0 too.)
        if (!(epsilon > 0) || double.IsInfinity(epsilon) || (float)epsilon == 0f)
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Adam's epsilon must be a positive number that float32 can hold (got {epsilon}): with 0, a weight whose gradient is exactly 0 gets 0 / 0 = NaN.");
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
