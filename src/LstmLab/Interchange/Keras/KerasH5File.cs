using System.Text;
using System.Text.Json;
using LstmLab.Layers;
using PureHDF;
using PureHDF.VOL.Native;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// Keras 2's full-model HDF5 file (<c>model.save("x.h5")</c>; Keras 3 still reads and writes it as "legacy h5").
/// <para>Layout (checked against the Keras 2.2.4 file in <c>tests/…/Fixtures/keras</c> and Keras 3's
/// <c>legacy_h5_format.py</c>): root attributes <c>keras_version</c>, <c>backend</c>, <c>model_config</c> (JSON) and
/// <c>training_config</c> (JSON); group <c>model_weights</c> with attribute <c>layer_names</c>; per layer a group
/// with attribute <c>weight_names</c> (paths relative to it, e.g. <c>lstm_1/kernel:0</c> in Keras 2.2.4,
/// <c>lstm/lstm_cell/kernel:0</c> in tf.keras 2) and those datasets; optionally <c>optimizer_weights</c> with its own
/// <c>weight_names</c>. Keras reads weights by these names in order, so LstmLab does too.</para>
/// <para>Written files are tf.keras-2-style (an InputLayer with <c>batch_input_shape</c>, <c>keras_version</c> 2.15.0,
/// so <c>hard_sigmoid</c> means Keras 2's): Keras 2.3+, tf.keras 2 and Keras 3 read that.</para>
/// </summary>
internal static class KerasH5File
{
    /// <summary>The Keras version written into .h5 files: the last tf.keras 2, whose layout this is.</summary>
    public const string WrittenVersion = "2.15.0";

    public static Sequential Load(string path, List<string> notes)
    {
        string file = $"Keras file '{path}'";
        using NativeFile h5 = H5.Open(File.OpenRead(path), file);
        string? configText = H5.StringAttribute(h5, "model_config", file);
        if (configText is null)
        {
            if (H5.Exists(h5, "layers") || H5.Exists(h5, "model_weights") || h5.AttributeExists("layer_names"))
                throw new InvalidDataException($"{file} holds weights only (no model_config); name it .weights.h5 and load it onto a model built in code (Sequential.LoadWeights).");
            throw new InvalidDataException($"{file} has no model_config attribute: it is not a Keras full-model file.");
        }
        string? version = H5.StringAttribute(h5, "keras_version", file);
        KerasDialect dialect = KerasVersion.DialectOf(version, file);
        KerasModel km = ParseConfig(configText, dialect, file, KerasVersion.IsMultiBackend(version));
        Sequential model = km.Model;
        IH5Group weights = H5.Exists(h5, "model_weights") ? H5.Group(h5, "model_weights", file) : h5;
        ReadWeights(model, weights, file);
        string? training = H5.StringAttribute(h5, "training_config", file);
        if (training is not null)
        {
            using JsonDocument doc = Parse(training, file, "training_config");
            KerasCompileConfig.Read(model, doc.RootElement, notes, KerasVersion.IsMultiBackend(version));
            if (model.Optimizer is not null && H5.Exists(h5, "optimizer_weights"))
            {
                IH5Group g = H5.Group(h5, "optimizer_weights", file);
                string[] names = H5.StringsAttribute(g, "weight_names", file);
                var vars = names.Select(n => H5.Dataset(g, n, file)).ToList();
                KerasOptimizerState.TryImport(model, vars, file, notes, keras3: dialect == KerasDialect.Keras3);
            }
        }
        else
        {
            notes.Add("no training_config: the model is loaded uncompiled.");
        }
        return model;
    }

    /// <summary>Loads only the weights of a Keras 2 .h5 (full model or <c>save_weights</c>) onto a model built in code.</summary>
    public static void LoadWeightsOnly(Sequential model, string path)
    {
        string file = $"Keras file '{path}'";
        using NativeFile h5 = H5.Open(File.OpenRead(path), file);
        IH5Group weights = H5.Exists(h5, "model_weights") ? H5.Group(h5, "model_weights", file) : h5;
        ReadWeights(model, weights, file);
    }

