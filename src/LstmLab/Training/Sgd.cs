using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LstmLab.Layers;

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
