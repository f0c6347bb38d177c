using System.Globalization;
using System.Text.Json;

namespace LstmLab.Interchange.Keras;

/// <summary>Which Keras wrote (or will read) a file: decides the meaning of <c>hard_sigmoid</c> and the config layout.</summary>
internal enum KerasDialect
{
    /// <summary>Keras 1/2 and tf.keras 2.x: <c>hard_sigmoid</c> = clip(0.2·x + 0.5, 0, 1); configs without "module" keys.</summary>
    Keras2,
    /// <summary>Keras 3: <c>hard_sigmoid</c> = clip(x/6 + 0.5, 0, 1); configs with "module" and "registered_name".</summary>
    Keras3,
}

/// <summary>One layer's entry in a Keras model config, with what a mapper needs to refuse it precisely.</summary>
/// <param name="MultiBackend">Written by multi-backend Keras (keras_version up to 2.3.x without "-tf"): its defaults
/// differ from tf.keras's and Keras 3's (GRU reset_after false, recurrent activation hard_sigmoid) and its RNNs
/// repeat the previous output at a masked step even inside Bidirectional.</param>
internal sealed record KerasLayerEntry(string ClassName, string Name, JsonElement Config, string Path, KerasDialect Dialect, JsonFields Fields, bool MaskUpstream, bool MultiBackend = false)
{
    /// <summary>Refuses the file: names the layer, the option and its value.</summary>
    public InvalidDataException Unsupported(string option, string value, string why) =>
        new($"{Fields.File}: layer '{Name}' ({ClassName}) has {option} = {value}; {why}");

    public bool TryGet(string key, out JsonElement value) => JsonFields.TryGet(Config, key, out value);

    /// <summary>Refuses the layer unless the option is absent, null or <paramref name="allowed"/>.</summary>
    public void Require(string key, object allowed, string why)
    {
        if (!TryGet(key, out JsonElement v))
            return;
        bool ok = allowed switch
        {
            bool b => v.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
            double d => v.ValueKind == JsonValueKind.Number && v.GetDouble() == d,
            string s => v.ValueKind == JsonValueKind.String && v.GetString() == s,
            _ => false,
        };
        if (!ok)
            throw Unsupported(key, v.GetRawText(), why);
    }

    /// <summary>Refuses the layer when the option is set to anything but null (regularizers, constraints).</summary>
    public void RequireNull(string key, string why)
    {
        if (TryGet(key, out JsonElement v))
            throw Unsupported(key, v.GetRawText(), why);
    }

    /// <summary>The entry of a layer nested in this one's config (Bidirectional's <c>layer</c>), read as a layer of the same file.</summary>
    public KerasLayerEntry Nested(string key)
    {
        JsonElement nested = Fields.Get(Config, Path, key);
        string at = JsonFields.Join(Path, key);
        string cls = Fields.String(Fields.Get(nested, at, "class_name"), at + ".class_name");
        JsonElement c = Fields.Get(nested, at, "config");
        string name = JsonFields.TryGet(c, "name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : cls.ToLowerInvariant();
        return new KerasLayerEntry(cls, name, c, at + ".config", Dialect, Fields, MaskUpstream: false, MultiBackend);
    }

    /// <summary>A number option in [0, 1) (a dropout rate), or <paramref name="fallback"/> when absent.</summary>
    public double Fraction(string key, double fallback)
    {
        if (!TryGet(key, out JsonElement v))
            return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !(d >= 0 && d < 1))
            throw Unsupported(key, v.GetRawText(), "it must be a number in [0, 1).");
        return d;
    }

    public int Int(string key) => Fields.Int(Fields.Get(Config, Path, key), JsonFields.Join(Path, key));

    public bool Bool(string key, bool fallback) => TryGet(key, out JsonElement v) ? Fields.Bool(v, JsonFields.Join(Path, key)) : fallback;

    /// <summary>An activation name: Keras 2 writes a string, Keras 3 a string or {"class_name": ..., "config": {"name": ...}}.</summary>
    public string Activation(string key, string fallback)
    {
        if (!TryGet(key, out JsonElement v))
            return fallback;
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString()!;
        if (JsonFields.TryGet(v, "config", out JsonElement c) && JsonFields.TryGet(c, "name", out JsonElement n) && n.ValueKind == JsonValueKind.String)
            return n.GetString()!;
        if (JsonFields.TryGet(v, "class_name", out JsonElement cn) && cn.ValueKind == JsonValueKind.String)
            return cn.GetString()!;
        throw Unsupported(key, v.GetRawText(), "LstmLab reads activations given by name only.");
    }
}

/// <summary>Version strings of Keras files.</summary>
internal static class KerasVersion
{
    /// <summary>
    /// Whether the version is multi-backend Keras (1.x, 2.0 to 2.3.x), not tf.keras (whose versions end in "-tf" or
    /// start at 2.4) nor Keras 3.
    /// </summary>
    public static bool IsMultiBackend(string? version)
    {
        if (string.IsNullOrWhiteSpace(version) || version.EndsWith("-tf", StringComparison.Ordinal))
            return false;
        string[] parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            && (major < 2 || (major == 2 && minor <= 3));
    }

    /// <summary>Keras 3 and later read hard_sigmoid as x/6 + 0.5; Keras 1 and 2 as 0.2·x + 0.5.</summary>
    public static KerasDialect DialectOf(string? version, string file)
    {
        if (string.IsNullOrWhiteSpace(version))
            throw new InvalidDataException($"{file}: the file does not say which Keras wrote it (no keras_version), so hard_sigmoid's meaning is unknown.");
        string major = version.Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out int m))
            throw new InvalidDataException($"{file}: keras_version '{version}' is not a version number.");
        return m >= 3 ? KerasDialect.Keras3 : KerasDialect.Keras2;
    }
}
