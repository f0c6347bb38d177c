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

    // ---- Model files (issue 12): the step count and slots, exported and imported so that a saved model resumes
    // training with the same bits as one that never stopped.

    /// <summary>How many slot buffers each parameter has (Adam: m then v; SGD: velocity).</summary>
    internal int StateSlotCount => SlotCount;

    /// <summary>The slots of <paramref name="parameter"/> (live buffers, not copies), or null before its first update.</summary>
    internal float[][]? ExportSlots(Parameter parameter) => _slots.TryGetValue(parameter, out float[][]? slots) ? slots : null;

    /// <summary>Sets the step count and, for each parameter given a non-null entry, copies of its slots.</summary>
    /// <exception cref="ArgumentException">A slot count or length does not fit its parameter.</exception>
    internal void ImportState(long iterations, IReadOnlyList<Parameter> parameters, IReadOnlyList<float[][]?> slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (slots[i] is not float[][] s)
                continue;
            if (s.Length != SlotCount || s.Any(b => b.Length != parameters[i].Value.Size))
                throw new ArgumentException($"Optimizer state for weight '{parameters[i].Name}' needs {SlotCount} slots of {parameters[i].Value.Size} values.", nameof(slots));
            _slots[parameters[i]] = s.Select(b => (float[])b.Clone()).ToArray();
        }
        Iterations = iterations;
        _lastParameters = [];
        _lastSlots = [];
    }
}
