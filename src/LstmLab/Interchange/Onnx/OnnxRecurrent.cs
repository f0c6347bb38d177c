using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Onnx;

/// <summary>
/// LSTM, GRU and SimpleRNN (alone or in a Bidirectional) as ONNX's <c>LSTM</c>, <c>GRU</c> and <c>RNN</c> operators
/// (layout 0: time-major). Weights: W = kernelᵀ (dirs, G·u, F), R = recurrent_kernelᵀ (dirs, G·u, u), B = [Wb, Rb]
/// (dirs, 2·G·u), with the gate blocks in ONNX's order: LSTM i, o, f, c from Keras's i, f, c, o; GRU z, r, h as
/// Keras (Keras 3's reset_after = true is <c>linear_before_reset = 1</c> with Wb, Rb the two bias rows; reset_after
/// = false is 0 with Rb = 0); RNN's one block. go_backwards is <c>direction = "reverse"</c>, whose Y is aligned with
/// the input, so a layer's own returned sequence is flipped back into processing order (Keras's go_backwards
/// output), while a Bidirectional's backward sequence is used as it is (Keras flips it back).
/// A layer that receives a mask is unrolled: one single-step node per time step, and <c>Where(mask_t, new, old)</c>
/// for each state (Keras skips any masked step; ONNX's <c>sequence_lens</c> only cuts trailing padding).
/// </summary>
internal static class OnnxRecurrent
{
    /// <summary>The op, weights and attributes of one node for the given directions (1, or 2 for a Bidirectional's pair).</summary>
    private sealed record Node(string Op, string W, string R, string B, (string Name, object Value)[] Attributes, int StateCount);

    private static int Gates(Recurrent layer) => layer switch
    {
        Lstm => 4,
        Gru => 3,
        _ => 1,
    };

    /// <summary>ONNX gate block g takes Keras gate block From[g].</summary>
    private static int[] From(Recurrent layer) => layer switch
    {
        Lstm => [0, 3, 1, 2],
        Gru => [0, 1, 2],
        _ => [0],
    };

    private static (Parameter Kernel, Parameter Recurrent, Parameter Bias) Weights(Recurrent layer) =>
        (layer.Parameters[0], layer.Parameters[1], layer.Parameters[2]);

    private static Node Build(OnnxGraph g, string stem, IReadOnlyList<Recurrent> directions, string direction)
    {
        Recurrent first = directions[0];
        int u = first.Units, gates = Gates(first), f = first.Parameters[0].Shape[0], d = directions.Count;
        var w = new float[d * gates * u * f];
        var r = new float[d * gates * u * u];
        var b = new float[d * 2 * gates * u];
        for (int k = 0; k < d; k++)
        {
            (Parameter kernel, Parameter recurrent, Parameter bias) = Weights(directions[k]);
            GateRows(kernel.Value.Span, f, u, From(first)).CopyTo(w, k * gates * u * f);
            GateRows(recurrent.Value.Span, u, u, From(first)).CopyTo(r, k * gates * u * u);
            ReadOnlySpan<float> keras = bias.Value.Span;
            int width = gates * u;
            if (directions[k] is Gru { ResetAfter: true })
            {
                keras.CopyTo(b.AsSpan(k * 2 * width, 2 * width));   // row 0 input bias = Wb, row 1 recurrent bias = Rb
            }
            else
            {
                GateRows(keras, 1, u, From(first)).CopyTo(b, k * 2 * width);   // Rb stays 0: one bias in Keras
            }
        }
        var attributes = new List<(string, object)> { ("hidden_size", (long)u), ("direction", direction) };
        if (first is Lstm)
            attributes.Add(("layout", 0L));
        if (first is Gru gru)
            attributes.Add(("linear_before_reset", gru.ResetAfter ? 1L : 0L));
        // activation_alpha / activation_beta are "consumed in the order of activation functions" (ONNX): only the
        // functions that take them (HardSigmoid, Affine) take the next value, so the others get no entry.
        var names = new List<string>();
        var alpha = new List<float>();
        var beta = new List<float>();
        for (int k = 0; k < d; k++)
        {
            foreach ((string name, float a, float be) in Activations(first))
            {
                names.Add(name);
                if (name is "HardSigmoid" or "Affine")
                {
                    alpha.Add(a);
                    beta.Add(be);
                }
            }
        }
        attributes.Add(("activations", names.ToArray()));
        if (alpha.Count > 0)
        {
            attributes.Add(("activation_alpha", alpha.ToArray()));
            attributes.Add(("activation_beta", beta.ToArray()));
        }
        string op = first switch
        {
            Lstm => "LSTM",
            Gru => "GRU",
            _ => "RNN",
        };
        return new Node(op, g.Initializer($"{stem}_W", w, d, gates * u, f), g.Initializer($"{stem}_R", r, d, gates * u, u),
            g.Initializer($"{stem}_B", b, d, 2 * gates * u), [.. attributes], first.StateCount);
    }

