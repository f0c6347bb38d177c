namespace LstmLab.Interchange.Onnx;

/// <summary>Exports a Sequential model to ONNX.</summary>
public static class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> as ONNX.</summary>
    public static void Save(Sequential model, string path) => throw new NotSupportedException($"ONNX export of '{path}' is not built yet ({model.Layers.Count} layers).");
}
