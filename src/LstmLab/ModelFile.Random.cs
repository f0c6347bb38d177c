using System.Globalization;
using System.Text.Json;
using LstmLab.Interchange;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab;

// The random generators' states in the training state: the shuffle generator and each layer's dropout-mask
// generator, so that a loaded model with dropout resumes training with the same masks as one that never stopped.
internal static partial class ModelFile
{
    private const string LayerRandomKey = "layer_random";

    /// <summary>
    /// Each layer's mask generator by key: a Dropout's and a recurrent layer's under the layer's name, a Bidirectional's
    /// two directions under <c>bidirectional/forward_lstm</c> and <c>bidirectional/backward_lstm</c>.
    /// </summary>
    private static IEnumerable<(string Key, RandomGenerator Random)> LayerRandoms(Sequential model)
    {
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Dropout d:
                    yield return (d.Name, d.MaskRandom);
                    break;
                case Recurrent r:
                    yield return (r.Name, r.DropoutRandom);
                    break;
                case Bidirectional bi:
                    yield return ($"{bi.Name}/{bi.ForwardLayer.Name}", bi.ForwardLayer.DropoutRandom);
                    yield return ($"{bi.Name}/{bi.BackwardLayer.Name}", bi.BackwardLayer.DropoutRandom);
                    break;
            }
        }
    }

    private static void WriteLayerRandoms(Utf8JsonWriter w, Sequential model)
    {
        w.WriteStartObject(LayerRandomKey);
        foreach ((string key, RandomGenerator random) in LayerRandoms(model))
            WriteRandom(w, key, random);
        w.WriteEndObject();
    }

    /// <summary>A generator's state as [s0, s1, s2, s3, spare normal or null].</summary>
    private static void WriteRandom(Utf8JsonWriter w, string name, RandomGenerator random)
    {
        (ulong s0, ulong s1, ulong s2, ulong s3, double? spare) = random.State;
        w.WriteStartArray(name);
        // 64-bit words as decimal strings: JSON numbers lose precision past 2^53 in most readers.
        foreach (ulong word in (ulong[])[s0, s1, s2, s3])
            w.WriteStringValue(word.ToString(CultureInfo.InvariantCulture));
        if (spare is double d)
            w.WriteNumberValue(d);
        else
            w.WriteNullValue();
        w.WriteEndArray();
    }

    private static (ulong, ulong, ulong, ulong, double?) ReadRandom(JsonElement element, string at, JsonFields j)
    {
        j.Array(element, at);
        if (element.GetArrayLength() != 5)
            throw j.Error(at, $"has {element.GetArrayLength()} entries; expected 4 words and a spare normal.");
        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
        {
            string s = j.String(element[i], JsonFields.Index(at, i));
            if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out words[i]))
                throw j.Error(JsonFields.Index(at, i), $"should be an unsigned 64-bit whole number but is \"{s}\".");
        }
        if ((words[0] | words[1] | words[2] | words[3]) == 0)
            throw j.Error(at, "is all zeros, which is not a state the generator can be in.");
        double? spare = element[4].ValueKind == JsonValueKind.Null ? null : j.Double(element[4], JsonFields.Index(at, 4));
        return (words[0], words[1], words[2], words[3], spare);
    }

    /// <summary>
    /// Reads every layer's generator state, all checked before any is set. A file without <c>layer_random</c> (written
    /// before it existed), or without a layer's entry, leaves that generator as loading seeds it: deterministic from
    /// the model's seed, but not a continuation of the saved run's masks.
    /// </summary>
    private static List<(RandomGenerator, (ulong, ulong, ulong, ulong, double?))> ReadLayerRandoms(Sequential model, JsonElement state, string t, JsonFields j)
    {
        var read = new List<(RandomGenerator, (ulong, ulong, ulong, ulong, double?))>();
        if (!JsonFields.TryGet(state, LayerRandomKey, out JsonElement element))
            return read;
        string at = $"{t}.{LayerRandomKey}";
        if (element.ValueKind != JsonValueKind.Object)
            throw j.Error(at, $"should be an object but is {JsonFields.Describe(element)}.");
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, RandomGenerator random) in LayerRandoms(model))
        {
            known.Add(key);
            if (JsonFields.TryGet(element, key, out JsonElement entry))
                read.Add((random, ReadRandom(entry, $"{at}.{key}", j)));
        }
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                throw j.Error($"{at}.{property.Name}", $"names no Dropout or recurrent layer of this model (it has {(known.Count == 0 ? "none" : string.Join(", ", known))}).");
        }
        return read;
    }
}