    internal static KerasModel ParseConfig(string json, KerasDialect dialect, string file, bool multiBackend)
    {
        using JsonDocument doc = Parse(json, file, "model_config");
        return KerasConfig.Read(doc.RootElement.Clone(), dialect, new JsonFields(file), multiBackend);
    }

    private static JsonDocument Parse(string json, string file, string what)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: {what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", e);
        }
    }

    /// <summary>Keras 2's topological loading: the layers with weights, in order, take the groups in <c>layer_names</c> that list weights.</summary>
    internal static void ReadWeights(Sequential model, IH5Group group, string file)
    {
        string[] layerNames = H5.StringsAttribute(group, "layer_names", file);
        var withWeights = new List<(string Name, IH5Group Group, string[] Weights)>();
        foreach (string name in layerNames)
        {
            if (!H5.Exists(group, name))
                throw new InvalidDataException($"{file}: layer_names lists '{name}' but there is no such group.");
            IH5Group g = H5.Group(group, name, file);
            string[] w = H5.StringsAttribute(g, "weight_names", file);
            if (w.Length > 0)
                withWeights.Add((name, g, w));
        }
        var layers = model.Layers.Where(l => l.Parameters.Count > 0).ToList();
        if (withWeights.Count != layers.Count)
            throw new InvalidDataException($"{file}: the model has {layers.Count} layers with weights but the file holds weights for {withWeights.Count} ({string.Join(", ", withWeights.Select(x => x.Name))}).");
        for (int i = 0; i < layers.Count; i++)
            H5.AssignWeights(layers[i], withWeights[i].Group, withWeights[i].Weights, file, $"group '{withWeights[i].Name}'");
    }

    public static void Save(Sequential model, string path)
    {
        string modelConfig = Json(w => KerasConfig.Write(w, model, KerasDialect.Keras2));
        var root = new H5File
        {
            Attributes = new()
            {
                ["keras_version"] = WrittenVersion,
                ["backend"] = "tensorflow",
                ["model_config"] = modelConfig,
            },
        };
        if (model.Loss is not null && model.Optimizer is not null)
            root.Attributes["training_config"] = Json(w => KerasCompileConfig.Write(w, model, KerasDialect.Keras2));
        var weights = new H5Group
        {
            Attributes = new()
            {
                ["layer_names"] = model.Layers.Select(l => l.Name).ToArray(),
                ["backend"] = "tensorflow",
                ["keras_version"] = WrittenVersion,
            },
        };
        foreach (Layer layer in model.Layers)
            weights[layer.Name] = LayerGroup(layer);
        root["model_weights"] = weights;
        if (KerasOptimizerState.ExportKeras3(model) is { } vars)
        {
            var g = new H5Group { Attributes = new() { ["weight_names"] = vars.Select(v => v.Name).ToArray() } };
            foreach ((string name, object data) in vars)
                Put(g, name, data);
            root["optimizer_weights"] = g;
        }
        AtomicFile.Write(path, stream => root.Write(stream));
    }

    private static H5Group LayerGroup(Layer layer)
    {
        IReadOnlyList<string> names = KerasLayerMappers.ForLayer(layer).Keras2WeightNames(layer);
        var group = new H5Group();
        if (names.Count > 0)
            group.Attributes = new() { ["weight_names"] = names.ToArray() };
        for (int i = 0; i < names.Count; i++)
        {
            Parameter p = layer.Parameters[i];
            Put(group, names[i], new H5Dataset(p.Value.ToArray(), fileDims: p.Shape.ToArray().Select(d => (ulong)d).ToArray()));
        }
        return group;
    }

    /// <summary>Puts data at a slash-separated path below <paramref name="group"/>, creating the groups between.</summary>
    internal static void Put(H5Group group, string path, object? data)
    {
        string[] parts = path.Split('/');
        H5Group g = group;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!g.TryGetValue(parts[i], out object? child) || child is not H5Group sub)
            {
                sub = new H5Group();
                g[parts[i]] = sub;
            }
            g = sub;
        }
        if (parts[^1].Length == 0)
            return;   // "a/b/": the groups only
        g[parts[^1]] = data switch
        {
            long l => new H5Dataset(l, fileDims: []),
            float f => new H5Dataset(f, fileDims: []),
            _ => data!,
        };
    }

    internal static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
