using LstmLab.Interchange.Keras;

namespace LstmLab.Interchange;

/// <summary>
/// Which file format a path means, by its extension, and the one place that saves and loads each:
/// <list type="table">
/// <item><term><c>.json</c></term><description>LstmLab's own model file: everything, including optimizer state and (on request) carried state.</description></item>
/// <item><term><c>.keras</c></term><description>Keras 3's zip (config, weights, compile settings, optimizer variables).</description></item>
/// <item><term><c>.weights.h5</c></term><description>Keras 3's weights only, onto a model built in code (<see cref="Sequential.LoadWeights"/>).</description></item>
/// <item><term><c>.h5</c>, <c>.hdf5</c></term><description>Keras 2's full-model HDF5 (also Keras 3's legacy h5).</description></item>
/// <item><term><c>.onnx</c></term><description>ONNX, written only (<see cref="Onnx.OnnxExporter"/>).</description></item>
/// </list>
/// A Keras file with a layer or option LstmLab lacks is refused, naming the layer, the option and its value.
/// </summary>
public static class ModelFormats
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> in the format its extension names (atomically).</summary>
    /// <param name="includeState">Keep the stateful layers' carried state (LstmLab's .json only; Keras files do not hold it).</param>
    /// <exception cref="ArgumentException">The extension is unknown, a weight is not finite, or the format cannot hold a layer or option of the model (named).</exception>
    public static void Save(Sequential model, string path, bool includeState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileKind kind = Kind(path);
        if (kind == FileKind.Unknown)
            throw new ArgumentException($"Cannot save to '{path}': the extension names no model format (use .json, .keras, .weights.h5, .h5 or .onnx).", nameof(path));
        if (includeState && kind != FileKind.Json)
            throw new ArgumentException($"Cannot keep the carried state in '{path}': only LstmLab's .json model file holds it.", nameof(includeState));
        ModelFile.CheckFinite(model, includeState);
        switch (kind)
        {
            case FileKind.Json:
                ModelFile.Save(model, path, includeState);
                break;
            case FileKind.Keras:
                KerasV3File.SaveKeras(model, path);
                break;
            case FileKind.KerasWeights:
                KerasV3File.SaveWeights(model, path);
                break;
            case FileKind.KerasH5:
                KerasH5File.Save(model, path);
                break;
            default:
                Onnx.OnnxExporter.Save(model, path);
                break;
        }
    }

    /// <summary>Loads a model from <paramref name="path"/> in the format its extension names.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model of that format, or holds something LstmLab lacks.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Sequential Load(string path) => Load(path, out _);

    /// <summary>
    /// Loads a model and says what of the file was not taken over (compile settings LstmLab lacks, optimizer state
    /// of another layout) or was (the optimizer step read) in <paramref name="notes"/>, one sentence each.
    /// </summary>
    public static Sequential Load(string path, out IReadOnlyList<string> notes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new InvalidDataException($"Model file '{path}' is a directory.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        var list = new List<string>();
        notes = list;
        return Kind(path) switch
        {
            FileKind.Json => ModelFile.Load(path),
            FileKind.Keras => KerasV3File.LoadKeras(path, list),
            FileKind.KerasH5 => KerasH5File.Load(path, list),
            FileKind.KerasWeights => throw new InvalidDataException($"'{path}' holds Keras weights only: build the model in code and call LoadWeights, or load a .keras or .h5 file."),
            FileKind.Onnx => throw new InvalidDataException($"Cannot load '{path}': LstmLab writes ONNX but does not read it."),
            _ => throw new InvalidDataException($"Cannot load '{path}': the extension names no model format LstmLab reads (.json, .keras, .h5)."),
        };
    }

    /// <summary>Loads weights (and optimizer variables, when the model is compiled) from a Keras 3 <c>.weights.h5</c> or a Keras 2 <c>.h5</c>.</summary>
    public static IReadOnlyList<string> LoadWeights(Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        var notes = new List<string>();
        switch (Kind(path))
        {
            case FileKind.KerasWeights:
                KerasV3File.LoadWeights(model, path, notes);
                break;
            case FileKind.KerasH5:
                KerasH5File.LoadWeightsOnly(model, path);
                break;
            default:
                throw new InvalidDataException($"Cannot load weights from '{path}': expected a Keras .weights.h5 or .h5 file.");
        }
        return notes;
    }

    /// <summary>Whether <see cref="Save"/> knows the format <paramref name="path"/>'s extension names.</summary>
    public static bool IsKnownExtension(string path) => Kind(path) != FileKind.Unknown;

    internal enum FileKind
    {
        Unknown,
        Json,
        Keras,
        KerasWeights,
        KerasH5,
        Onnx,
    }

    internal static FileKind Kind(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".weights.h5", StringComparison.Ordinal))
            return FileKind.KerasWeights;
        return Path.GetExtension(name) switch
        {
            ".json" => FileKind.Json,
            ".keras" => FileKind.Keras,
            ".h5" or ".hdf5" => FileKind.KerasH5,
            ".onnx" => FileKind.Onnx,
            _ => FileKind.Unknown,
        };
    }
}
