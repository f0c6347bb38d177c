namespace LstmLab.Interchange;

/// <summary>
/// Which file format a path means, by its extension, and the one place that saves and loads each:
/// <list type="table">
/// <item><term><c>.json</c></term><description>LstmLab's own model file (<see cref="ModelFile"/>): save and load.</description></item>
/// </list>
/// </summary>
public static class ModelFormats
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> in the format its extension names.</summary>
    /// <exception cref="ArgumentException">The extension is unknown, a weight is not finite, or the format cannot hold the model.</exception>
    public static void Save(Sequential model, string path, bool includeState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        switch (Kind(path))
        {
            case FileKind.Json:
                ModelFile.Save(model, path, includeState);
                break;
            default:
                throw new ArgumentException($"Cannot save to '{path}': the extension names no model format LstmLab writes (.json).", nameof(path));
        }
    }

    /// <summary>Loads a model from <paramref name="path"/> in the format its extension names.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model of that format.</exception>
    public static Sequential Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Kind(path) switch
        {
            FileKind.Json => ModelFile.Load(path),
            _ => throw new InvalidDataException($"Cannot load '{path}': the extension names no model format LstmLab reads (.json)."),
        };
    }

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