    /// <summary>The node's activation list for one direction, with alpha and beta where the function takes them.</summary>
    private static IEnumerable<(string Name, float Alpha, float Beta)> Activations(Recurrent layer)
    {
        (string, float, float) Gate(RecurrentActivation a) => a == RecurrentActivation.Sigmoid ? ("Sigmoid", 0f, 0f) : ("HardSigmoid", Numerics.Activations.HardSlope(a), 0.5f);
        (string, float, float) Of(Activation a) => a switch
        {
            Activation.Tanh => ("Tanh", 0f, 0f),
            Activation.Sigmoid => ("Sigmoid", 0f, 0f),
            Activation.Relu => ("Relu", 0f, 0f),
            Activation.Linear => ("Affine", 1f, 0f),
            _ => throw new ArgumentException($"Layer '{layer.Name}' has activation {a}, which has no ONNX export.", nameof(layer)),
        };
        return layer switch
        {
            Lstm lstm => [Gate(lstm.RecurrentActivation), ("Tanh", 0f, 0f), ("Tanh", 0f, 0f)],
            Gru gru => [Gate(gru.RecurrentActivation), Of(gru.Activation)],
            SimpleRnn rnn => [Of(rnn.Activation)],
            _ => throw new ArgumentException($"Layer '{layer.Name}' ({layer.TypeName}) has no ONNX export.", nameof(layer)),
        };
    }

    /// <summary>Keras's (rows, G·u) gate-column matrix to ONNX's (G·u, rows) gate-row matrix: the transpose, gate blocks reordered.</summary>
    private static float[] GateRows(ReadOnlySpan<float> keras, int rows, int u, int[] from)
    {
        int gates = from.Length;
        var onnx = new float[gates * u * rows];
        for (int gate = 0; gate < gates; gate++)
        {
            for (int j = 0; j < u; j++)
            {
                int column = from[gate] * u + j, row = gate * u + j;
                for (int k = 0; k < rows; k++)
                    onnx[row * rows + k] = keras[k * gates * u + column];
            }
        }
        return onnx;
    }

    /// <summary>What one direction produced: the sequence (T, B, u) aligned with the input's steps, and the final states (1, B, u).</summary>
    internal sealed record Result(string Sequence, string[] Final);

    /// <summary>
    /// Runs the layers of <paramref name="directions"/> (one, or a Bidirectional's forward and backward) on the time-major
    /// input; <paramref name="initial"/> holds each direction's initial states (1, B, u) or is null for zeros.
    /// Returns each direction's result, the sequence aligned with the input's steps.
    /// </summary>
    internal static Result[] Run(OnnxGraph g, string stem, IReadOnlyList<Recurrent> directions, string x, string? mask, int steps, string[][]? initial)
    {
        if (mask is null)
        {
            string direction = directions.Count == 2 ? "bidirectional" : directions[0].GoBackwards ? "reverse" : "forward";
            Node node = Build(g, stem, directions, direction);
            string[] init = new string[node.StateCount];
            for (int s = 0; s < node.StateCount; s++)
                init[s] = initial is null ? "" : directions.Count == 1 ? initial[0][s] : g.Op("Concat", [initial[0][s], initial[1][s]], ("axis", 0L));
            string y = g.Name($"{stem}_Y");
            string[] finals = [.. Enumerable.Range(0, node.StateCount).Select(s => g.Name($"{stem}_Y_{(s == 0 ? "h" : "c")}"))];
            g.Node(node.Op, [x, node.W, node.R, node.B, "", .. init], [y, .. finals], node.Attributes);
            var results = new Result[directions.Count];
            for (int k = 0; k < directions.Count; k++)
            {
                string sequence = g.Op("Squeeze", [Pick(g, y, k, 1, directions.Count), OnnxExporter.Axes(g, 1)]);   // (T, D, B, u) → (T, B, u)
                results[k] = new Result(sequence, [.. finals.Select(f => Pick(g, f, k, 0, directions.Count))]);
            }
            return results;
        }
        if (steps == 0)
            throw new ArgumentException($"Layer '{stem}' receives a mask, and a masked recurrent layer is exported unrolled step by step (ONNX's sequence_lens only skips trailing padding, Keras masking skips any step); that needs a fixed number of timesteps, but the model takes any length. Build the model with SampleShape.Sequence(timesteps, features).");
        return [.. directions.Select((layer, k) => Unrolled(g, directions.Count == 2 ? $"{stem}_{layer.Name}" : stem, layer, x, mask, steps, initial?[k]))];
    }

