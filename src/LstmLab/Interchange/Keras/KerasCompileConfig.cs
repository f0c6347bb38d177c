using System.Text.Json;
using LstmLab.Training;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// Keras 2's <c>training_config</c> and Keras 3's <c>compile_config</c>: loss, optimizer (Adam, SGD, RMSprop, Adagrad
/// with their settings and Keras's clipnorm / clipvalue / global_clipnorm) and metrics, read into the compile
/// settings where LstmLab has them and written from them.
/// <para>The learning rate's key: Keras 2.2.4 writes and reads only <c>lr</c> (its optimizers refuse
/// <c>learning_rate</c>); tf.keras 2 reads both (a config without <c>is_legacy_optimizer</c> builds its legacy
/// optimizer, whose from_config maps <c>lr</c>); Keras 3 only <c>learning_rate</c> (its legacy-h5 loader refuses
/// <c>lr</c>: load such a file with <c>compile=False</c>). So .h5 files get <c>lr</c>, .keras files <c>learning_rate</c>,
/// and both are read.</para>
/// </summary>
internal static class KerasCompileConfig
{
    /// <summary>
    /// Compiles the model where LstmLab has the loss and optimizer with those settings; otherwise leaves it uncompiled
    /// and says why in <paramref name="notes"/>.
    /// </summary>
    /// <param name="multiBackend">The file is multi-backend Keras's (≤ 2.3), whose RMSprop and Adagrad add ε outside the square root.</param>
    public static void Read(Sequential model, JsonElement training, List<string> notes, bool multiBackend = false)
    {
        JsonElement optimizer = training.TryGetProperty("optimizer_config", out JsonElement oc) ? oc
            : training.TryGetProperty("optimizer", out JsonElement o) ? o : default;
        string? problem = null;
        Optimizer? built = optimizer.ValueKind == JsonValueKind.Object ? ReadOptimizer(optimizer, multiBackend, ref problem) : null;
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

    private static Optimizer? ReadOptimizer(JsonElement optimizer, bool multiBackend, ref string? problem)
    {
        string cls = optimizer.TryGetProperty("class_name", out JsonElement cn) ? cn.GetString() ?? "" : "";
        JsonElement c = optimizer.TryGetProperty("config", out JsonElement ce) ? ce : default;
        double Number(string key, double fallback) =>
            JsonFields.TryGet(c, key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        bool Flag(string key) => JsonFields.TryGet(c, key, out JsonElement v) && v.ValueKind == JsonValueKind.True;
        JsonElement lrElement = JsonFields.TryGet(c, "learning_rate", out JsonElement lr1) ? lr1 : JsonFields.TryGet(c, "lr", out JsonElement lr2) ? lr2 : default;
        if (lrElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.Undefined))
        {
            problem = $"the learning rate of {cls} is {lrElement.GetRawText()} (a schedule), which LstmLab does not have";
            return null;
        }
        foreach (string key in (string[])["weight_decay", "loss_scale_factor", "gradient_accumulation_steps"])
        {
            if (JsonFields.TryGet(c, key, out JsonElement v) && !(v.ValueKind == JsonValueKind.Number && v.GetDouble() == 0))
            {
                problem = $"{cls} has {key} = {v.GetRawText()}, which LstmLab's optimizers do not have";
                return null;
            }
        }
        if (Number("decay", 0) != 0 || Flag("use_ema") || Flag("amsgrad"))
        {
            problem = $"{cls} uses decay, EMA or AMSGrad, which LstmLab's optimizers do not have";
            return null;
        }
        string kind = cls.ToLowerInvariant();
        if (multiBackend && kind is "rmsprop" or "adagrad")
        {
            problem = $"multi-backend Keras's {cls} adds epsilon outside the square root, LstmLab's (Keras 3's) inside it";
            return null;
        }
        double LearningRate(double fallback) => Number("learning_rate", Number("lr", fallback));
        try
        {
            Optimizer? built = kind switch
            {
                "adam" => new Adam(LearningRate(0.001), Number("beta_1", 0.9), Number("beta_2", 0.999), Number("epsilon", 1e-7)),
                "sgd" => new Sgd(LearningRate(0.01), Number("momentum", 0), Flag("nesterov")),
                "rmsprop" => new RMSprop(LearningRate(0.001), Number("rho", 0.9), Number("momentum", 0), Number("epsilon", 1e-7), Flag("centered")),
                "adagrad" => new Adagrad(LearningRate(0.001), Number("initial_accumulator_value", 0.1), Number("epsilon", 1e-7)),
                _ => null,
            };
            if (built is null)
            {
                problem = $"optimizer {cls} is not one LstmLab has (it has Adam, SGD, RMSprop, Adagrad)";
                return null;
            }
            // Keras's clippings: null or absent for none (a 0 in old files meant none too).
            double? Clip(string key) => Number(key, 0) is var v and not 0 ? v : null;
            built.ClipNorm = Clip("clipnorm");
            built.ClipValue = Clip("clipvalue");
            built.GlobalClipNorm = Clip("global_clipnorm");
            return built;
        }
        catch (ArgumentException e)
        {
            problem = $"{cls}'s settings do not fit LstmLab's: {e.Message}";
            return null;
        }
    }

    /// <summary>Keras 2's <c>training_config</c> or Keras 3's <c>compile_config</c> for the model's loss, optimizer and metrics.</summary>
    public static void Write(Utf8JsonWriter w, Sequential model, KerasDialect dialect)
    {
        bool k3 = dialect == KerasDialect.Keras3;
        Optimizer optimizer = model.Optimizer!;
        (string className, string name) = optimizer switch
        {
            Adam => ("Adam", "adam"),
            Sgd => ("SGD", "SGD"),
            RMSprop => ("RMSprop", "rmsprop"),
            Adagrad => ("Adagrad", "adagrad"),
            _ => throw new ArgumentException($"Optimizer '{optimizer.Name}' has no Keras mapping.", nameof(model)),
        };
        w.WriteStartObject();
        w.WriteStartObject(k3 ? "optimizer" : "optimizer_config");
        if (k3)
            w.WriteString("module", "keras.optimizers");
        w.WriteString("class_name", className);
        w.WriteStartObject("config");
        if (k3)
        {
            // Keras 3's BaseOptimizer.get_config keys, in its order.
            w.WriteString("name", name);
            w.WriteNumber("learning_rate", optimizer.LearningRate);
            w.WriteNull("weight_decay");
            WriteClip(w, "clipnorm", optimizer.ClipNorm, always: true);
            WriteClip(w, "global_clipnorm", optimizer.GlobalClipNorm, always: true);
            WriteClip(w, "clipvalue", optimizer.ClipValue, always: true);
            w.WriteBoolean("use_ema", false);
            w.WriteNumber("ema_momentum", 0.99);
            w.WriteNull("ema_overwrite_frequency");
            w.WriteNull("loss_scale_factor");
            w.WriteNull("gradient_accumulation_steps");
        }
        else
        {
            // Keras 2.2.4's keys (no name; clipnorm and clipvalue only when set); global_clipnorm is tf.keras 2.4+'s.
            w.WriteNumber("lr", optimizer.LearningRate);
            w.WriteNumber("decay", 0.0);
            WriteClip(w, "clipnorm", optimizer.ClipNorm, always: false);
            WriteClip(w, "clipvalue", optimizer.ClipValue, always: false);
            WriteClip(w, "global_clipnorm", optimizer.GlobalClipNorm, always: false);
        }
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
            case RMSprop rms:
                w.WriteNumber("rho", rms.Rho);
                w.WriteNumber("epsilon", rms.Epsilon);
                // Keras 2.2.4's RMSprop has neither; tf.keras 2 and Keras 3 have both.
                if (k3 || rms.Momentum != 0 || rms.Centered)
                {
                    w.WriteNumber("momentum", rms.Momentum);
                    w.WriteBoolean("centered", rms.Centered);
                }
                break;
            case Adagrad adagrad:
                w.WriteNumber("initial_accumulator_value", adagrad.InitialAccumulatorValue);
                w.WriteNumber("epsilon", adagrad.Epsilon);
                break;
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

    private static void WriteClip(Utf8JsonWriter w, string key, double? value, bool always)
    {
        if (value is double v)
            w.WriteNumber(key, v);
        else if (always)
            w.WriteNull(key);
    }
}
