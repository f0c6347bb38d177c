using System.Globalization;
using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Keras;

/// <summary>Which Keras wrote (or will read) a file: decides the meaning of <c>hard_sigmoid</c> and the config layout.</summary>
internal enum KerasDialect
{
    /// <summary>Keras 1/2 and tf.keras 2.x: <c>hard_sigmoid</c> = clip(0.2·x + 0.5, 0, 1); configs without "module" keys.</summary>
    Keras2,
    /// <summary>Keras 3: <c>hard_sigmoid</c> = clip(x/6 + 0.5, 0, 1); configs with "module" and "registered_name".</summary>
    Keras3,
}

/// <summary>One layer's entry in a Keras model config, with what a mapper needs to refuse it precisely.</summary>
internal sealed record KerasLayerEntry(string ClassName, string Name, JsonElement Config, string Path, KerasDialect Dialect, JsonFields Fields, bool MaskUpstream)
{
    /// <summary>Refuses the file: names the layer, the option and its value.</summary>
    public InvalidDataException Unsupported(string option, string value, string why) =>
        new($"{Fields.File}: layer '{Name}' ({ClassName}) has {option} = {value}; {why}");

    public bool TryGet(string key, out JsonElement value) => JsonFields.TryGet(Config, key, out value);

    /// <summary>Refuses the layer unless the option is absent, null or <paramref name="allowed"/>.</summary>
    public void Require(string key, object allowed, string why)
    {
        if (!TryGet(key, out JsonElement v))
            return;
        bool ok = allowed switch
        {
            bool b => v.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
            double d => v.ValueKind == JsonValueKind.Number && v.GetDouble() == d,
            string s => v.ValueKind == JsonValueKind.String && v.GetString() == s,
            _ => false,
        };
        if (!ok)
            throw Unsupported(key, v.GetRawText(), why);
    }

    /// <summary>Refuses the layer when the option is set to anything but null (regularizers, constraints).</summary>
    public void RequireNull(string key, string why)
    {
        if (TryGet(key, out JsonElement v))
            throw Unsupported(key, v.GetRawText(), why);
    }

    public int Int(string key) => Fields.Int(Fields.Get(Config, Path, key), JsonFields.Join(Path, key));

    public bool Bool(string key, bool fallback) => TryGet(key, out JsonElement v) ? Fields.Bool(v, JsonFields.Join(Path, key)) : fallback;

    /// <summary>An activation name: Keras 2 writes a string, Keras 3 a string or {"class_name": ..., "config": {"name": ...}}.</summary>
    public string Activation(string key, string fallback)
    {
        if (!TryGet(key, out JsonElement v))
            return fallback;
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString()!;
        if (JsonFields.TryGet(v, "config", out JsonElement c) && JsonFields.TryGet(c, "name", out JsonElement n) && n.ValueKind == JsonValueKind.String)
            return n.GetString()!;
        if (JsonFields.TryGet(v, "class_name", out JsonElement cn) && cn.ValueKind == JsonValueKind.String)
            return cn.GetString()!;
        throw Unsupported(key, v.GetRawText(), "LstmLab reads activations given by name only.");
    }
}

/// <summary>
/// Maps one Keras layer class to an LstmLab layer and back: reading refuses any option LstmLab lacks (named, with
/// its value), writing emits the config each Keras dialect expects and says where the weights live. One small
/// mapper per layer type, so that a new layer (GRU, SimpleRNN, Dropout, Bidirectional) adds one class and one
/// line in <see cref="KerasLayerMappers.All"/>.
/// </summary>
internal interface IKerasLayerMapper
{
    /// <summary>The Keras class name (<c>LSTM</c>).</summary>
    string ClassName { get; }

    /// <summary>Whether this mapper writes <paramref name="layer"/>.</summary>
    bool Writes(Layer layer);

    /// <summary>Builds the LstmLab layer from a config, or throws naming the unsupported option.</summary>
    Layer Read(KerasLayerEntry entry);

    /// <summary>Writes the layer's Keras config object (the value of "config"), or throws when the dialect cannot express the layer.</summary>
    void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect);

    /// <summary>Keras 3's group of the layer's variables inside its <c>layers/&lt;name&gt;</c> group (<c>cell/vars</c>, <c>vars</c>).</summary>
    string Keras3VarsGroup { get; }

    /// <summary>Keras 2's weight names below the layer's group, in <see cref="Layer.Parameters"/> order.</summary>
    IReadOnlyList<string> Keras2WeightNames(Layer layer);
}

