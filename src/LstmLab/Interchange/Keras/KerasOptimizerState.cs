using LstmLab.Layers;
using LstmLab.Training;
using PureHDF;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// The optimizer's variables in Keras files, so that a model can resume training where Keras (or LstmLab) left off.
/// Two layouts:
/// <list type="bullet">
/// <item>Keras 3 (<c>optimizer/vars/N</c>, and Keras 3's legacy .h5): iterations (int64 scalar), the learning rate
/// (a scalar, in some Keras 3 versions only), then the slots in the order <c>build</c> creates them
/// (<c>keras/src/optimizers/*.py</c>): Adam's m and v per weight side by side (m₀, v₀, m₁, v₁, …, one
/// <c>add_optimizer_variables(vars, ["momentum", "velocity"])</c>); every other optimizer's slots kind by kind
/// (RMSprop: all velocities, then all momentums when momentum &gt; 0, then all average gradients when centered;
/// SGD with momentum: the momentums; Adagrad: the accumulators). LstmLab writes this order in .keras,
/// .weights.h5 and .h5 files.</item>
/// <item>Keras 2 (<c>optimizer_weights</c>: Keras 2.2.4 and tf.keras 2's optimizer_v2): iterations, then the slots
/// kind by kind (Adam: m₀…m_k, v₀…v_k, then AMSGrad's v̂, unused without AMSGrad).</item>
/// </list>
/// Anything else is not read, and the model resumes with fresh slots (said in the notes).
/// </summary>
internal static class KerasOptimizerState
{
    /// <summary>Keras 3's slot names, in LstmLab's slot order (<see cref="Optimizer.ExportSlots"/>).</summary>
    private static string[] SlotNames(Optimizer optimizer) => optimizer switch
    {
        Adam => ["momentum", "velocity"],
        RMSprop r => ["velocity", .. r.Momentum > 0 ? (string[])["momentum"] : [], .. r.Centered ? (string[])["average_gradient"] : []],
        Adagrad => ["accumulator"],
        _ => ["momentum"],
    };

    /// <summary>The slots Keras keeps per weight: SGD without momentum keeps none (LstmLab keeps its zero velocity).</summary>
    private static int KerasSlots(Optimizer optimizer) => optimizer is Sgd { Momentum: 0 } ? 0 : optimizer.StateSlotCount;

    /// <summary>
    /// The file position (after the scalars) of slot <paramref name="slot"/> of weight <paramref name="weight"/>, of
    /// <paramref name="slots"/> per weight and <paramref name="weights"/> weights: side by side (Keras 3's Adam) or kind by kind.
    /// </summary>
    private static int Position(int weight, int slot, int slots, int weights, bool sideBySide) =>
        sideBySide ? weight * slots + slot : slot * weights + weight;

    /// <summary>Imports the step count and slots from the variables in file order; returns whether they were read.</summary>
    /// <param name="keras3">Whether the file is Keras 3's (.keras, .weights.h5); a legacy .h5 whose first two variables are scalars is read as Keras 3's too (Keras 3 and LstmLab write it so).</param>
    public static bool TryImport(Sequential model, IReadOnlyList<IH5Dataset> vars, string file, List<string> notes, bool keras3)
    {
        if (model.Optimizer is not Optimizer optimizer || vars.Count == 0)
            return false;
        IReadOnlyList<Parameter> parameters = model.Parameters;
        int k = parameters.Count, s = KerasSlots(optimizer);
        static bool IsScalar(IH5Dataset d) => d.Space.Dimensions.Length == 0;
        static bool Fits(IH5Dataset d, Parameter p) => H5.Dims(d).AsSpan().SequenceEqual(p.Shape.ToArray());
        int scalars = vars.Count > 1 && IsScalar(vars[1]) ? 2 : 1;
        bool keras3Order = keras3 || scalars == 2;
        bool sideBySide = keras3Order && optimizer is Adam;
        bool fits = IsScalar(vars[0]) && (vars.Count == scalars + s * k || (!keras3Order && optimizer is Adam && vars.Count == 1 + 3 * k));
        if (!fits)
        {
            notes.Add($"optimizer state not read: {vars.Count} optimizer variables do not match {optimizer.Name}'s layout for {k} weights; training resumes with fresh slots.");
            return false;
        }
        var slots = new List<float[][]?>();
        for (int p = 0; p < k; p++)
        {
            var buffers = new float[optimizer.StateSlotCount][];
            for (int j = 0; j < buffers.Length; j++)
            {
                if (s == 0)
                {
                    buffers[j] = new float[parameters[p].Value.Size];
                    continue;
                }
                int at = scalars + Position(p, j, s, k, sideBySide);
                IH5Dataset d = vars[at];
                if (!Fits(d, parameters[p]))
                {
                    notes.Add($"optimizer state not read: a slot of weight {p} has shape ({string.Join(", ", H5.Dims(d))}), not {parameters[p].Shape}; training resumes with fresh slots.");
                    return false;
                }
                buffers[j] = H5.Floats(d, $"optimizer variable {at}", parameters[p].Shape, file, "optimizer slot");
            }
            slots.Add(buffers);
        }
        long iterations = ReadIterations(vars[0], file);
        optimizer.ImportState(iterations, parameters, slots);
        notes.Add($"optimizer state read: step {iterations}, {k * s} slots.");
        return true;
    }

    private static long ReadIterations(IH5Dataset d, string file)
    {
        try
        {
            long value = d.Type.Class == H5DataTypeClass.FloatingPoint ? (long)d.Read<float[]>()[0] : d.Read<long[]>()[0];
            return value >= 0 ? value : throw new InvalidDataException($"{file}: the optimizer's step count is {value}.");
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException))
        {
            throw new InvalidDataException($"{file}: cannot read the optimizer's step count ({e.Message.TrimEnd('.')}).", e);
        }
    }

    /// <summary>
    /// The optimizer's variables in Keras 3's order (iterations, learning rate, then the slots), each with its Keras 3 name
    /// (<c>adam/iteration</c>, <c>adam/lstm_kernel_momentum</c>), or null before any step.
    /// </summary>
    public static List<(string Name, object Data)>? ExportKeras3(Sequential model)
    {
        if (model.Optimizer is not Optimizer optimizer || optimizer.Iterations == 0)
            return null;
        string prefix = optimizer.Name;
        var vars = new List<(string, object)> { ($"{prefix}/iteration", optimizer.Iterations), ($"{prefix}/learning_rate", (float)optimizer.LearningRate) };
        int s = KerasSlots(optimizer);
        string[] kinds = SlotNames(optimizer);
        var weights = new List<(string Name, Parameter Parameter)>();
        foreach (Layer layer in model.Layers)
        {
            IReadOnlyList<string> names = ModelFile.WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
                weights.Add(($"{layer.Name}_{names[i].Replace('/', '_')}", layer.Parameters[i]));
        }
        var ordered = new (string, object)[s * weights.Count];
        for (int p = 0; p < weights.Count; p++)
        {
            Parameter parameter = weights[p].Parameter;
            float[][] slots = optimizer.ExportSlots(parameter) ?? [.. Enumerable.Range(0, optimizer.StateSlotCount).Select(_ => new float[parameter.Value.Size])];
            for (int j = 0; j < s; j++)
                ordered[Position(p, j, s, weights.Count, optimizer is Adam)] = ($"{prefix}/{weights[p].Name}_{kinds[j]}", new H5Dataset(slots[j], fileDims: [.. parameter.Shape.ToArray().Select(d => (ulong)d)]));
        }
        vars.AddRange(ordered);
        return vars;
    }
}
