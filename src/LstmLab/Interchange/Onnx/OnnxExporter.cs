using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Onnx;

/// <summary>
/// Exports a <see cref="Sequential"/> of LSTM, GRU, SimpleRNN, Bidirectional, Dense, Masking, Dropout and RepeatVector
/// layers to ONNX (opset 14) for ONNX Runtime and other ONNX engines.
/// <para>Graph input <c>x</c> is (batch, timesteps, features) as in LstmLab (or (batch, features) without a time
/// axis); output <c>y</c> is what <see cref="Sequential.Predict"/> returns. Batch and time are symbolic unless the
/// model fixes them.</para>
/// <para>Recurrent layers → ONNX's <c>LSTM</c>, <c>GRU</c> and <c>RNN</c> (<see cref="OnnxRecurrent"/>: gate order,
/// weights, go_backwards, masking); recurrent activation Sigmoid, or HardSigmoid with alpha 0.2 (Keras 2) or 1/6
/// (Keras 3) and beta 0.5. Bidirectional → one node with <c>direction = "bidirectional"</c> and the merge
/// (Concat, Add, Mul, (a + b)·0.5). Dropout is the identity at inference; RepeatVector an Unsqueeze and Expand.</para>
/// <para>Stateful layers: the carried state is a graph input and output, so a caller carries it between calls:
/// inputs <c>&lt;layer&gt;_h_in</c> (and an LSTM's <c>&lt;layer&gt;_c_in</c>), (batch, units), outputs <c>&lt;layer&gt;_h_out</c>
/// (<c>_c_out</c>); a stateful Bidirectional's are <c>&lt;layer&gt;_forward_lstm_h_in</c>, <c>&lt;layer&gt;_backward_lstm_h_in</c>, ….
/// Feed zeros first (= <see cref="Sequential.ResetStates()"/>), then each call's outputs.</para>
/// <para>Masking: Keras (and LstmLab) skip any masked step, keeping the states, while ONNX's <c>sequence_lens</c> only
/// cuts trailing padding. So a recurrent layer that receives a mask is unrolled: one single-step node per time step,
/// and <c>Where(mask_t, new, previous)</c> for each state: exact for any mask pattern, but it needs a fixed number of
/// timesteps (refused otherwise) and makes a graph of T nodes per layer.</para>
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset the graph uses (LSTM-14 has <c>layout</c>; Squeeze/Unsqueeze take axes as inputs).</summary>
    public const int Opset = 14;


    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> as an ONNX model (atomically).</summary>
    /// <exception cref="ArgumentException">A layer has no ONNX export (named), a weight is not finite, or a masked model has no fixed number of timesteps.</exception>
    public static void Save(Sequential model, string path)
    {
        byte[] bytes = Export(model);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model's bytes.</summary>
    public static byte[] Export(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Layers.Count == 0)
            throw new ArgumentException("The model has no layers to export.", nameof(model));
        ModelFile.CheckFinite(model, includeState: false);
        var g = new OnnxGraph();
        object batch = model.BatchSize is int b ? b : "batch";
        SampleShape input = model.InputShape;
        object time = input.Timesteps > 0 ? input.Timesteps : "timesteps";
        if (input.IsSequence)
            g.Input("x", OnnxGraph.Float, batch, time, input.Features);
        else
            g.Input("x", OnnxGraph.Float, batch, input.Features);
        var value = new Flow("x", TimeMajor: false, input.IsSequence, Mask: null);
        foreach (Layer layer in model.Layers)
        {
            value = layer switch
            {
                Recurrent recurrent => ExportRecurrent(g, recurrent, value, batch),
                Bidirectional bidirectional => ExportBidirectional(g, bidirectional, value, batch),
                Dense dense => ExportDense(g, dense, value),
                Masking masking => ExportMasking(g, masking, value),
                Dropout => value,   // inference: the identity
                RepeatVector repeat => ExportRepeatVector(g, repeat, value),
                _ => throw new ArgumentException($"Layer '{layer.Name}' ({layer.TypeName}) has no ONNX export; LstmLab exports LSTM, GRU, SimpleRNN, Bidirectional, Dense, Masking, Dropout and RepeatVector.", nameof(model)),
            };
        }
        string y = value.IsSequence && value.TimeMajor ? g.Op("Transpose", [value.Tensor], ("perm", new long[] { 1, 0, 2 })) : value.Tensor;
        g.Node("Identity", [y], ["y"]);
        SampleShape output = model.OutputShape;
        if (output.IsSequence)
            g.Output("y", OnnxGraph.Float, batch, output.Timesteps > 0 ? output.Timesteps : "timesteps", output.Features);
        else
            g.Output("y", OnnxGraph.Float, batch, output.Features);
        string version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";
        return g.ToModel(version, Opset);
    }

    /// <summary>The value between layers: its name, whether it is time-major (T, B, F), whether it has a time axis, and the mask (T, B) as 0/1 floats.</summary>
    private readonly record struct Flow(string Tensor, bool TimeMajor, bool IsSequence, string? Mask);

    private static Flow ToTimeMajor(OnnxGraph g, Flow v) =>
        v.IsSequence && !v.TimeMajor ? v with { Tensor = g.Op("Transpose", [v.Tensor], ("perm", new long[] { 1, 0, 2 })), TimeMajor = true } : v;

    private static Flow ExportMasking(OnnxGraph g, Masking masking, Flow v)
    {
        v = ToTimeMajor(g, v);
        // mask[t, b] = any_f(x[t, b, f] ≠ mask_value); y = x · mask
        string value = g.Initializer("mask_value", [(float)masking.MaskValue]);
        string equal = g.Op("Equal", [v.Tensor, value]);
        string differ = g.Op("Cast", [g.Op("Not", [equal])], ("to", (long)OnnxGraph.Float));
        string mask = g.Op("ReduceMax", [differ], ("axes", new long[] { 2 }), ("keepdims", 0L));
        string y = g.Op("Mul", [v.Tensor, g.Op("Unsqueeze", [mask, Axes(g, 2)])]);
        return v with { Tensor = y, Mask = mask };
    }

    private static Flow ExportDense(OnnxGraph g, Dense dense, Flow v)
    {
        Parameter kernel = dense.Kernel, bias = dense.Bias;
        string z = g.Op("Add", [
            g.Op("MatMul", [v.Tensor, g.Initializer($"{dense.Name}_kernel", kernel.Value.Span, kernel.Shape[0], kernel.Shape[1])]),
            g.Initializer($"{dense.Name}_bias", bias.Value.Span, bias.Shape[0])]);
        string y = dense.Activation switch
        {
            Activation.Linear => z,
            Activation.Sigmoid => g.Op("Sigmoid", [z]),
            Activation.Tanh => g.Op("Tanh", [z]),
            Activation.Relu => g.Op("Relu", [z]),
            Activation.Softmax => g.Op("Softmax", [z], ("axis", -1L)),
            _ => throw new ArgumentException($"Layer '{dense.Name}' has activation {dense.Activation}, which has no ONNX export.", nameof(dense)),
        };
        return v with { Tensor = y, Mask = v.IsSequence ? v.Mask : null };
    }

    internal static string Axes(OnnxGraph g, params long[] axes) => g.Initializer("axes", axes);

    /// <summary>A stateful layer's carried states as graph inputs <c>&lt;stem&gt;_h_in</c> (and <c>_c_in</c>), each (batch, units), unsqueezed to (1, B, u).</summary>
    private static string[] StateInputs(OnnxGraph g, string stem, Recurrent layer, object batch)
    {
        var states = new string[layer.StateCount];
        for (int s = 0; s < states.Length; s++)
        {
            string name = $"{stem}_{(s == 0 ? "h" : "c")}_in";
            g.Input(name, OnnxGraph.Float, batch, layer.Units);
            states[s] = g.Op("Unsqueeze", [name, Axes(g, 0)]);
        }
        return states;
    }

    /// <summary>The final states (1, B, u) as graph outputs <c>&lt;stem&gt;_h_out</c> (and <c>_c_out</c>), each (batch, units).</summary>
    private static void StateOutputs(OnnxGraph g, string stem, Recurrent layer, string[] final, object batch)
    {
        for (int s = 0; s < final.Length; s++)
        {
            string name = $"{stem}_{(s == 0 ? "h" : "c")}_out";
            g.Node("Squeeze", [final[s], Axes(g, 0)], [name]);
            g.Output(name, OnnxGraph.Float, batch, layer.Units);
        }
    }

    private static Flow ExportRecurrent(OnnxGraph g, Recurrent layer, Flow v, object batch)
    {
        v = ToTimeMajor(g, v);
        string[][]? initial = layer.Stateful ? [StateInputs(g, layer.Name, layer, batch)] : null;
        OnnxRecurrent.Result result = OnnxRecurrent.Run(g, layer.Name, [layer], v.Tensor, v.Mask, layer.InputShape.Timesteps, initial)[0];
        if (layer.Stateful)
            StateOutputs(g, layer.Name, layer, result.Final, batch);
        if (!layer.ReturnSequences)
            return new Flow(g.Op("Squeeze", [result.Final[0], Axes(g, 0)]), TimeMajor: false, IsSequence: false, Mask: null);
        // Keras's go_backwards returns the sequence in processing order: the input's last step first.
        return v with { Tensor = layer.GoBackwards ? OnnxRecurrent.Flip(g, result.Sequence) : result.Sequence };
    }

    private static Flow ExportBidirectional(OnnxGraph g, Bidirectional bi, Flow v, object batch)
    {
        Recurrent forward = bi.ForwardLayer, backward = bi.BackwardLayer;
        if (forward.GoBackwards)
            throw new ArgumentException($"Layer '{bi.Name}' (Bidirectional) wraps a layer with go_backwards = true, which has no ONNX export (its \"forward\" direction reads the sequence backwards).", nameof(bi));
        v = ToTimeMajor(g, v);
        string[][]? initial = forward.Stateful
            ? [StateInputs(g, $"{bi.Name}_{forward.Name}", forward, batch), StateInputs(g, $"{bi.Name}_{backward.Name}", backward, batch)]
            : null;
        OnnxRecurrent.Result[] r = OnnxRecurrent.Run(g, bi.Name, [forward, backward], v.Tensor, v.Mask, bi.InputShape.Timesteps, initial);
        if (forward.Stateful)
        {
            StateOutputs(g, $"{bi.Name}_{forward.Name}", forward, r[0].Final, batch);
            StateOutputs(g, $"{bi.Name}_{backward.Name}", backward, r[1].Final, batch);
        }
        string yf, yb;
        if (bi.ReturnSequences)
        {
            (yf, yb) = (r[0].Sequence, r[1].Sequence);
            if (v.Mask is not null && bi.ZeroOutputForMask)
            {
                // Keras 3: a masked step outputs zeros in both directions.
                string keep = g.Op("Unsqueeze", [v.Mask, Axes(g, 2)]);
                (yf, yb) = (g.Op("Mul", [yf, keep]), g.Op("Mul", [yb, keep]));
            }
        }
        else
        {
            (yf, yb) = (g.Op("Squeeze", [r[0].Final[0], Axes(g, 0)]), g.Op("Squeeze", [r[1].Final[0], Axes(g, 0)]));
        }
        string y = bi.MergeMode switch
        {
            MergeMode.Concat => g.Op("Concat", [yf, yb], ("axis", -1L)),
            MergeMode.Sum => g.Op("Add", [yf, yb]),
            MergeMode.Mul => g.Op("Mul", [yf, yb]),
            _ => g.Op("Mul", [g.Op("Add", [yf, yb]), g.Initializer("half", [0.5f])]),
        };
        return bi.ReturnSequences ? v with { Tensor = y } : new Flow(y, TimeMajor: false, IsSequence: false, Mask: null);
    }

    /// <summary>(B, F) → (B, n, F): Unsqueeze then Expand (broadcast) to n steps.</summary>
    private static Flow ExportRepeatVector(OnnxGraph g, RepeatVector repeat, Flow v) =>
        new(g.Op("Expand", [g.Op("Unsqueeze", [v.Tensor, Axes(g, 1)]), g.Initializer("repeat_shape", [1L, repeat.N, 1L])]), TimeMajor: false, IsSequence: true, Mask: null);
}