/// <summary>The registry of mappers.</summary>
internal static class KerasLayerMappers
{
    public static readonly IReadOnlyList<IKerasLayerMapper> All = [new LstmMapper(), new DenseMapper(), new MaskingMapper()];

    public static string Known => string.Join(", ", All.Select(m => m.ClassName).Prepend("InputLayer"));

    public static IKerasLayerMapper? ForClass(string className) => All.FirstOrDefault(m => m.ClassName == className);

    public static IKerasLayerMapper ForLayer(Layer layer) =>
        All.FirstOrDefault(m => m.Writes(layer)) ?? throw new ArgumentException($"Layer '{layer.Name}' ({layer.TypeName}) has no Keras mapping yet.", nameof(layer));

    /// <summary>Options every Keras layer may carry; LstmLab computes in float32 and trains every layer.</summary>
    public static void CheckCommon(KerasLayerEntry e)
    {
        if (e.TryGet("dtype", out JsonElement dtype))
        {
            string? name = dtype.ValueKind == JsonValueKind.String ? dtype.GetString()
                : JsonFields.TryGet(dtype, "config", out JsonElement c) && JsonFields.TryGet(c, "name", out JsonElement n) ? n.GetString() : null;
            if (name != "float32")
                throw e.Unsupported("dtype", dtype.GetRawText(), "LstmLab computes in float32 only.");
        }
        e.Require("trainable", true, "LstmLab has no frozen layers.");
        e.RequireNull("activity_regularizer", "LstmLab has no activity regularizers.");
    }

    public static void WriteCommon(Utf8JsonWriter w, Layer layer, KerasDialect dialect)
    {
        w.WriteString("name", layer.Name);
        w.WriteBoolean("trainable", true);
        if (dialect == KerasDialect.Keras3)
        {
            w.WriteStartObject("dtype");
            w.WriteString("module", "keras");
            w.WriteString("class_name", "DTypePolicy");
            w.WriteStartObject("config");
            w.WriteString("name", "float32");
            w.WriteEndObject();
            w.WriteNull("registered_name");
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("dtype", "float32");
        }
    }
}

internal sealed class LstmMapper : IKerasLayerMapper
{
    public string ClassName => "LSTM";

    public string Keras3VarsGroup => "cell/vars";

    public bool Writes(Layer layer) => layer is Lstm;

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        string activation = e.Activation("activation", "tanh");
        if (activation != "tanh")
            throw e.Unsupported("activation", $"\"{activation}\"", "LstmLab's LSTM uses tanh only.");
        string gate = e.Activation("recurrent_activation", "sigmoid");
        RecurrentActivation recurrent = gate switch
        {
            "sigmoid" => RecurrentActivation.Sigmoid,
            "hard_sigmoid" => e.Dialect == KerasDialect.Keras2 ? RecurrentActivation.HardSigmoidKeras2 : RecurrentActivation.HardSigmoidKeras3,
            _ => throw e.Unsupported("recurrent_activation", $"\"{gate}\"", "LstmLab's LSTM gates use sigmoid or hard_sigmoid."),
        };
        e.Require("use_bias", true, "LstmLab's LSTM always has a bias.");
        e.Require("return_state", false, "LstmLab's LSTM does not return its state as outputs yet.");
        e.Require("go_backwards", false, "LstmLab's LSTM does not run backwards yet.");
        e.Require("time_major", false, "LstmLab reads batch-major sequences only.");
        e.Require("dropout", 0.0, "LstmLab's LSTM has no dropout yet.");
        e.Require("recurrent_dropout", 0.0, "LstmLab's LSTM has no recurrent dropout yet.");
        foreach (string key in (string[])["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint"])
            e.RequireNull(key, "LstmLab has no regularizers or constraints.");
        if (e.MaskUpstream)
            e.Require("zero_output_for_mask", false, "LstmLab's LSTM repeats the previous output at a masked step rather than writing zeros.");
        // unroll and implementation change how Keras computes, not what: accepted.
        return new Lstm(e.Int("units"), e.Bool("return_sequences", false), e.Bool("stateful", false), recurrent, e.Bool("unit_forget_bias", true));
    }

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect)
    {
        var lstm = (Lstm)layer;
        string gate = (lstm.RecurrentActivation, dialect) switch
        {
            (RecurrentActivation.Sigmoid, _) => "sigmoid",
            (RecurrentActivation.HardSigmoidKeras2, KerasDialect.Keras2) => "hard_sigmoid",
            (RecurrentActivation.HardSigmoidKeras3, KerasDialect.Keras3) => "hard_sigmoid",
            (RecurrentActivation.HardSigmoidKeras2, _) => throw new ArgumentException($"Layer '{layer.Name}' uses Keras 2's hard_sigmoid (0.2·x + 0.5), which a Keras 3 file cannot name (Keras 3's hard_sigmoid is x/6 + 0.5); save it as .h5 (Keras 2) instead.", nameof(layer)),
            _ => throw new ArgumentException($"Layer '{layer.Name}' uses Keras 3's hard_sigmoid (x/6 + 0.5), which a Keras 2 file cannot name (Keras 2's hard_sigmoid is 0.2·x + 0.5); save it as .keras (Keras 3) instead.", nameof(layer)),
        };
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteBoolean("return_sequences", lstm.ReturnSequences);
        w.WriteBoolean("return_state", false);
        w.WriteBoolean("go_backwards", false);
        w.WriteBoolean("stateful", lstm.Stateful);
        w.WriteBoolean("unroll", false);
        if (dialect == KerasDialect.Keras3)
            w.WriteBoolean("zero_output_for_mask", false);
        w.WriteNumber("units", lstm.Units);
        w.WriteString("activation", "tanh");
        w.WriteString("recurrent_activation", gate);
        w.WriteBoolean("use_bias", true);
        w.WriteBoolean("unit_forget_bias", lstm.UnitForgetBias);
        w.WriteNumber("dropout", 0.0);
        w.WriteNumber("recurrent_dropout", 0.0);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) =>
        [$"{layer.Name}/lstm_cell/kernel:0", $"{layer.Name}/lstm_cell/recurrent_kernel:0", $"{layer.Name}/lstm_cell/bias:0"];
}

