using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Onnx;

/// <summary>
/// Exports a <see cref="Sequential"/> of LSTM, Dense and Masking layers to ONNX (opset 14) for ONNX Runtime and other
/// ONNX engines.
/// <para>Graph input <c>x</c> is (batch, timesteps, features) as in LstmLab (or (batch, features) without a time
/// axis); output <c>y</c> is what <see cref="Sequential.Predict"/> returns. Batch and time are symbolic unless the
/// model fixes them.</para>
/// <para>LSTM → the ONNX <c>LSTM</c> operator (layout 0: time-major, so <c>x</c> is transposed once): gates reordered
/// from Keras's i, f, c, o to ONNX's i, o, f, c; W = kernelᵀ (4u, F), R = recurrent_kernelᵀ (4u, u), B = [bias, 0]
/// (8u); recurrent activation Sigmoid, or HardSigmoid with alpha 0.2 (Keras 2) or 1/6 (Keras 3) and beta 0.5.</para>
/// <para>Stateful LSTMs: the carried state is a graph input and output, so a caller carries it between calls:
/// inputs <c>&lt;layer&gt;_h_in</c>, <c>&lt;layer&gt;_c_in</c> (batch, units) and outputs <c>&lt;layer&gt;_h_out</c>,
/// <c>&lt;layer&gt;_c_out</c>; feed zeros first (= <see cref="Sequential.ResetStates()"/>), then each call's outputs.</para>
/// <para>Masking: Keras (and LstmLab) skip any masked step, keeping h and c, while ONNX's <c>sequence_lens</c> only
/// cuts trailing padding. So an LSTM that receives a mask is unrolled: one single-step <c>LSTM</c> node per time step,
/// and <c>Where(mask_t, new, previous)</c> for h and c: exact for any mask pattern, but it needs a fixed number of
/// timesteps (refused otherwise) and makes a graph of T nodes per layer.</para>
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset the graph uses (LSTM-14 has <c>layout</c>; Squeeze/Unsqueeze take axes as inputs).</summary>
    public const int Opset = 14;

    private static readonly string[] SigmoidTanhTanh = ["Sigmoid", "Tanh", "Tanh"], HardSigmoidTanhTanh = ["HardSigmoid", "Tanh", "Tanh"];
    private static readonly float[] HardSigmoidBeta = [0.5f, 0f, 0f];

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
                Lstm lstm => ExportLstm(g, lstm, value, model, batch),
                Dense dense => ExportDense(g, dense, value),
                Masking masking => ExportMasking(g, masking, value),
                _ => throw new ArgumentException($"Layer '{layer.Name}' ({layer.TypeName}) has no ONNX export yet; LstmLab exports LSTM, Dense and Masking.", nameof(model)),
            };
        }
        string y = value.IsSequence && value.TimeMajor ? g.Op("Transpose", [value.Tensor], ("perm", new long[] { 1, 0, 2 })) : value.Tensor;
        g.Node("Identity", [y], ["y"]);
        SampleShape output = model.OutputShape;
        if (output.IsSequence)
            g.Output("y", OnnxGraph.Float, batch, time, output.Features);
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

    private static string Axes(OnnxGraph g, params long[] axes) => g.Initializer("axes", axes);

    private static Flow ExportLstm(OnnxGraph g, Lstm lstm, Flow v, Sequential model, object batch)
    {
        v = ToTimeMajor(g, v);
        LstmCell cell = lstm.Cell;
        int u = lstm.Units, f = cell.InputDim;
        string w = g.Initializer($"{lstm.Name}_W", Reorder(cell.Kernel.Value.Span, f, u), 1, 4 * u, f);
        string r = g.Initializer($"{lstm.Name}_R", Reorder(cell.RecurrentKernel.Value.Span, u, u), 1, 4 * u, u);
        var bias = new float[8 * u];
        Reorder(cell.Bias.Value.Span, 1, u).CopyTo(bias, 0);   // Wb; Rb stays 0: Keras has one bias
        string bTensor = g.Initializer($"{lstm.Name}_B", bias, 1, 8 * u);
        var attributes = new List<(string, object)> { ("hidden_size", (long)u), ("layout", 0L) };
        switch (lstm.RecurrentActivation)
        {
            case RecurrentActivation.Sigmoid:
                attributes.Add(("activations", SigmoidTanhTanh));
                break;
            default:
                attributes.Add(("activations", HardSigmoidTanhTanh));
                attributes.Add(("activation_alpha", new[] { Activations.HardSlope(lstm.RecurrentActivation), 0f, 0f }));
                attributes.Add(("activation_beta", HardSigmoidBeta));
                break;
        }
        (string Name, object Value)[] attrs = [.. attributes];

        string? h = null, c = null;
        if (lstm.Stateful)
        {
            string hIn = $"{lstm.Name}_h_in", cIn = $"{lstm.Name}_c_in";
            g.Input(hIn, OnnxGraph.Float, batch, u);
            g.Input(cIn, OnnxGraph.Float, batch, u);
            h = g.Op("Unsqueeze", [hIn, Axes(g, 0)]);
            c = g.Op("Unsqueeze", [cIn, Axes(g, 0)]);
        }

        string yh, yc, sequence;
        if (v.Mask is null)
        {
            string y = g.Name($"{lstm.Name}_Y");
            yh = g.Name($"{lstm.Name}_Y_h");
            yc = g.Name($"{lstm.Name}_Y_c");
            g.Node("LSTM", [v.Tensor, w, r, bTensor, "", h ?? "", c ?? ""], [y, yh, yc], attrs);
            sequence = g.Op("Squeeze", [y, Axes(g, 1)]);                   // (T, 1, B, u) → (T, B, u)
        }
        else
        {
            int steps = model.InputShape.Timesteps;
            if (steps == 0)
                throw new ArgumentException($"Layer '{lstm.Name}' receives a mask, and a masked LSTM is exported unrolled step by step (ONNX's sequence_lens only skips trailing padding, Keras masking skips any step); that needs a fixed number of timesteps, but the model takes any length. Build the model with SampleShape.Sequence(timesteps, features).", nameof(model));
            if (h is null)
            {
                // Zeros of shape (1, B, u), B taken from the input at run time.
                string shape = g.Op("Concat", [g.Initializer("one", [1L]), g.Op("Slice", [g.Op("Shape", [v.Tensor]), g.Initializer("start", [1L]), g.Initializer("end", [2L])]), g.Initializer("units", [(long)u])], ("axis", 0L));
                h = c = g.Op("ConstantOfShape", [shape], ("value", new OnnxGraph.ScalarTensor(0f)));
            }
            var outputs = new string[steps];
            for (int t = 0; t < steps; t++)
            {
                string start = g.Initializer("t", [(long)t]), end = g.Initializer("t1", [(long)t + 1]), axis0 = Axes(g, 0);
                string xt = g.Op("Slice", [v.Tensor, start, end, axis0]);                       // (1, B, F)
                string keep = g.Op("Cast", [g.Op("Unsqueeze", [g.Op("Slice", [v.Mask, start, end, axis0]), Axes(g, 2)])], ("to", (long)OnnxGraph.Bool)); // (1, B, 1)
                string yt = g.Name($"{lstm.Name}_Y"), ht = g.Name($"{lstm.Name}_h"), ct = g.Name($"{lstm.Name}_c");
                g.Node("LSTM", [xt, w, r, bTensor, "", h!, c!], [yt, ht, ct], attrs);
                // A masked step keeps h and c (Keras's masking semantics).
                h = g.Op("Where", [keep, ht, h!]);
                c = g.Op("Where", [keep, ct, c!]);
                outputs[t] = h;
            }
            yh = h!;
            yc = c!;
            sequence = steps == 1 ? outputs[0] : g.Op("Concat", outputs, ("axis", 0L));
        }
        if (lstm.Stateful)
        {
            g.Node("Squeeze", [yh, Axes(g, 0)], [$"{lstm.Name}_h_out"]);
            g.Node("Squeeze", [yc, Axes(g, 0)], [$"{lstm.Name}_c_out"]);
            g.Output($"{lstm.Name}_h_out", OnnxGraph.Float, batch, u);
            g.Output($"{lstm.Name}_c_out", OnnxGraph.Float, batch, u);
        }
        return lstm.ReturnSequences
            ? v with { Tensor = sequence }
            : new Flow(g.Op("Squeeze", [yh, Axes(g, 0)]), TimeMajor: false, IsSequence: false, Mask: null);
    }

    /// <summary>
    /// Keras's (rows, 4u) gate-column matrix, gates i, f, c, o, to ONNX's (4u, rows) gate-row matrix, gates i, o, f, c:
    /// the transpose with the gate blocks reordered.
    /// </summary>
    private static float[] Reorder(ReadOnlySpan<float> keras, int rows, int u)
    {
        int[] from = [0, 3, 1, 2];   // ONNX gate g takes Keras gate from[g]
        var onnx = new float[4 * u * rows];
        for (int gate = 0; gate < 4; gate++)
        {
            for (int j = 0; j < u; j++)
            {
                int column = from[gate] * u + j, row = gate * u + j;
                for (int k = 0; k < rows; k++)
                    onnx[row * rows + k] = keras[k * 4 * u + column];
            }
        }
        return onnx;
    }
}
