using System.Globalization;
using System.Text.Json;
using LstmLab.Interchange;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

/// <summary>
/// The readable JSON file of a <see cref="Sequential"/> model (format <c>lstmlab.sequential/2</c>): input shape,
/// batch size, seed, each layer's configuration and weights (Keras names and layouts), the compile settings,
/// and the training state: the optimizer's step count and slots (Adam's m and v, SGD's velocity, RMSprop's and
/// Adagrad's accumulators) with its settings and clipping, and the shuffling generator, so that a loaded model resumes training with the same bits as one that never stopped.
/// With <c>includeState</c>, the carried state of the stateful layers too.
/// <para>
/// Writing is atomic (<see cref="AtomicFile"/>) and refuses a non-finite value (a diverged model) before it
/// touches the disk. Reading refuses numbers outside float32's range and names the key of any value of the
/// wrong type. Files of format <c>lstmlab.sequential/1</c> (no training state) still load.
/// </para>
/// </summary>
internal static partial class ModelFile
{
    public const string Format = "lstmlab.sequential/2";
    private const string FormatV1 = "lstmlab.sequential/1";

    public static void Save(Sequential model, string path, bool includeState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckFinite(model, includeState);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            Write(w, model, includeState);
        });
    }

    /// <summary>Refuses to save NaN or ±∞ in a weight, an optimizer slot or a carried state, naming where it is.</summary>
    internal static void CheckFinite(Sequential model, bool includeState)
    {
        foreach (Layer layer in model.Layers)
        {
            IReadOnlyList<string> names = WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                CheckFinite(p.Value.Span, $"weight '{layer.Name}/{names[i]}'");
                float[][]? slots = model.Optimizer?.ExportSlots(p);
                for (int s = 0; slots is not null && s < slots.Length; s++)
                    CheckFinite(slots[s], $"optimizer slot {s} of weight '{layer.Name}/{names[i]}'");
            }
            if (includeState)
            {
                foreach (Tensor state in layer.GetStates())
                    CheckFinite(state.Span, $"the carried state of layer '{layer.Name}'");
            }
        }
    }

    private static void CheckFinite(ReadOnlySpan<float> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Cannot save the model: {what} holds {values[i].ToString(CultureInfo.InvariantCulture)} at index {i}. The model has diverged (lower the learning rate, or clip gradients); nothing was written.");
        }
    }

    private static void Write(Utf8JsonWriter w, Sequential model, bool includeState)
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
            WriteConfig(w, layer);
            w.WriteStartObject("weights");
            IReadOnlyList<string> names = WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                w.WriteStartObject(names[i]);
                w.WriteStartArray("shape");
                foreach (int d in p.Shape.ToArray())
                    w.WriteNumberValue(d);
                w.WriteEndArray();
                WriteFloats(w, "values", p.Value.Span);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (model.Loss is not null && model.Optimizer is Optimizer optimizer)
        {
            w.WriteStartObject("compile");
            w.WriteString("loss", model.Loss.Name);
            w.WriteStartObject("optimizer");
            IReadOnlyDictionary<string, object> config = optimizer.GetConfig();
            foreach ((string key, object value) in config)
                WriteValue(w, key, value);
            // Every optimizer's clipping, also where its GetConfig leaves it out.
            foreach ((string key, double? value) in (ReadOnlySpan<(string, double?)>)[("clipnorm", optimizer.ClipNorm), ("clipvalue", optimizer.ClipValue), ("global_clipnorm", optimizer.GlobalClipNorm)])
            {
                if (value is double v && !config.ContainsKey(key))
                    w.WriteNumber(key, v);
            }
            w.WriteEndObject();
            w.WriteStartArray("metrics");
            foreach (string m in model.MetricNames)
                w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteEndObject();
            WriteTrainingState(w, model, optimizer);
        }
        if (includeState)
        {
            w.WriteStartObject("states");
            foreach (Layer layer in model.Layers)
            {
                IReadOnlyList<Tensor> states = layer.GetStates();
                if (states.Count == 0)
                    continue;
                w.WriteStartArray(layer.Name);
                foreach (Tensor state in states)
                    WriteFloats(w, null, state.Span);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTrainingState(Utf8JsonWriter w, Sequential model, Optimizer optimizer)
    {
        w.WriteStartObject("training_state");
        w.WriteNumber("iterations", optimizer.Iterations);
        (ulong s0, ulong s1, ulong s2, ulong s3, double? spare) = model.ShuffleRandom.State;
        w.WriteStartArray("shuffle_random");
        // 64-bit words as decimal strings: JSON numbers lose precision past 2^53 in most readers.
        foreach (ulong word in (ulong[])[s0, s1, s2, s3])
            w.WriteStringValue(word.ToString(CultureInfo.InvariantCulture));
        if (spare is double d)
            w.WriteNumberValue(d);
        else
            w.WriteNullValue();
        w.WriteEndArray();
        w.WriteStartObject("slots");
        foreach (Layer layer in model.Layers)
        {
            IReadOnlyList<string> names = WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
            {
                if (optimizer.ExportSlots(layer.Parameters[i]) is not float[][] slots)
                    continue;
                w.WriteStartArray($"{layer.Name}/{names[i]}");
                foreach (float[] slot in slots)
                    WriteFloats(w, null, slot);
                w.WriteEndArray();
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteFloats(Utf8JsonWriter w, string? name, ReadOnlySpan<float> values)
    {
        if (name is null)
            w.WriteStartArray();
        else
            w.WriteStartArray(name);
        foreach (float v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
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
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model file '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement, new JsonFields($"Model file '{path}'"));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"Model file '{path}' is not a valid LstmLab model: {e.Message}", e);
            }
        }
    }

    private static Sequential Read(JsonElement root, JsonFields j)
    {
        string format = j.String(j.Get(root, "", "format"), "format");
        if (format is not (Format or FormatV1))
            throw j.Error("format", $"is '{format}'; expected '{Format}'.");
        JsonElement input = j.Get(root, "", "input");
        int features = j.Int(j.Get(input, "input", "features"), "input.features");
        bool sequence = j.Bool(j.Get(input, "input", "sequence"), "input.sequence");
        int timesteps = sequence && JsonFields.TryGet(input, "timesteps", out JsonElement ts) ? j.Int(ts, "input.timesteps") : 0;
        int? batch = JsonFields.TryGet(input, "batch_size", out JsonElement bs) ? j.Int(bs, "input.batch_size") : null;
        long seed = j.Long(j.Get(root, "", "seed"), "seed");
        var model = new Sequential(sequence ? SampleShape.Sequence(timesteps, features) : SampleShape.Vector(features), batch, seed);
        JsonElement layers = j.Array(j.Get(root, "", "layers"), "layers");
        int index = 0;
        foreach (JsonElement layerElement in layers.EnumerateArray())
        {
            string at = JsonFields.Index("layers", index++);
            Layer layer = CreateLayer(layerElement, at, j);
            model.AddUninitialized(layer);
            JsonElement weights = j.Get(layerElement, at, "weights");
            IReadOnlyList<string> names = WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                string wAt = $"{at}.weights.{names[i]}";
                JsonElement w = j.Get(weights, $"{at}.weights", names[i]);
                int[] shape = j.Ints(j.Get(w, wAt, "shape"), wAt + ".shape");
                if (!shape.AsSpan().SequenceEqual(p.Shape.ToArray()))
                    throw j.Error(wAt, $"(weight '{layer.Name}/{names[i]}') has shape {Shape.Format(shape)} but the layer needs {p.Shape}.");
                float[] values = j.Floats(j.Get(w, wAt, "values"), wAt + ".values");
                if (values.Length != p.Value.Size)
                    throw j.Error(wAt + ".values", $"has {values.Length} values but weight '{layer.Name}/{names[i]}' of shape {p.Shape} needs {p.Value.Size}.");
                p.Assign(values);
            }
        }
        if (JsonFields.TryGet(root, "compile", out JsonElement compile))
            ReadCompile(model, compile, j);
        if (model.Optimizer is Optimizer optimizer && JsonFields.TryGet(root, "training_state", out JsonElement state))
            ReadTrainingState(model, optimizer, state, j);
        if (JsonFields.TryGet(root, "states", out JsonElement states))
            ReadStates(model, states, j);
        return model;
    }

    private static void ReadTrainingState(Sequential model, Optimizer optimizer, JsonElement state, JsonFields j)
    {
        const string t = "training_state";
        long iterations = j.Long(j.Get(state, t, "iterations"), t + ".iterations");
        if (iterations < 0)
            throw j.Error(t + ".iterations", $"is {iterations}; a step count cannot be negative.");
        JsonElement random = j.Array(j.Get(state, t, "shuffle_random"), t + ".shuffle_random");
        if (random.GetArrayLength() != 5)
            throw j.Error(t + ".shuffle_random", $"has {random.GetArrayLength()} entries; expected 4 words and a spare normal.");
        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
        {
            string s = j.String(random[i], JsonFields.Index(t + ".shuffle_random", i));
            if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out words[i]))
                throw j.Error(JsonFields.Index(t + ".shuffle_random", i), $"should be an unsigned 64-bit whole number but is \"{s}\".");
        }
        if ((words[0] | words[1] | words[2] | words[3]) == 0)
            throw j.Error(t + ".shuffle_random", "is all zeros, which is not a state the generator can be in.");
        double? spare = random[4].ValueKind == JsonValueKind.Null ? null : j.Double(random[4], JsonFields.Index(t + ".shuffle_random", 4));
        JsonElement slotsElement = j.Get(state, t, "slots");
        var parameters = new List<Parameter>();
        var slots = new List<float[][]?>();
        foreach (Layer layer in model.Layers)
        {
            IReadOnlyList<string> names = WeightNames(layer);
            for (int i = 0; i < names.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                string key = $"{layer.Name}/{names[i]}";
                parameters.Add(p);
                if (!JsonFields.TryGet(slotsElement, key, out JsonElement entry))
                {
                    slots.Add(null);
                    continue;
                }
                string at = $"{t}.slots.{key}";
                j.Array(entry, at);
                if (entry.GetArrayLength() != optimizer.StateSlotCount)
                    throw j.Error(at, $"has {entry.GetArrayLength()} slots; {optimizer.Name} keeps {optimizer.StateSlotCount} per weight.");
                var buffers = new float[optimizer.StateSlotCount][];
                for (int s = 0; s < buffers.Length; s++)
                {
                    buffers[s] = j.Floats(entry[s], JsonFields.Index(at, s));
                    if (buffers[s].Length != p.Value.Size)
                        throw j.Error(JsonFields.Index(at, s), $"has {buffers[s].Length} values; weight '{key}' has {p.Value.Size}.");
                }
                slots.Add(buffers);
            }
        }
        optimizer.ImportState(iterations, parameters, slots);
        model.ShuffleRandom.State = (words[0], words[1], words[2], words[3], spare);
    }

    private static void ReadStates(Sequential model, JsonElement states, JsonFields j)
    {
        foreach (Layer layer in model.Layers)
        {
            IReadOnlyList<Tensor> current = layer.GetStates();
            if (current.Count == 0 || !JsonFields.TryGet(states, layer.Name, out JsonElement entry))
                continue;
            string at = $"states.{layer.Name}";
            j.Array(entry, at);
            if (entry.GetArrayLength() != current.Count)
                throw j.Error(at, $"has {entry.GetArrayLength()} states; layer '{layer.Name}' carries {current.Count}.");
            var values = new Tensor[current.Count];
            for (int s = 0; s < values.Length; s++)
            {
                float[] data = j.Floats(entry[s], JsonFields.Index(at, s));
                if (data.Length != current[s].Size)
                    throw j.Error(JsonFields.Index(at, s), $"has {data.Length} values; layer '{layer.Name}' carries {current[s].Shape}.");
                values[s] = new Tensor(data, current[s].Shape.ToArray());
            }
            layer.ResetStates(values);
        }
    }
}
