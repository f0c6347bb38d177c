using System.Globalization;
using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Keras;

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

    /// <summary>
    /// Writes the layer's Keras config object (the value of "config"), or throws when the dialect cannot express the
    /// layer; <paramref name="maskUpstream"/> says whether the layer receives a mask (a Masking before it).
    /// </summary>
    void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream);

    /// <summary>Keras 3's groups and variables of the layer below its <c>layers/&lt;name&gt;</c> group.</summary>
    Keras3Layout Keras3Layout(Layer layer);

    /// <summary>Keras 2's weight names below the layer's group, in <see cref="Layer.Parameters"/> order.</summary>
    IReadOnlyList<string> Keras2WeightNames(Layer layer);
}

/// <summary>
/// Where Keras 3's <c>saving_lib</c> keeps a layer's variables, below its <c>layers/&lt;name&gt;</c> group: the groups it
/// creates (each layer and sub-layer gets a <c>vars</c> group, an RNN's cell its own) and the datasets of
/// <see cref="Layer.Parameters"/>, in order (<c>cell/vars/0</c>, …; a Bidirectional's <c>forward_layer/cell/vars/0</c>, …).
/// </summary>
internal sealed record Keras3Layout(IReadOnlyList<string> Groups, IReadOnlyList<string> Weights)
{
    /// <summary>A layer without sub-layers: <c>vars/0</c> … <c>vars/{count − 1}</c>.</summary>
    public static Keras3Layout Own(int count) => Below("", count, cell: false);

    /// <summary>A layer's variables below <paramref name="prefix"/> (empty or ending in '/'), in its cell's group when <paramref name="cell"/>.</summary>
    public static Keras3Layout Below(string prefix, int count, bool cell)
    {
        string vars = cell ? $"{prefix}cell/vars" : $"{prefix}vars";
        string[] groups = cell ? [$"{prefix}vars", vars] : [vars];
        return new(groups, [.. Enumerable.Range(0, count).Select(i => $"{vars}/{i.ToString(CultureInfo.InvariantCulture)}")]);
    }
}

/// <summary>The registry of mappers.</summary>
internal static class KerasLayerMappers
{
    public static readonly IReadOnlyList<IKerasLayerMapper> All =
    [
        new LstmMapper(), new GruMapper(), new SimpleRnnMapper(), new BidirectionalMapper(),
        new DenseMapper(), new MaskingMapper(), new DropoutMapper(), new RepeatVectorMapper(),
    ];

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
        WriteDtype(w, dialect);
    }

    /// <summary>Keras 3's dtype policy object, or Keras 2's "float32".</summary>
    public static void WriteDtype(Utf8JsonWriter w, KerasDialect dialect)
    {
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

internal sealed class DenseMapper : IKerasLayerMapper
{
    public string ClassName => "Dense";

    public Keras3Layout Keras3Layout(Layer layer) => Keras.Keras3Layout.Own(2);

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

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream)
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

    public Keras3Layout Keras3Layout(Layer layer) => Keras.Keras3Layout.Own(0);

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

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream)
    {
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteNumber("mask_value", ((Masking)layer).MaskValue);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => [];
}

internal sealed class DropoutMapper : IKerasLayerMapper
{
    public string ClassName => "Dropout";

    public Keras3Layout Keras3Layout(Layer layer) => Keras.Keras3Layout.Own(0);

    public bool Writes(Layer layer) => layer is Dropout;

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        e.RequireNull("noise_shape", "LstmLab's Dropout draws one mask value per input value (no broadcast noise_shape).");
        // seed: LstmLab draws dropout masks from the model's seed; inference (all LstmLab's predictions) does not use them.
        if (!e.TryGet("rate", out JsonElement rate) || rate.ValueKind != JsonValueKind.Number || !(rate.GetDouble() is >= 0 and < 1))
            throw e.Unsupported("rate", e.TryGet("rate", out JsonElement r) ? r.GetRawText() : "(missing)", "LstmLab's Dropout needs a rate in [0, 1).");
        return new Dropout(rate.GetDouble());
    }

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream)
    {
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteNumber("rate", ((Dropout)layer).Rate);
        w.WriteNull("seed");
        w.WriteNull("noise_shape");
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => [];
}

internal sealed class RepeatVectorMapper : IKerasLayerMapper
{
    public string ClassName => "RepeatVector";

    public Keras3Layout Keras3Layout(Layer layer) => Keras.Keras3Layout.Own(0);

    public bool Writes(Layer layer) => layer is RepeatVector;

    public Layer Read(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        int n = e.Int("n");
        if (n <= 0)
            throw e.Unsupported("n", n.ToString(CultureInfo.InvariantCulture), "RepeatVector needs at least one repetition.");
        return new RepeatVector(n);
    }

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream)
    {
        KerasLayerMappers.WriteCommon(w, layer, dialect);
        w.WriteNumber("n", ((RepeatVector)layer).N);
    }

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => [];
}
