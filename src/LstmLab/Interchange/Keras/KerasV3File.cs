using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LstmLab.Layers;
using PureHDF;
using PureHDF.VOL.Native;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// Keras 3's native files, laid out as <c>keras/src/saving/saving_lib.py</c> writes them:
/// <list type="bullet">
/// <item><c>.keras</c>: a zip of <c>metadata.json</c> (<c>keras_version</c>, <c>date_saved</c>), <c>config.json</c> (the
/// model's serialized config, with <c>compile_config</c> when compiled) and <c>model.weights.h5</c>.</item>
/// <item><c>.weights.h5</c> (and <c>model.weights.h5</c> inside the zip): per layer of the Sequential, in order, a group
/// <c>layers/&lt;class in snake case&gt;[_n]</c> (<c>lstm</c>, <c>lstm_1</c>, <c>dense</c>: named by class and position,
/// not by the layer's name), its variables as datasets <c>0</c>, <c>1</c>, … below <c>vars</c> (a recurrent layer's below
/// <c>cell/vars</c>, a Bidirectional's below <c>forward_layer/cell/vars</c> and <c>backward_layer/cell/vars</c>:
/// <see cref="Keras3Layout"/>); the optimizer's below <c>optimizer/vars</c> (<see cref="KerasOptimizerState"/>).</item>
/// </list>
/// Checked against the three Keras 3 weight files in <c>../shared/keras-files</c>.
/// </summary>
internal static class KerasV3File
{
    /// <summary>The version written into metadata.json: the Keras whose saving_lib.py this layout follows.</summary>
    public const string WrittenVersion = "3.16.0";

