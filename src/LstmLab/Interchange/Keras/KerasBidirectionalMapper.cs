using System.Text.Json;
using LstmLab.Layers;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// Keras's <c>Bidirectional</c> wrapper (<c>keras/src/layers/rnn/bidirectional.py</c>; tf.keras 2 and Keras 2.2.4
/// <c>wrappers.py</c>). Config: <c>merge_mode</c> (concat, sum, mul, ave; null, a list of two outputs, is refused),
/// <c>layer</c> (the wrapped RNN's serialized config) and, in Keras 3, <c>backward_layer</c>, which LstmLab accepts
/// only when it is the wrapped layer with go_backwards flipped (LstmLab's Bidirectional derives it). Keras 3 and
/// tf.keras force <c>zero_output_for_mask = return_sequences</c> on both layers; multi-backend Keras repeats the
/// previous output at a masked step, so <see cref="Bidirectional.ZeroOutputForMask"/> follows the file's Keras.
/// Weights: Keras 3 <c>forward_layer/cell/vars/0..2</c> then <c>backward_layer/cell/vars/0..2</c>; Keras 2 the
/// forward layer's then the backward layer's, named <c>&lt;wrapper&gt;/forward_lstm/lstm_cell/kernel:0</c> (tf.keras).
/// </summary>
internal sealed class BidirectionalMapper : IKerasLayerMapper
{
    public string ClassName => "Bidirectional";

    public bool Writes(Layer layer) => layer is Bidirectional;

    public Keras3Layout Keras3Layout(Layer layer)
    {
        Keras3Layout forward = Keras.Keras3Layout.Below("forward_layer/", 3, cell: true), backward = Keras.Keras3Layout.Below("backward_layer/", 3, cell: true);
        return new(["vars", .. forward.Groups, .. backward.Groups], [.. forward.Weights, .. backward.Weights]);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer)
    {
        var bi = (Bidirectional)layer;
        RecurrentMapper inner = Inner(bi.ForwardLayer);
        return [.. inner.Keras2WeightNames($"{bi.Name}/{bi.ForwardLayer.Name}"), .. inner.Keras2WeightNames($"{bi.Name}/{bi.BackwardLayer.Name}")];
    }

    private static RecurrentMapper Inner(Recurrent layer) => (RecurrentMapper)KerasLayerMappers.ForLayer(layer);

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        MergeMode merge = MergeMode.Concat;
        if (e.Config.TryGetProperty("merge_mode", out JsonElement mode))
        {
            merge = mode.ValueKind == JsonValueKind.String ? mode.GetString() switch
            {
                "concat" => MergeMode.Concat,
                "sum" => MergeMode.Sum,
                "mul" => MergeMode.Mul,
                "ave" => MergeMode.Ave,
                _ => throw e.Unsupported("merge_mode", mode.GetRawText(), "LstmLab's Bidirectional merges by concat, sum, mul or ave."),
            } : throw e.Unsupported("merge_mode", mode.GetRawText(), "LstmLab's Bidirectional merges its two outputs into one (concat, sum, mul or ave), never a list of two.");
        }
        e.RequireNull("num_constants", "LstmLab's recurrent layers take no constants.");
        KerasLayerEntry inner = e.Nested("layer");
        if (KerasLayerMappers.ForClass(inner.ClassName) is not RecurrentMapper mapper)
            throw e.Unsupported("layer", $"a {inner.ClassName}", "LstmLab's Bidirectional wraps LSTM, GRU or SimpleRNN.");
        var forward = (Recurrent)mapper.Read(inner);
        if (e.TryGet("backward_layer", out _))
        {
            KerasLayerEntry backEntry = e.Nested("backward_layer");
            if (backEntry.ClassName != inner.ClassName)
                throw e.Unsupported("backward_layer", $"a {backEntry.ClassName}", $"LstmLab's Bidirectional runs a copy of its {inner.ClassName} backwards.");
            var backward = (Recurrent)mapper.Read(backEntry);
            IReadOnlyDictionary<string, object> want = forward.CopyConfiguration(!forward.GoBackwards).GetConfig(), got = backward.GetConfig();
            foreach ((string key, object value) in want)
            {
                if (!got.TryGetValue(key, out object? other) || !Equals(value, other))
                    throw e.Unsupported($"backward_layer.{key}", Describe(other), $"LstmLab's Bidirectional runs a copy of the wrapped layer backwards, which has {key} = {Describe(value)}.");
            }
        }
        return new Bidirectional(forward, merge, zeroOutputForMask: !e.MultiBackend);
    }

    private static string Describe(object? value) => value switch
    {
        null => "(missing)",
        bool b => b ? "true" : "false",
        double d => KerasConfig.Format(d),
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream)
    {
        var bi = (Bidirectional)layer;
        if (maskUpstream && bi.ReturnSequences && !bi.ZeroOutputForMask)
            throw new ArgumentException($"Layer '{bi.Name}' (Bidirectional) repeats each direction's previous output at a masked step, but Keras 3 and tf.keras output zeros there (they force zero_output_for_mask = return_sequences); build it with zeroOutputForMask: true to save it as a Keras file.", nameof(layer));
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteString("merge_mode", bi.MergeMode.ToString().ToLowerInvariant());
        RecurrentMapper inner = Inner(bi.ForwardLayer);
        bool k3 = dialect == KerasDialect.Keras3;
        // Keras 3 serializes the forward layer (named forward_…) and the backward one; tf.keras 2 and Keras 2.2.4 the
        // wrapped layer under its own name, deriving the backward one (2.2.4 takes no backward_layer argument).
        WriteLayer(w, "layer", inner, bi.ForwardLayer, dialect, k3 ? bi.ForwardLayer.Name : Unprefixed(bi.ForwardLayer.Name), bi.ReturnSequences);
        if (k3)
            WriteLayer(w, "backward_layer", inner, bi.BackwardLayer, dialect, bi.BackwardLayer.Name, bi.ReturnSequences);
    }

    private static string Unprefixed(string name) => name.StartsWith("forward_", StringComparison.Ordinal) ? name["forward_".Length..] : name;

    private static void WriteLayer(Utf8JsonWriter w, string key, RecurrentMapper mapper, Recurrent layer, KerasDialect dialect, string name, bool zeroOutputForMask)
    {
        bool k3 = dialect == KerasDialect.Keras3;
        w.WriteStartObject(key);
        if (k3)
            w.WriteString("module", "keras.layers");
        w.WriteString("class_name", mapper.ClassName);
        w.WriteStartObject("config");
        mapper.WriteConfig(w, layer, dialect, name, zeroOutputForMask);
        w.WriteEndObject();
        if (k3)
            w.WriteNull("registered_name");
        w.WriteEndObject();
    }
}
