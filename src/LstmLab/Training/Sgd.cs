using System.Runtime.CompilerServices;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Training;

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

    protected override unsafe void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        int n = value.Length;
        fixed (float* p = value, g = gradient[..n], velocity = slots[0].AsSpan(0, n))
        {
            float lr = (float)LearningRate, mu = (float)Momentum;
            if (Nesterov)
            {
                var op = new UpdateOperator<NesterovStep>(p, g, velocity, lr, mu);
                Elementwise.Run(ref op, n);
            }
            else
            {
                var op = new UpdateOperator<PlainStep>(p, g, velocity, lr, mu);
                Elementwise.Run(ref op, n);
            }
        }
    }

    /// <summary>Whether the step is Nesterov's, known when the update is compiled.</summary>
    private interface IStepKind
    {
        static abstract bool Nesterov { get; }
    }

    private readonly struct PlainStep : IStepKind
    {
        public static bool Nesterov => false;
    }

    private readonly struct NesterovStep : IStepKind
    {
        public static bool Nesterov => true;
    }

    /// <summary>The update of <c>count</c> elements, written once for every vector width (no fused multiply-add: the same bits on every instruction set).</summary>
    private readonly unsafe struct UpdateOperator<TKind>(float* value, float* gradient, float* velocity, float learningRate, float momentum)
        : IElementwiseOperator
        where TKind : struct, IStepKind
    {
        public Scalars Coefficients => new(learningRate, momentum);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TVec, TOps>(nint at, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec>
        {
            TVec mu = k.S1, lrG = TOps.Multiply(k.S0, TOps.Load(gradient + at, count));
            TVec v = TOps.Subtract(TOps.Multiply(mu, TOps.Load(velocity + at, count)), lrG);   // v ← momentum·v − lr·g
            TVec delta = TKind.Nesterov ? TOps.Subtract(TOps.Multiply(mu, v), lrG) : v;        // Nesterov: momentum·v − lr·g; else v
            TOps.Store(v, velocity + at, count);
            TOps.Store(TOps.Add(TOps.Load(value + at, count), delta), value + at, count);      // θ ← θ + delta
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