    public static Sequential LoadKeras(string path, List<string> notes)
    {
        string file = $"Keras file '{path}'";
        using ZipArchive zip = OpenZip(path, file);
        string metadata = ReadText(zip, "metadata.json", file);
        string? version;
        using (JsonDocument meta = ParseJson(metadata, file, "metadata.json"))
            version = JsonFields.TryGet(meta.RootElement, "keras_version", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        KerasDialect dialect = KerasVersion.DialectOf(version, file);
        using JsonDocument config = ParseJson(ReadText(zip, "config.json", file), file, "config.json");
        KerasModel km = KerasConfig.Read(config.RootElement, dialect, new JsonFields($"{file} (config.json)"));
        Sequential model = km.Model;
        if (JsonFields.TryGet(config.RootElement, "compile_config", out JsonElement compile))
            KerasCompileConfig.Read(model, compile, notes);
        else
            notes.Add("no compile_config: the model is loaded uncompiled.");
        ZipArchiveEntry entry = zip.GetEntry("model.weights.h5")
            ?? throw new InvalidDataException($"{file} has no model.weights.h5 (it holds {string.Join(", ", zip.Entries.Select(e => e.FullName))}).");
        var bytes = new MemoryStream();
        try
        {
            using Stream s = entry.Open();
            s.CopyTo(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file}: model.weights.h5 cannot be unpacked ({e.Message.TrimEnd('.')}); the file is damaged.", e);
        }
        bytes.Position = 0;
        using NativeFile h5 = H5.Open(bytes, $"{file} (model.weights.h5)");
        ReadWeights(model, h5, $"{file} (model.weights.h5)", notes);
        return model;
    }

    /// <summary>Loads a Keras 3 <c>.weights.h5</c> onto a model built in code (Keras <c>model.load_weights</c>).</summary>
    public static void LoadWeights(Sequential model, string path, List<string> notes)
    {
        string file = $"Keras weights file '{path}'";
        using NativeFile h5 = H5.Open(File.OpenRead(path), file);
        ReadWeights(model, h5, file, notes);
    }

    private static void ReadWeights(Sequential model, NativeFile h5, string file, List<string> notes)
    {
        if (!H5.Exists(h5, "layers"))
            throw new InvalidDataException($"{file} has no 'layers' group: it is not a Keras 3 weights file.");
        IH5Group layers = H5.Group(h5, "layers", file);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach ((Layer layer, string group) in GroupNames(model))
        {
            expected.Add(group);
            Keras3Layout layout = KerasLayerMappers.ForLayer(layer).Keras3Layout(layer);
            if (layout.Weights.Count == 0)
                continue;
            string first = layout.Weights[0][..layout.Weights[0].LastIndexOf('/')];
            if (!H5.Exists(layers, group) || !H5.Exists(layers, $"{group}/{first}"))
                throw new InvalidDataException($"{file}: there are no weights for layer '{layer.Name}' ({layer.TypeName}) at 'layers/{group}/{first}'; the file holds {string.Join(", ", layers.Children().Select(c => c.Name))}.");
            // Keras's Layer._check_load_own_variables: each vars group holds exactly the variables of its layer.
            foreach (IGrouping<string, string> vars in layout.Weights.GroupBy(w => w[..w.LastIndexOf('/')]))
            {
                string path = $"{group}/{vars.Key}";
                int held = H5.Exists(layers, path) ? H5.Group(layers, path, file).Children().Count() : 0;
                if (held != vars.Count())
                    throw new InvalidDataException($"{file}: layer '{layer.Name}' ({layer.TypeName}) needs {vars.Count()} weights at 'layers/{path}' but it holds {held}.");
            }
            H5.AssignWeights(layer, layers, [.. layout.Weights.Select(w => $"{group}/{w}")], file, $"'layers/{group}'");
        }
        foreach (IH5Object child in layers.Children())
        {
            if (!expected.Contains(child.Name) && HoldsData(child))
                throw new InvalidDataException($"{file}: 'layers/{child.Name}' holds weights of a layer the model does not have (its layers are {string.Join(", ", expected)}).");
        }
        if (model.Optimizer is not null && H5.Exists(h5, "optimizer/vars"))
        {
            IH5Group g = H5.Group(h5, "optimizer/vars", file);
            int n = g.Children().Count();
            var vars = Enumerable.Range(0, n).Select(i => H5.Dataset(g, i.ToString(CultureInfo.InvariantCulture), file)).ToList();
            KerasOptimizerState.TryImport(model, vars, file, notes, keras3: true);
        }
    }

    private static bool HoldsData(IH5Object obj) => obj switch
    {
        IH5Dataset => true,
        IH5Group g => g.Children().Any(HoldsData),
        _ => false,
    };

    /// <summary>Keras 3's group name of each layer: its class in snake case, numbered from the second of a class on.</summary>
    private static IEnumerable<(Layer Layer, string Group)> GroupNames(Sequential model)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Layer layer in model.Layers)
        {
            string snake = SnakeCase(KerasLayerMappers.ForLayer(layer).ClassName);
            int n = used.TryGetValue(snake, out int seen) ? seen + 1 : 0;
            used[snake] = n;
            yield return (layer, n == 0 ? snake : $"{snake}_{n.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Keras's <c>naming.to_snake_case</c> for the class names LstmLab maps: LSTM → lstm, SimpleRNN → simple_rnn.</summary>
    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    public static void SaveKeras(Sequential model, string path)
    {
        string config = KerasH5File.Json(w => KerasConfig.Write(w, model, KerasDialect.Keras3));
        string metadata = KerasH5File.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("keras_version", WrittenVersion);
            w.WriteString("date_saved", DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
        var weights = new MemoryStream();
        WeightsFile(model).Write(weights);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(zip, "metadata.json", Encoding.UTF8.GetBytes(metadata));
            Add(zip, "config.json", Encoding.UTF8.GetBytes(config));
            Add(zip, "model.weights.h5", weights.ToArray());
        });
    }

    public static void SaveWeights(Sequential model, string path)
    {
        H5File file = WeightsFile(model);
        AtomicFile.Write(path, stream => file.Write(stream));
    }

    private static H5File WeightsFile(Sequential model)
    {
        var layers = new H5Group();
        foreach ((Layer layer, string group) in GroupNames(model))
        {
            Keras3Layout layout = KerasLayerMappers.ForLayer(layer).Keras3Layout(layer);
            var g = new H5Group();
            foreach (string empty in layout.Groups)
                KerasH5File.Put(g, empty + "/", null);
            for (int i = 0; i < layout.Weights.Count; i++)
            {
                Parameter p = layer.Parameters[i];
                KerasH5File.Put(g, layout.Weights[i], new H5Dataset(p.Value.ToArray(), fileDims: [.. p.Shape.ToArray().Select(d => (ulong)d)]));
            }
            layers[group] = g;
        }
        var file = new H5File { ["layers"] = layers, ["vars"] = new H5Group() };
        if (KerasOptimizerState.ExportKeras3(model) is { } optimizerVars)
        {
            var vars = new H5Group();
            for (int i = 0; i < optimizerVars.Count; i++)
                KerasH5File.Put(vars, i.ToString(CultureInfo.InvariantCulture), optimizerVars[i].Data);
            file["optimizer"] = new H5Group { ["vars"] = vars };
        }
        return file;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using Stream s = entry.Open();
        s.Write(bytes);
    }

    private static ZipArchive OpenZip(string path, string file)
    {
        Stream stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"{file} is not a readable zip archive ({e.Message.TrimEnd('.')}); a .keras file is a zip, and this one is damaged or truncated.", e);
        }
    }

    private static string ReadText(ZipArchive zip, string name, string file)
    {
        ZipArchiveEntry entry = zip.GetEntry(name)
            ?? throw new InvalidDataException($"{file} has no {name} (it holds {string.Join(", ", zip.Entries.Select(e => e.FullName))}).");
        try
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file}: {name} cannot be unpacked ({e.Message.TrimEnd('.')}); the file is damaged.", e);
        }
    }

    private static JsonDocument ParseJson(string json, string file, string what)
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
}
