using System.Globalization;
using System.Text.Json;
using LstmLab.Layers;

namespace LstmLab.Interchange.Keras;

/// <summary>A model read from a Keras config: the LstmLab model, each layer's name in the file, and what was not read.</summary>
internal sealed record KerasModel(Sequential Model, IReadOnlyList<string> FileNames, KerasDialect Dialect, List<string> Notes);

/// <summary>
/// Reads a Keras model config (Keras 2's <c>model_config</c> attribute, Keras 3's <c>config.json</c>) into a
/// <see cref="Sequential"/>, and writes one. Only Sequential models; each layer goes through its
/// <see cref="IKerasLayerMapper"/>, which refuses options LstmLab lacks.
/// </summary>
internal static class KerasConfig
{
    public static KerasModel Read(JsonElement root, KerasDialect dialect, JsonFields j, bool multiBackend = false)
    {
        string className = j.String(j.Get(root, "", "class_name"), "class_name");
        if (className != "Sequential")
            throw j.Error("class_name", $"is '{className}'; LstmLab reads Sequential models only.");
        JsonElement config = j.Get(root, "", "config");
        // Keras 1 and 2.0 wrote the layer list itself as the config.
        JsonElement layers = config.ValueKind == JsonValueKind.Array ? config : j.Array(j.Get(config, "config", "layers"), "config.layers");
        string layersPath = config.ValueKind == JsonValueKind.Array ? "config" : "config.layers";

        int[]? batchShape = null;
        var entries = new List<KerasLayerEntry>();
        bool mask = false;
        int i = 0;
        foreach (JsonElement layer in layers.EnumerateArray())
        {
            string at = JsonFields.Index(layersPath, i++);
            string cls = j.String(j.Get(layer, at, "class_name"), at + ".class_name");
            JsonElement c = j.Get(layer, at, "config");
            string name = JsonFields.TryGet(c, "name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : cls.ToLowerInvariant();
            foreach (string key in (string[])["batch_shape", "batch_input_shape"])
            {
                if (batchShape is null && JsonFields.TryGet(c, key, out JsonElement shape))
                    batchShape = ReadShape(shape, $"{at}.config.{key}", j);
            }
            if (cls == "InputLayer")
            {
                if (JsonFields.TryGet(c, "sparse", out JsonElement sparse) && sparse.ValueKind == JsonValueKind.True)
                    throw new InvalidDataException($"{j.File}: layer '{name}' (InputLayer) has sparse = true; LstmLab reads dense inputs only.");
                if (JsonFields.TryGet(c, "ragged", out JsonElement ragged) && ragged.ValueKind == JsonValueKind.True)
                    throw new InvalidDataException($"{j.File}: layer '{name}' (InputLayer) has ragged = true; LstmLab reads dense inputs only.");
                continue;
            }
            entries.Add(new KerasLayerEntry(cls, name, c, at + ".config", dialect, j, mask, multiBackend));
            mask |= cls == "Masking";
        }
        if (batchShape is null && config.ValueKind == JsonValueKind.Object && JsonFields.TryGet(config, "build_input_shape", out JsonElement build))
            batchShape = ReadShape(build, "config.build_input_shape", j);
        if (batchShape is null && JsonFields.TryGet(root, "build_config", out JsonElement bc) && JsonFields.TryGet(bc, "input_shape", out JsonElement bis))
            batchShape = ReadShape(bis, "build_config.input_shape", j);
        if (batchShape is null)
            throw new InvalidDataException($"{j.File}: the model config gives no input shape (no InputLayer batch_shape, batch_input_shape or build_input_shape).");

        SampleShape input = batchShape.Length switch
        {
            3 => SampleShape.Sequence(Math.Max(batchShape[1], 0), batchShape[2]),
            2 => SampleShape.Vector(batchShape[1]),
            _ => throw new InvalidDataException($"{j.File}: the input shape has {batchShape.Length} axes; LstmLab reads (batch, timesteps, features) or (batch, features)."),
        };
        if (input.Features <= 0)
            throw new InvalidDataException($"{j.File}: the input's feature axis must have a known size.");
        int? batch = batchShape[0] > 0 ? batchShape[0] : null;
        var model = new Sequential(input, batch);
        var names = new List<string>();
        foreach (KerasLayerEntry e in entries)
        {
            IKerasLayerMapper mapper = KerasLayerMappers.ForClass(e.ClassName)
                ?? throw new InvalidDataException($"{j.File}: layer '{e.Name}' is a {e.ClassName}, which LstmLab cannot read (it reads {KerasLayerMappers.Known}).");
            try
            {
                model.AddUninitialized(mapper.Read(e));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{j.File}: layer '{e.Name}' ({e.ClassName}) does not fit the model: {ex.Message}", ex);
            }
            names.Add(e.Name);
        }
        if (names.Count == 0)
            throw new InvalidDataException($"{j.File}: the model has no layers.");
        return new KerasModel(model, names, dialect, []);
    }

    /// <summary>A batch shape: nulls (unknown sizes) become -1.</summary>
    private static int[] ReadShape(JsonElement shape, string path, JsonFields j)
    {
        j.Array(shape, path);
        return shape.EnumerateArray().Select((e, k) => e.ValueKind == JsonValueKind.Null ? -1 : j.Int(e, JsonFields.Index(path, k))).ToArray();
    }

    /// <summary>Writes the model config (the value of Keras 2's <c>model_config</c>, or Keras 3's whole <c>config.json</c>).</summary>
    public static void Write(Utf8JsonWriter w, Sequential model, KerasDialect dialect)
    {
        bool k3 = dialect == KerasDialect.Keras3;
        w.WriteStartObject();
        if (k3)
            w.WriteString("module", "keras");
        w.WriteString("class_name", "Sequential");
        w.WriteStartObject("config");
        w.WriteString("name", "sequential");
        if (k3)
        {
            w.WriteBoolean("trainable", true);
            w.WriteNull("dtype");
        }
        w.WriteStartArray("layers");
        w.WriteStartObject();
        if (k3)
            w.WriteString("module", "keras.layers");
        w.WriteString("class_name", "InputLayer");
        w.WriteStartObject("config");
        WriteShape(w, k3 ? "batch_shape" : "batch_input_shape", model.BatchSize, model.InputShape);
        w.WriteString("dtype", "float32");
        w.WriteBoolean("sparse", false);
        w.WriteString("name", k3 ? "input_layer" : "input_1");
        w.WriteEndObject();
        if (k3)
            w.WriteNull("registered_name");
        w.WriteEndObject();
        SampleShape shape = model.InputShape;
        bool masked = false;   // whether the next layer receives a mask
        foreach (Layer layer in model.Layers)
        {
            IKerasLayerMapper mapper = KerasLayerMappers.ForLayer(layer);
            w.WriteStartObject();
            if (k3)
                w.WriteString("module", "keras.layers");
            w.WriteString("class_name", mapper.ClassName);
            w.WriteStartObject("config");
            mapper.WriteConfig(w, layer, dialect, masked);
            w.WriteEndObject();
            if (k3)
            {
                w.WriteNull("registered_name");
                w.WriteStartObject("build_config");
                WriteShape(w, "input_shape", model.BatchSize, shape);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            shape = layer.OutputShape;
            masked = shape.IsSequence && (masked || layer is Masking);
        }
        w.WriteEndArray();
        if (k3)
            WriteShape(w, "build_input_shape", model.BatchSize, model.InputShape);
        w.WriteEndObject();
        if (k3)
        {
            w.WriteNull("registered_name");
            w.WriteStartObject("build_config");
            WriteShape(w, "input_shape", model.BatchSize, model.InputShape);
            w.WriteEndObject();
            if (model.Loss is not null && model.Optimizer is not null)
            {
                w.WritePropertyName("compile_config");
                KerasCompileConfig.Write(w, model, dialect);
            }
        }
        w.WriteEndObject();
    }

    private static void WriteShape(Utf8JsonWriter w, string name, int? batch, SampleShape shape)
    {
        w.WriteStartArray(name);
        if (batch is int b)
            w.WriteNumberValue(b);
        else
            w.WriteNullValue();
        if (shape.IsSequence)
        {
            if (shape.Timesteps == 0)
                w.WriteNullValue();
            else
                w.WriteNumberValue(shape.Timesteps);
        }
        w.WriteNumberValue(shape.Features);
        w.WriteEndArray();
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
