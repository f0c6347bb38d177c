using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LstmLab.Layers;

namespace LstmLab.Training;

/// <summary>
/// Base of the optimizers: owns the learning rate, the step count, Keras's gradient clipping and each
/// parameter's slot buffers (Adam's m and v, SGD's velocity), created once on the first update;
/// subclasses write only the per-element rule.
/// <para>
/// Clipping, as Keras's <c>BaseOptimizer._clip_gradients</c> (at most one of the three may be set), is
/// applied to the accumulated gradients in place before the update rule sees them:
/// <code>
/// clipnorm c (per variable):   g ← g · c / max(‖g‖₂, c)
/// global_clipnorm c:           g ← g · c / max(‖(g₁, …, gₙ)‖₂, c)   (one norm over all variables; NaN if it is not finite)
/// clipvalue c:                 g ← min(max(g, −c), c)              (element-wise)
/// </code>
/// </para>
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, float[][]> _slots = new(ReferenceEqualityComparer.Instance);

    // The slots of the parameters of the last Apply, in order: a model passes the same list at every
    // step, so a step normally looks nothing up in the dictionary.
    private Parameter[] _lastParameters = [];
    private float[][][] _lastSlots = [];

    private double _learningRate;
    private double? _clipNorm, _clipValue, _globalClipNorm;

    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not a positive finite number.</exception>
    protected Optimizer(double learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>
    /// The learning rate (Keras <c>learning_rate</c>). It may be changed between updates (a learning-rate
    /// schedule does); the next update uses the new value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a positive finite number.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), $"The learning rate must be a positive number (got {value}).");
            _learningRate = value;
        }
    }

    /// <summary>Keras <c>clipnorm</c>: each variable's gradient is rescaled so that its L2 norm is at most this; null (default) for none.</summary>
    /// <exception cref="ArgumentException">Not a positive finite number, or another clipping is already set.</exception>
    public double? ClipNorm
    {
        get => _clipNorm;
        set => _clipNorm = CheckClip(value, nameof(ClipNorm), "clipnorm");
    }

    /// <summary>Keras <c>clipvalue</c>: every gradient element is clipped to [−c, c]; null (default) for none.</summary>
    /// <exception cref="ArgumentException">Not a positive finite number, or another clipping is already set.</exception>
    public double? ClipValue
    {
        get => _clipValue;
        set => _clipValue = CheckClip(value, nameof(ClipValue), "clipvalue");
    }

    /// <summary>Keras <c>global_clipnorm</c>: all gradients are rescaled together so that their joint L2 norm is at most this; null (default) for none.</summary>
    /// <exception cref="ArgumentException">Not a positive finite number, or another clipping is already set.</exception>
    public double? GlobalClipNorm
    {
        get => _globalClipNorm;
        set => _globalClipNorm = CheckClip(value, nameof(GlobalClipNorm), "global_clipnorm");
    }

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
        ClipGradients(parameters);
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
                {
                    slots[s] = new float[p.Value.Size];
                    if (InitialSlotValue(s) is var initial and not 0f)
                        slots[s].AsSpan().Fill(initial);
                }
                _slots.Add(p, slots);
            }
            parameterArray[i] = p;
            slotArray[i] = slots;
        }
        _lastParameters = parameterArray;
        _lastSlots = slotArray;
        return slotArray;
    }

    /// <summary>The value slot <paramref name="slot"/> starts from (0 unless the rule says otherwise, e.g. Adagrad's accumulator).</summary>
    protected virtual float InitialSlotValue(int slot) => 0f;

    /// <summary>Keras's clipping of the accumulated gradients, in place (see the class remarks); nothing when none is set.</summary>
    private void ClipGradients(IReadOnlyList<Parameter> parameters)
    {
        if (_clipNorm is double clipNorm)
        {
            for (int i = 0; i < parameters.Count; i++)
                ScaleToNorm(parameters[i].Gradient.Span, Norm(parameters[i].Gradient.Span), clipNorm);
        }
        else if (_globalClipNorm is double globalClipNorm)
        {
            double sum = 0;
            for (int i = 0; i < parameters.Count; i++)
                sum += SumOfSquares(parameters[i].Gradient.Span);
            double norm = Math.Sqrt(sum);
            for (int i = 0; i < parameters.Count; i++)
                ScaleToNorm(parameters[i].Gradient.Span, norm, globalClipNorm);
        }
        else if (_clipValue is double clipValue)
        {
            float c = (float)clipValue;
            for (int i = 0; i < parameters.Count; i++)
            {
                Span<float> g = parameters[i].Gradient.Span;
                System.Numerics.Tensors.TensorPrimitives.Max(g, -c, g);
                System.Numerics.Tensors.TensorPrimitives.Min(g, c, g);
            }
        }
    }

    // g · c / max(norm, c): nothing to do while norm ≤ c; a non-finite norm makes the gradient NaN, as in Keras.
    private static void ScaleToNorm(Span<float> g, double norm, double c)
    {
        if (norm > c || !double.IsFinite(norm))
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, double.IsFinite(norm) ? (float)(c / norm) : float.NaN, g);
    }

    private static double Norm(ReadOnlySpan<float> g) => Math.Sqrt(SumOfSquares(g));

    // In double: a float sum of 10⁵ squares would lose digits the clip threshold can see.
    private static double SumOfSquares(ReadOnlySpan<float> g)
    {
        double sum = 0;
        foreach (float x in g)
            sum += (double)x * x;
        return sum;
    }

    private double? CheckClip(double? value, string property, string kerasName)
    {
        if (value is double v && (!(v > 0) || double.IsInfinity(v)))
            throw new ArgumentOutOfRangeException(property, $"{kerasName} must be a positive number (got {v}).");
        if (value is not null)
        {
            int others = (_clipNorm is null || property == nameof(ClipNorm) ? 0 : 1) + (_clipValue is null || property == nameof(ClipValue) ? 0 : 1)
                + (_globalClipNorm is null || property == nameof(GlobalClipNorm) ? 0 : 1);
            if (others > 0)
                throw new ArgumentException($"Only one of clipnorm, clipvalue and global_clipnorm can be set (as in Keras); {kerasName} was given while {Describe()} is set.", property);
        }
        return value;
    }

    private string Describe() => _clipNorm is not null ? "clipnorm" : _clipValue is not null ? "clipvalue" : "global_clipnorm";

    /// <summary>The clipping settings that are set, under their Keras names, for <see cref="GetConfig"/>.</summary>
    protected void AddClipConfig(IDictionary<string, object> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_clipNorm is double cn)
            config["clipnorm"] = cn;
        if (_clipValue is double cv)
            config["clipvalue"] = cv;
        if (_globalClipNorm is double gn)
            config["global_clipnorm"] = gn;
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