    /// <summary>Slice <paramref name="k"/> of <paramref name="axis"/> of a tensor with <paramref name="count"/> entries there (itself when count is 1).</summary>
    private static string Pick(OnnxGraph g, string tensor, int k, int axis, int count) =>
        count == 1 ? tensor : g.Op("Slice", [tensor, g.Initializer("start", [(long)k]), g.Initializer("end", [(long)k + 1]), OnnxExporter.Axes(g, axis)]);

    private static Result Unrolled(OnnxGraph g, string stem, Recurrent layer, string x, string mask, int steps, string[]? initial)
    {
        Node node = Build(g, stem, [layer], "forward");
        int u = layer.Units;
        string[] state = initial ?? [.. Enumerable.Repeat(Zeros(g, x, u), node.StateCount)];
        var outputs = new string[steps];
        for (int t = 0; t < steps; t++)
        {
            int source = layer.GoBackwards ? steps - 1 - t : t;   // the input step processing step t reads
            string start = g.Initializer("t", [(long)source]), end = g.Initializer("t1", [(long)source + 1]), axis0 = OnnxExporter.Axes(g, 0);
            string xt = g.Op("Slice", [x, start, end, axis0]);                                            // (1, B, F)
            string keep = g.Op("Cast", [g.Op("Unsqueeze", [g.Op("Slice", [mask, start, end, axis0]), OnnxExporter.Axes(g, 2)])], ("to", (long)OnnxGraph.Bool)); // (1, B, 1)
            string[] next = [.. Enumerable.Range(0, node.StateCount).Select(s => g.Name($"{stem}_{(s == 0 ? "h" : "c")}"))];
            g.Node(node.Op, [xt, node.W, node.R, node.B, "", .. state], [g.Name($"{stem}_Y"), .. next], node.Attributes);
            // A masked step keeps every state (Keras's masking semantics).
            state = [.. next.Select((n, s) => g.Op("Where", [keep, n, state[s]]))];
            outputs[source] = state[0];
        }
        string sequence = steps == 1 ? outputs[0] : g.Op("Concat", outputs, ("axis", 0L));
        return new Result(sequence, state);
    }

    /// <summary>Zeros of shape (1, B, u), B taken from the time-major input at run time.</summary>
    private static string Zeros(OnnxGraph g, string x, int u)
    {
        string shape = g.Op("Concat", [g.Initializer("one", [1L]), g.Op("Slice", [g.Op("Shape", [x]), g.Initializer("start", [1L]), g.Initializer("end", [2L])]), g.Initializer("units", [(long)u])], ("axis", 0L));
        return g.Op("ConstantOfShape", [shape], ("value", new OnnxGraph.ScalarTensor(0f)));
    }

    /// <summary>Flips a time-major sequence (T, B, u) in time (any T).</summary>
    internal static string Flip(OnnxGraph g, string sequence) =>
        g.Op("Slice", [sequence, g.Initializer("start", [-1L]), g.Initializer("end", [long.MinValue]), OnnxExporter.Axes(g, 0), g.Initializer("step", [-1L])]);
}
