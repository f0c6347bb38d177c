using System.Globalization;
using System.Text.Json;

namespace LstmLab.Interchange;

/// <summary>
/// Typed reads from a JSON document that fail with an <see cref="InvalidDataException"/> naming the file, the
/// key's path (<c>layers[1].config.units</c>) and what was expected versus found, instead of .NET's generic
/// "The requested operation requires an element of type 'Number'".
/// </summary>
internal readonly struct JsonFields
{
    public JsonFields(string file) => File = file;

    /// <summary>The file named in errors.</summary>
    public string File { get; }

    public InvalidDataException Error(string path, string message) => new($"{File}: '{path}' {message}");

    public JsonElement Get(JsonElement element, string path, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(path, $"should be an object but is {Describe(element)}.");
        if (!element.TryGetProperty(name, out JsonElement value))
            throw Error(Join(path, name), "is missing.");
        return value;
    }

    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");

    public int Int(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value))
            throw Error(path, $"should be a whole number but is {Describe(element)}.");
        return value;
    }

    public long Long(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value))
            throw Error(path, $"should be a whole number but is {Describe(element)}.");
        return value;
    }

    public double Double(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double value) || !double.IsFinite(value))
            throw Error(path, $"should be a finite number but is {Describe(element)}.");
        return value;
    }

    public bool Bool(JsonElement element, string path)
    {
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Error(path, $"should be true or false but is {Describe(element)}.");
        return element.GetBoolean();
    }

    public string String(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
            throw Error(path, $"should be a string but is {Describe(element)}.");
        return element.GetString()!;
    }

    public JsonElement Array(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Error(path, $"should be an array but is {Describe(element)}.");
        return element;
    }

    /// <summary>An array of numbers as float32, refusing any value that is not a number or lies outside float32's range.</summary>
    public float[] Floats(JsonElement element, string path)
    {
        Array(element, path);
        var values = new float[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in element.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number)
                throw Error(Index(path, i), $"should be a number but is {Describe(e)}.");
            if (!e.TryGetDouble(out double d))
                throw Error(Index(path, i), $"is {Describe(e)}, outside float32's range (±3.4028235E+38).");
            values[i] = ToFloat32(d, Index(path, i));
            i++;
        }
        return values;
    }

    /// <summary>Converts to float32, refusing a value outside its range (|x| &gt; 3.4028235e38) rather than making it infinite.</summary>
    public float ToFloat32(double value, string path)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
            throw Error(path, $"is {value.ToString("R", CultureInfo.InvariantCulture)}, outside float32's range (±3.4028235E+38).");
        return (float)value;
    }

    public int[] Ints(JsonElement element, string path)
    {
        Array(element, path);
        var values = new int[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in element.EnumerateArray())
        {
            values[i] = Int(e, Index(path, i));
            i++;
        }
        return values;
    }

    /// <summary>A short description of a JSON value for error messages (kind and, for scalars, the value cut to 40 characters).</summary>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.String => $"the string \"{Cut(e.GetString()!)}\"",
        _ => Cut(e.GetRawText()),
    };

    private static string Cut(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
