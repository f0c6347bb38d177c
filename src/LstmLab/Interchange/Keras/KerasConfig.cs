using System.Globalization;
using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Training;

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
    public static KerasModel Read(JsonElement root, KerasDialect dialect, JsonFields j)
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
            entries.Add(new KerasLayerEntry(cls, name, c, at + ".config", dialect, j, mask));
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

    /// <summary>
    /// Compiles the model from Keras 2's <c>training_config</c> or Keras 3's <c>compile_config</c> where LstmLab has the
    /// loss and optimizer with those settings; otherwise leaves it uncompiled and says why in <paramref name="notes"/>.
    /// </summary>
    public static void ReadCompile(Sequential model, JsonElement training, List<string> notes)
    {
        JsonElement optimizer = training.TryGetProperty("optimizer_config", out JsonElement oc) ? oc
            : training.TryGetProperty("optimizer", out JsonElement o) ? o : default;
        string? problem = null;
        Optimizer? built = optimizer.ValueKind == JsonValueKind.Object ? ReadOptimizer(optimizer, ref problem) : null;
        problem ??= built is null ? "no optimizer is given" : null;
        Loss? loss = null;
        if (problem is null)
        {
            JsonElement l = training.TryGetProperty("loss", out JsonElement le) ? le : default;
            string? lossName = l.ValueKind == JsonValueKind.String ? l.GetString()
                : JsonFields.TryGet(l, "class_name", out JsonElement lc) ? SnakeLoss(lc.GetString()) : null;
            try
            {
                loss = lossName is null ? null : Loss.Parse(lossName);
            }
            catch (ArgumentException)
            {
                loss = null;
            }
            if (loss is null)
                problem = $"loss {(l.ValueKind == JsonValueKind.Undefined ? "(none)" : l.GetRawText())} is not one LstmLab has";
        }
        if (problem is not null)
        {
            notes.Add($"compile settings not read: {problem}; the model is loaded uncompiled.");
            return;
        }
        var metrics = new List<string>();
        if (training.TryGetProperty("metrics", out JsonElement m) && m.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement metric in m.EnumerateArray())
            {
                string? name = metric.ValueKind == JsonValueKind.String ? metric.GetString() : null;
                if (name is "accuracy" or "acc")
                    metrics.Add("accuracy");
                else
                    notes.Add($"metric {metric.GetRawText()} not read: LstmLab computes accuracy only.");
            }
        }
        model.Compile(loss!, built!, [.. metrics.Distinct()]);
    }

    private static string? SnakeLoss(string? className) => className switch
    {
        "MeanSquaredError" => "mean_squared_error",
        "BinaryCrossentropy" => "binary_crossentropy",
        "CategoricalCrossentropy" => "categorical_crossentropy",
        _ => className,
    };

    private static Optimizer? ReadOptimizer(JsonElement optimizer, ref string? problem)
    {
        string cls = optimizer.TryGetProperty("class_name", out JsonElement cn) ? cn.GetString() ?? "" : "";
        JsonElement c = optimizer.TryGetProperty("config", out JsonElement ce) ? ce : default;
        double Number(string key, double fallback) =>
            JsonFields.TryGet(c, key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        JsonElement lrElement = JsonFields.TryGet(c, "learning_rate", out JsonElement lr1) ? lr1 : JsonFields.TryGet(c, "lr", out JsonElement lr2) ? lr2 : default;
        if (lrElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.Undefined))
        {
            problem = $"the learning rate of {cls} is {lrElement.GetRawText()} (a schedule), which LstmLab does not have";
            return null;
        }
        foreach (string key in (string[])["clipnorm", "clipvalue", "global_clipnorm", "weight_decay", "loss_scale_factor", "gradient_accumulation_steps"])
        {
            if (JsonFields.TryGet(c, key, out JsonElement v) && !(v.ValueKind == JsonValueKind.Number && v.GetDouble() == 0))
            {
                problem = $"{cls} has {key} = {v.GetRawText()}, which LstmLab's optimizers do not have";
                return null;
            }
        }
        if (Number("decay", 0) != 0 || (JsonFields.TryGet(c, "use_ema", out JsonElement ema) && ema.ValueKind == JsonValueKind.True)
            || (JsonFields.TryGet(c, "amsgrad", out JsonElement ams) && ams.ValueKind == JsonValueKind.True))
        {
            problem = $"{cls} uses decay, EMA or AMSGrad, which LstmLab's optimizers do not have";
            return null;
        }
        try
        {
            switch (cls.ToLowerInvariant())
            {
                case "adam":
                    return new Adam(Number("learning_rate", Number("lr", 0.001)), Number("beta_1", 0.9), Number("beta_2", 0.999), Number("epsilon", 1e-7));
                case "sgd":
                    return new Sgd(Number("learning_rate", Number("lr", 0.01)), Number("momentum", 0),
                        JsonFields.TryGet(c, "nesterov", out JsonElement nv) && nv.ValueKind == JsonValueKind.True);
                default:
                    problem = $"optimizer {cls} is not one LstmLab has (it has Adam, SGD)";
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            problem = $"{cls}'s settings do not fit LstmLab's: {e.Message}";
            return null;
        }
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
        foreach (Layer layer in model.Layers)
        {
            IKerasLayerMapper mapper = KerasLayerMappers.ForLayer(layer);
            w.WriteStartObject();
            if (k3)
                w.WriteString("module", "keras.layers");
            w.WriteString("class_name", mapper.ClassName);
            w.WriteStartObject("config");
            mapper.WriteConfig(w, layer, dialect);
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
                WriteCompile(w, model, dialect);
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

    /// <summary>Keras 2's <c>training_config</c> or Keras 3's <c>compile_config</c> for the model's loss, optimizer and metrics.</summary>
    public static void WriteCompile(Utf8JsonWriter w, Sequential model, KerasDialect dialect)
    {
        bool k3 = dialect == KerasDialect.Keras3;
        Optimizer optimizer = model.Optimizer!;
        w.WriteStartObject();
        w.WriteStartObject(k3 ? "optimizer" : "optimizer_config");
        if (k3)
            w.WriteString("module", "keras.optimizers");
        w.WriteString("class_name", optimizer is Adam ? "Adam" : "SGD");
        w.WriteStartObject("config");
        w.WriteString("name", optimizer is Adam ? "adam" : "SGD");
        w.WriteNumber("learning_rate", optimizer.LearningRate);
        switch (optimizer)
        {
            case Adam adam:
                w.WriteNumber("beta_1", adam.Beta1);
                w.WriteNumber("beta_2", adam.Beta2);
                w.WriteNumber("epsilon", adam.Epsilon);
                w.WriteBoolean("amsgrad", false);
                break;
            case Sgd sgd:
                w.WriteNumber("momentum", sgd.Momentum);
                w.WriteBoolean("nesterov", sgd.Nesterov);
                break;
            default:
                throw new ArgumentException($"Optimizer '{optimizer.Name}' has no Keras mapping yet.", nameof(model));
        }
        w.WriteEndObject();
        if (k3)
            w.WriteNull("registered_name");
        w.WriteEndObject();
        w.WriteString("loss", model.Loss!.Name);
        w.WriteNull("loss_weights");
        if (model.MetricNames.Count == 0)
        {
            w.WriteNull("metrics");
        }
        else
        {
            w.WriteStartArray("metrics");
            foreach (string m in model.MetricNames)
                w.WriteStringValue(m);
            w.WriteEndArray();
        }
        w.WriteNull("weighted_metrics");
        if (k3)
        {
            w.WriteBoolean("run_eagerly", false);
            w.WriteNumber("steps_per_execution", 1);
            w.WriteBoolean("jit_compile", false);
        }
        else
        {
            w.WriteNull("sample_weight_mode");
        }
        w.WriteEndObject();
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
