using LstmLab.Layers;
using LstmLab.Training;
using PureHDF;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// The optimizer's variables in Keras files, so that a model can resume training where Keras (or LstmLab) left off.
/// Two layouts, told apart by count and shapes:
/// <list type="bullet">
/// <item>Keras 3 (<c>optimizer/vars/N</c>, and Keras 3's legacy .h5): iterations (int64 scalar), learning rate
/// (scalar), then per weight its slots side by side (Adam: m₀, v₀, m₁, v₁, …; SGD with momentum: one each).
/// LstmLab writes this order in .keras, .weights.h5 and .h5 files.</item>
/// <item>Keras 2.2.4 (<c>optimizer_weights</c>, as in the committed Keras file): iterations, then all first slots,
/// then all second slots (Adam: m₀…m_k, v₀…v_k, then AMSGrad's v̂, unused without AMSGrad).</item>
/// </list>
/// Anything else is not read, and the model resumes with fresh moments (said in the notes).
/// </summary>
internal static class KerasOptimizerState
{
    /// <summary>Imports the step count and slots from the variables in file order; returns whether they were read.</summary>
    public static bool TryImport(Sequential model, IReadOnlyList<IH5Dataset> vars, string file, List<string> notes)
    {
        if (model.Optimizer is not Optimizer optimizer || vars.Count == 0)
            return false;
        IReadOnlyList<Parameter> parameters = model.Parameters;
        int k = parameters.Count, s = optimizer.StateSlotCount;
        if (optimizer is Sgd sgd && sgd.Momentum == 0)
            s = 0;
        static bool IsScalar(IH5Dataset d) => d.Space.Dimensions.Length == 0;
        static bool Fits(IH5Dataset d, Parameter p) => H5.Dims(d).AsSpan().SequenceEqual(p.Shape.ToArray());
        int[] order;
        if (vars.Count == 2 + s * k && IsScalar(vars[0]) && IsScalar(vars[1]))
            order = Enumerable.Range(0, s * k).Select(i => 2 + i).ToArray();                 // Keras 3: interleaved
        else if ((vars.Count == 1 + s * k || (optimizer is Adam && vars.Count == 1 + 3 * k)) && IsScalar(vars[0]))
            order = Enumerable.Range(0, s * k).Select(i => 1 + (i % s) * k + i / s).ToArray(); // Keras 2: blocked
        else
        {
            notes.Add($"optimizer state not read: {vars.Count} optimizer variables do not match {optimizer.Name}'s layout for {k} weights; training resumes with fresh moments.");
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
                IH5Dataset d = vars[order[p * s + j]];
                if (!Fits(d, parameters[p]))
                {
                    notes.Add($"optimizer state not read: a slot of weight {p} has shape ({string.Join(", ", H5.Dims(d))}), not {parameters[p].Shape}; training resumes with fresh moments.");
                    return false;
                }
                buffers[j] = H5.Floats(d, $"optimizer variable {order[p * s + j]}", parameters[p].Shape, file, "optimizer slot");
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

    /// <summary>The optimizer's variables in Keras 3's order (iterations, learning rate, slots side by side), or null before any step.</summary>
    public static List<object>? ExportKeras3(Sequential model)
    {
        if (model.Optimizer is not Optimizer optimizer || optimizer.Iterations == 0)
            return null;
        var vars = new List<object> { optimizer.Iterations, (float)optimizer.LearningRate };
        bool noSlots = optimizer is Sgd { Momentum: 0 };
        foreach (Parameter p in model.Parameters)
        {
            if (noSlots)
                continue;
            float[][] slots = optimizer.ExportSlots(p) ?? Enumerable.Range(0, optimizer.StateSlotCount).Select(_ => new float[p.Value.Size]).ToArray();
            foreach (float[] slot in slots)
                vars.Add(new H5Dataset(slot, fileDims: p.Shape.ToArray().Select(d => (ulong)d).ToArray()));
        }
        return vars;
    }

    /// <summary>
    /// The optimizer's variables for a legacy .h5's <c>optimizer_weights</c>, named as Keras 3 names them, in Keras 3's
    /// order (what Keras 3's <c>optimizer.set_weights</c> takes). Keras 2 optimizers count their variables differently
    /// (2.2.4: iterations, all m, all v, all v̂), so they refuse the list and start afresh with a warning, never
    /// taking a slot for another.
    /// </summary>
    public static List<(string Name, object Data)>? ExportLegacyH5(Sequential model)
    {
        if (ExportKeras3(model) is not { } vars)
            return null;
        string prefix = model.Optimizer!.Name;
        var names = new List<string> { $"{prefix}/iteration", $"{prefix}/learning_rate" };
        string[] kinds = model.Optimizer is Adam ? ["momentum", "velocity"] : ["momentum"];
        if (vars.Count > 2)
        {
            foreach (Layer layer in model.Layers)
            {
                foreach (Parameter p in layer.Parameters)
                    names.AddRange(kinds.Select(k => $"{prefix}/{layer.Name}_{p.Name}_{k}"));
            }
        }
        return names.Zip(vars, (n, v) => (n, v is float f ? (object)new H5Dataset(f, fileDims: []) : v)).ToList();
    }
}
