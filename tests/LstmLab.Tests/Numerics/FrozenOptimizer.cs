using LstmLab.Training;

namespace LstmLab.Tests.Numerics;

/// <summary>An optimizer that leaves the weights alone, so a training step only computes gradients (for gradient checks).</summary>
internal sealed class FrozenOptimizer : Optimizer
{
    public FrozenOptimizer()
        : base(1.0)
    {
    }

    public override string Name => "frozen";

    protected override int SlotCount => 0;

    protected override void UpdateStep(Span<float> value, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
    }

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>();
}