internal sealed class DenseMapper : IKerasLayerMapper
{
    public string ClassName => "Dense";

    public string Keras3VarsGroup => "vars";

    public bool Writes(Layer layer) => layer is Dense;

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        e.Require("use_bias", true, "LstmLab's Dense always has a bias.");
        foreach (string key in (string[])["kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank"])
            e.RequireNull(key, "LstmLab has no regularizers, constraints or LoRA.");
        string name = e.Activation("activation", "linear");
        Activation activation;
        try
        {
            activation = Activations.Parse(name);
        }
        catch (ArgumentException)
        {
            throw e.Unsupported("activation", $"\"{name}\"", "LstmLab's Dense has linear, sigmoid, softmax, tanh and relu.");
        }
        return new Dense(e.Int("units"), activation);
    }

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect)
    {
        var dense = (Dense)layer;
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteNumber("units", dense.Units);
        w.WriteString("activation", Activations.Name(dense.Activation));
        w.WriteBoolean("use_bias", true);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => [$"{layer.Name}/kernel:0", $"{layer.Name}/bias:0"];
}

internal sealed class MaskingMapper : IKerasLayerMapper
{
    public string ClassName => "Masking";

    public string Keras3VarsGroup => "vars";

    public bool Writes(Layer layer) => layer is Masking;

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        double value = 0;
        if (e.TryGet("mask_value", out JsonElement v))
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out value) || !double.IsFinite(value))
                throw e.Unsupported("mask_value", v.GetRawText(), "LstmLab's Masking needs a finite number.");
        }
        return new Masking(value);
    }

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect)
    {
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteNumber("mask_value", ((Masking)layer).MaskValue);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => [];
}

/// <summary>Version strings of Keras files.</summary>
internal static class KerasVersion
{
    /// <summary>Keras 3 and later read hard_sigmoid as x/6 + 0.5; Keras 1 and 2 as 0.2·x + 0.5.</summary>
    public static KerasDialect DialectOf(string? version, string file)
    {
        if (string.IsNullOrWhiteSpace(version))
            throw new InvalidDataException($"{file}: the file does not say which Keras wrote it (no keras_version), so hard_sigmoid's meaning is unknown.");
        string major = version.Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out int m))
            throw new InvalidDataException($"{file}: keras_version '{version}' is not a version number.");
        return m >= 3 ? KerasDialect.Keras3 : KerasDialect.Keras2;
    }
}
