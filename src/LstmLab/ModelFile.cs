using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

/// <summary>
/// The readable JSON file of a <see cref="Sequential"/> model: input shape, batch size, seed, each
/// layer's configuration and weights (Keras names and layouts), and the compile settings.
/// Optimizer slots (Adam's moments) are not saved: a loaded model resumes training with fresh moments.
/// </summary>
internal static class ModelFile
{
    public const string Format = "lstmlab.sequential/1";

    public static void Save(Sequential model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteStartObject("input");
            w.WriteNumber("features", model.InputShape.Features);
            w.WriteBoolean("sequence", model.InputShape.IsSequence);
            if (model.InputShape.IsSequence)
            {
                if (model.InputShape.Timesteps == 0)
                    w.WriteNull("timesteps");
                else
                    w.WriteNumber("timesteps", model.InputShape.Timesteps);
            }
            if (model.BatchSize is int b)
                w.WriteNumber("batch_size", b);
            else
                w.WriteNull("batch_size");
            w.WriteEndObject();
            w.WriteNumber("seed", model.Seed);
            w.WriteStartArray("layers");
            foreach (Layer layer in model.Layers)
            {
                w.WriteStartObject();
                w.WriteString("class_name", layer.TypeName);
                w.WriteString("name", layer.Name);
                w.WriteStartObject("config");
                foreach ((string key, object value) in layer.GetConfig())
                    WriteValue(w, key, value);
                w.WriteEndObject();
                w.WriteStartObject("weights");
                for (int i = 0; i < layer.Parameters.Count; i++)
                {
                    Parameter p = layer.Parameters[i];
                    w.WriteStartObject(WeightKey(layer, i));
                    w.WriteStartArray("shape");
                    foreach (int d in p.Shape.ToArray())
                        w.WriteNumberValue(d);
                    w.WriteEndArray();
                    w.WriteStartArray("values");
                    foreach (float v in p.Value.Span)
                        w.WriteNumberValue(v);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (model.Loss is not null && model.Optimizer is not null)
            {
                w.WriteStartObject("compile");
                w.WriteString("loss", model.Loss.Name);
                w.WriteStartObject("optimizer");
                foreach ((string key, object value) in model.Optimizer.GetConfig())
                    WriteValue(w, key, value);
                w.WriteEndObject();
                w.WriteStartArray("metrics");
                foreach (string m in model.MetricNames)
                    w.WriteStringValue(m);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteValue(Utf8JsonWriter w, string key, object value)
    {
        switch (value)
        {
            case int i: w.WriteNumber(key, i); break;
            case long l: w.WriteNumber(key, l); break;
            case double d: w.WriteNumber(key, d); break;
            case bool b: w.WriteBoolean(key, b); break;
            case string s: w.WriteString(key, s); break;
            default: throw new InvalidOperationException($"Cannot save configuration value '{key}' of type {value.GetType().Name}.");
        }
    }

    public static Sequential Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model file '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement, path);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"Model file '{path}' is not a valid LstmLab model: {e.Message}", e);
            }
        }
    }

    private static Sequential Read(JsonElement root, string path)
    {
        string format = Get(root, "format").GetString() ?? "";
        if (format != Format)
            throw new InvalidDataException($"Model file '{path}' has format '{format}'; expected '{Format}'.");
        JsonElement input = Get(root, "input");
        int features = Get(input, "features").GetInt32();
        bool sequence = Get(input, "sequence").GetBoolean();
        int timesteps = sequence && input.TryGetProperty("timesteps", out JsonElement ts) && ts.ValueKind == JsonValueKind.Number ? ts.GetInt32() : 0;
        int? batch = input.TryGetProperty("batch_size", out JsonElement bs) && bs.ValueKind == JsonValueKind.Number ? bs.GetInt32() : null;
        long seed = Get(root, "seed").GetInt64();
        var model = new Sequential(sequence ? SampleShape.Sequence(timesteps, features) : SampleShape.Vector(features), batch, seed);
        foreach (JsonElement layerElement in Get(root, "layers").EnumerateArray())
        {
            string className = Get(layerElement, "class_name").GetString() ?? "";
            JsonElement config = Get(layerElement, "config");
            Layer layer = className switch
            {
                "Dense" => new Dense(Get(config, "units").GetInt32(), Activations.Parse(Get(config, "activation").GetString()!)),
                "Masking" => new Masking(Get(config, "mask_value").GetDouble()),
                "Dropout" => new Dropout(Get(config, "rate").GetDouble()),
                "RepeatVector" => new RepeatVector(Get(config, "n").GetInt32()),
                "Bidirectional" => new Bidirectional(ReadRecurrent(Get(config, "layer").GetString() ?? "", config, "layer.", path),
                    Enum.Parse<MergeMode>(Get(config, "merge_mode").GetString()!, ignoreCase: true)),
                _ => ReadRecurrent(className, config, "", path),
            };
            model.Add(layer);
            JsonElement weights = Get(layerElement, "weights");
            for (int i = 0; i < layer.Parameters.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                JsonElement w = Get(weights, WeightKey(layer, i));
                int[] shape = Get(w, "shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                if (!shape.AsSpan().SequenceEqual(p.Shape.ToArray()))
                    throw new InvalidDataException($"Model file '{path}': weight '{layer.Name}/{p.Name}' has shape {Shape.Format(shape)} but the layer needs {p.Shape}.");
                float[] values = Get(w, "values").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                p.Assign(values);
            }
        }
        if (root.TryGetProperty("compile", out JsonElement compile))
        {
            Loss loss = Loss.Parse(Get(compile, "loss").GetString()!);
            JsonElement opt = Get(compile, "optimizer");
            string name = Get(opt, "name").GetString() ?? "";
            Optimizer optimizer = name switch
            {
                "adam" => new Adam(Get(opt, "learning_rate").GetDouble(), Get(opt, "beta_1").GetDouble(), Get(opt, "beta_2").GetDouble(), Get(opt, "epsilon").GetDouble()),
                "sgd" => new Sgd(Get(opt, "learning_rate").GetDouble(), Get(opt, "momentum").GetDouble(), Get(opt, "nesterov").GetBoolean()),
                _ => throw new InvalidDataException($"Model file '{path}' names an unknown optimizer '{name}'."),
            };
            string[] metrics = Get(compile, "metrics").EnumerateArray().Select(e => e.GetString()!).ToArray();
            model.Compile(loss, optimizer, metrics);
        }
        return model;
    }

    /// <summary>A weight's key in the file: its Keras name, prefixed by the direction inside a Bidirectional.</summary>
    private static string WeightKey(Layer layer, int index)
    {
        string name = layer.Parameters[index].Name;
        if (layer is not Bidirectional)
            return name;
        return (index < layer.Parameters.Count / 2 ? "forward_" : "backward_") + name;
    }

    /// <summary>An LSTM, GRU or SimpleRNN from its configuration (keys after <paramref name="prefix"/>); options added later default as Keras.</summary>
    private static Recurrent ReadRecurrent(string className, JsonElement config, string prefix, string path)
    {
        JsonElement Key(string name) => Get(config, prefix + name);
        bool Flag(string name) => config.TryGetProperty(prefix + name, out JsonElement v) && v.GetBoolean();
        double Number(string name) => config.TryGetProperty(prefix + name, out JsonElement v) ? v.GetDouble() : 0;
        int units = Key("units").GetInt32();
        bool sequences = Key("return_sequences").GetBoolean(), stateful = Key("stateful").GetBoolean();
        return className switch
        {
            "LSTM" => new Lstm(units, sequences, stateful, Activations.ParseRecurrent(Key("recurrent_activation").GetString()!),
                Key("unit_forget_bias").GetBoolean(), Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout")),
            "GRU" => new Gru(units, sequences, stateful, Key("reset_after").GetBoolean(), Activations.ParseRecurrent(Key("recurrent_activation").GetString()!),
                Activations.Parse(Key("activation").GetString()!), Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout")),
            "SimpleRNN" => new SimpleRnn(units, Activations.Parse(Key("activation").GetString()!), sequences, stateful, Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout")),
            _ => throw new InvalidDataException($"Model file '{path}' has a layer of unknown class '{className}'."),
        };
    }

    private static JsonElement Get(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value))
            throw new KeyNotFoundException($"missing key '{name}'");
        return value;
    }
}
