using LstmLab.Layers;
using LstmLab.Numerics;
using PureHDF;
using PureHDF.VOL.Native;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// The HDF5 reads LstmLab needs, through PureHDF (managed, no native HDF5): groups and datasets by path, string
/// attributes (variable or fixed length, scalar or array, as h5py writes them), float weights checked against
/// the shape and range they must have. Every failure is an <see cref="InvalidDataException"/> naming the file
/// and the HDF5 path.
/// </summary>
internal static class H5
{
    /// <summary>Opens HDF5 bytes; a file that is not HDF5 (or truncated) is named as such.</summary>
    public static NativeFile Open(Stream stream, string file)
    {
        try
        {
            return H5File.Open(stream, leaveOpen: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stream.Dispose();
            throw new InvalidDataException($"{file} is not a readable HDF5 file ({e.Message.TrimEnd('.')}).", e);
        }
    }

    public static bool Exists(IH5Group group, string path)
    {
        try
        {
            return group.LinkExists(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    public static IH5Group Group(IH5Group group, string path, string file) => Guard(() => group.Group(path), file, path, "group");

    public static IH5Dataset Dataset(IH5Group group, string path, string file) => Guard(() => group.Dataset(path), file, path, "dataset");

    /// <summary>A string attribute (scalar), or null when absent.</summary>
    public static string? StringAttribute(IH5Object obj, string name, string file)
    {
        if (!obj.AttributeExists(name))
            return null;
        return Guard(() =>
        {
            IH5Attribute a = obj.Attribute(name);
            return a.Space.Dimensions.Length == 0 ? a.Read<string>() : a.Read<string[]>().FirstOrDefault();
        }, file, $"{obj.Name}@{name}", "string attribute");
    }

    /// <summary>A string-array attribute (h5py writes both vlen and fixed-length strings), or empty when absent.</summary>
    public static string[] StringsAttribute(IH5Object obj, string name, string file)
    {
        if (!obj.AttributeExists(name))
            return [];
        return Guard(() =>
        {
            IH5Attribute a = obj.Attribute(name);
            return a.Space.Dimensions.Length == 0 ? [a.Read<string>()] : a.Read<string[]>();
        }, file, $"{obj.Name}@{name}", "string-array attribute");
    }

    /// <summary>The dimensions of a dataset as ints.</summary>
    public static int[] Dims(IH5Dataset ds) => ds.Space.Dimensions.Select(d => checked((int)d)).ToArray();

    /// <summary>
    /// A float dataset read into float32: float32 as is, float64 converted (refusing values outside float32's range);
    /// integer or string data, a wrong shape or a non-finite value are refused, naming the path.
    /// </summary>
    public static float[] Floats(IH5Dataset ds, string path, Shape expected, string file, string what)
    {
        int[] dims = Dims(ds);
        if (!dims.AsSpan().SequenceEqual(expected.ToArray()))
            throw new InvalidDataException($"{file}: {what} at '{path}' has shape {Shape.Format(dims)} but the layer needs {expected}.");
        if (ds.Type.Class != H5DataTypeClass.FloatingPoint || ds.Type.Size is not (4 or 8))
            throw new InvalidDataException($"{file}: {what} at '{path}' holds {ds.Type.Class} data of {ds.Type.Size} bytes; expected float32 or float64.");
        float[] values;
        if (ds.Type.Size == 4)
        {
            values = Guard(() => ds.Read<float[]>(), file, path, "dataset");
        }
        else
        {
            double[] d = Guard(() => ds.Read<double[]>(), file, path, "dataset");
            values = new float[d.Length];
            for (int i = 0; i < d.Length; i++)
            {
                if (Math.Abs(d[i]) > float.MaxValue && double.IsFinite(d[i]))
                    throw new InvalidDataException($"{file}: {what} at '{path}' holds {d[i]:R} at index {i}, outside float32's range (±3.4028235E+38).");
                values[i] = (float)d[i];
            }
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException($"{file}: {what} at '{path}' holds {values[i]} at index {i}; weights must be finite numbers.");
        }
        return values;
    }

    /// <summary>Reads the datasets at <paramref name="paths"/> into the parameters of <paramref name="layer"/>, in order.</summary>
    public static void AssignWeights(Layer layer, IH5Group group, IReadOnlyList<string> paths, string file, string where)
    {
        IReadOnlyList<Parameter> parameters = layer.Parameters;
        if (paths.Count != parameters.Count)
            throw new InvalidDataException($"{file}: layer '{layer.Name}' ({layer.TypeName}) needs {parameters.Count} weights ({string.Join(", ", parameters.Select(p => p.Name))}) but {where} holds {paths.Count}.");
        for (int i = 0; i < paths.Count; i++)
        {
            if (!Exists(group, paths[i]))
                throw new InvalidDataException($"{file}: weight '{paths[i]}' of layer '{layer.Name}' is missing ({where}).");
            IH5Dataset ds = Dataset(group, paths[i], file);
            parameters[i].Assign(Floats(ds, paths[i], parameters[i].Shape, file, $"weight '{layer.Name}/{parameters[i].Name}'"));
        }
    }

    private static T Guard<T>(Func<T> read, string file, string path, string what)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{file}: cannot read the {what} '{path}' ({e.Message.TrimEnd('.')}).", e);
        }
    }
}
