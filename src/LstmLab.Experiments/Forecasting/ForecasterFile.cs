using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmLab.Data;
using LstmLab.Experiments.Harness;
using LstmLab.Numerics;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// A trained forecaster saved with everything needed to use it on new data (<c>lstmlab forecast --save</c>,
/// <c>lstmlab predict --model</c>): the column names (inputs and targets), the label column's name, every
/// setting of the schema (differencing, scaling, lags, strategy, horizon, …), the scaler fitted on the
/// training rows, and the network (the <see cref="Sequential"/> model file, embedded). JSON, written atomically.
/// </summary>
public static class ForecasterFile
{
    /// <summary>The format tag of the file.</summary>
    public const string Format = "lstmlab.forecaster/1";

    /// <summary>Writes <paramref name="forecaster"/> to <paramref name="path"/>.</summary>
    public static void Save(LstmForecaster forecaster, string path)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ForecastData data = forecaster.Data;
        string temp = Path.Combine(Path.GetTempPath(), "lstmlab-model-" + Guid.NewGuid().ToString("N") + ".json");
        JsonNode model;
        try
        {
            forecaster.Model.Save(temp);
            model = JsonNode.Parse(File.ReadAllText(temp))!;
        }
        finally
        {
            File.Delete(temp);
        }
        var settings = new JsonObject();
        foreach (Setting<ForecastOptions> row in ForecastSettings.All)
        {
            if (Text(row.Get(data.Options)) is string text)
                settings[row.Key] = text;
        }
        var root = new JsonObject
        {
            ["format"] = Format,
            ["columns"] = new JsonArray([.. data.Frame.Names.Select(n => (JsonNode)JsonValue.Create(n)!)]),
            ["targets"] = data.Targets.Length,
            ["label_column"] = data.Frame.LabelName,
            ["settings"] = settings,
            ["scaler"] = new JsonObject
            {
                ["scale"] = new JsonArray([.. forecaster.Scaler.Scale.Select(v => (JsonNode)JsonValue.Create(v)!)]),
                ["offset"] = new JsonArray([.. forecaster.Scaler.Offset.Select(v => (JsonNode)JsonValue.Create(v)!)]),
            },
            ["model"] = model,
        };
        if (forecaster.TrainedState is { } state)
        {
            // The state at the end of the training history, and which observations it has seen (so predict can tell whether new data continues them).
            int seen = forecaster.TrainedThrough + data.OutputSteps;
            root["state"] = new JsonObject
            {
                ["observations"] = seen,
                ["data_hash"] = HashObservations(data.Frame, seen),
                ["values"] = new JsonArray([.. state.Select(t => (JsonNode)new JsonArray([.. t.Span.ToArray().Select(v => (JsonNode)JsonValue.Create(v)!)]))]),
            };
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A saved forecaster: its settings, columns, scaler and network, not yet bound to data.</summary>
    /// <param name="State">A stateful network's state at the end of its training history (each (1, units)), or null.</param>
    /// <param name="StateObservations">How many observations (from the first) that state has seen.</param>
    /// <param name="StateDataHash">A hash of those observations' values, to recognise data that continues them.</param>
    public sealed record Saved(ForecastOptions Options, string[] Columns, int Targets, string? LabelColumn, FramedScaler Scaler, Sequential Model,
        IReadOnlyList<Tensor>? State = null, int StateObservations = 0, string? StateDataHash = null)
    {
        /// <summary>The input columns that are not targets.</summary>
        public string[] Covariates => Columns[..^Targets];

        /// <summary>The target columns.</summary>
        public string[] TargetColumns => Columns[^Targets..];

        /// <summary>
        /// The forecaster on <paramref name="frame"/> (its columns in the saved order). A stateful network carries its
        /// saved state when the frame begins with the observations it was trained on (it then walks over the rows after
        /// them); on other data its state is built from zero over the frame's rows, and <paramref name="warnings"/> says so.
        /// </summary>
        /// <exception cref="DataFormatException">The frame's columns are not the saved ones.</exception>
        public LstmForecaster Bind(SeriesFrame frame, ICollection<string>? warnings = null)
        {
            ArgumentNullException.ThrowIfNull(frame);
            if (!frame.Names.SequenceEqual(Columns, StringComparer.OrdinalIgnoreCase))
            {
                throw new DataFormatException(frame.Source, null, null, null,
                    $"the forecaster was trained on the columns {string.Join(", ", Columns)}; the data has {string.Join(", ", frame.Names)}.");
            }
            var data = new ForecastData(frame, Targets, Options);
            if (data.Inputs + data.Outputs != Scaler.Scale.Length)
                throw new InvalidDataException($"The saved scaler has {Scaler.Scale.Length} columns; these settings frame {data.Inputs + data.Outputs}.");
            var forecaster = new LstmForecaster(data, Model, Scaler, null);
            if (State is not null)
            {
                if (frame.Length >= StateObservations && HashObservations(frame, StateObservations) == StateDataHash)
                {
                    forecaster.TrainedState = State;
                    forecaster.TrainedThrough = StateObservations - data.OutputSteps;
                }
                else
                {
                    warnings?.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the data does not begin with the {StateObservations} observations the forecaster was trained on, so the stateful network's state is built from zero over its {frame.Length} rows instead of carried from training."));
                }
            }
            return forecaster;
        }
    }

    /// <summary>Reads a forecaster file.</summary>
    /// <exception cref="InvalidDataException">The file is not a forecaster file or is damaged; the message names the key.</exception>
    public static Saved Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Forecaster file '{path}' does not exist.", path);
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a forecaster file (invalid JSON: {e.Message}).", e);
        }
        if ((string?)root["format"] != Format)
            throw new InvalidDataException($"{path}: key 'format' is not \"{Format}\"; save a forecaster with `lstmlab forecast --horizon H --save FILE`.");
        try
        {
            var options = new ForecastOptions();
            foreach ((string key, JsonNode? value) in root["settings"]!.AsObject())
            {
                Setting<ForecastOptions> row = ForecastSettings.All.FirstOrDefault(s => s.Key == key)
                    ?? throw new InvalidDataException($"{path}: unknown setting '{key}'.");
                options = row.Set(options, row.Parse((string)value!));
            }
            string[] columns = [.. root["columns"]!.AsArray().Select(n => (string)n!)];
            int targets = (int)root["targets"]!;
            var scaler = new FramedScaler([.. root["scaler"]!["scale"]!.AsArray().Select(n => (double)n!)], [.. root["scaler"]!["offset"]!.AsArray().Select(n => (double)n!)]);
            string temp = Path.Combine(Path.GetTempPath(), "lstmlab-model-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                File.WriteAllText(temp, root["model"]!.ToJsonString());
                Sequential network = Sequential.Load(temp);
                IReadOnlyList<Tensor>? state = null;
                if (root["state"] is JsonObject st)
                    state = [.. st["values"]!.AsArray().Select(v => { float[] f = [.. v!.AsArray().Select(n => (float)n!)]; return new Tensor(f, 1, f.Length); })];
                return new Saved(options, columns, targets, (string?)root["label_column"], scaler, network, state,
                    state is null ? 0 : (int)root["state"]!["observations"]!, (string?)root["state"]?["data_hash"]);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or SettingException)
        {
            throw new InvalidDataException($"{path}: a key is missing or has the wrong type ({e.Message}).", e);
        }
    }

    /// <summary>A hash of the first <paramref name="count"/> values of every column (their float64 bits).</summary>
    private static string HashObservations(SeriesFrame frame, int count)
    {
        byte[] bytes = new byte[frame.Columns.Length * count * sizeof(double)];
        int at = 0;
        foreach (double[] column in frame.Columns)
        {
            foreach (double v in column.AsSpan(0, count))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), BitConverter.DoubleToInt64Bits(v));
                at += sizeof(double);
            }
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16].ToLowerInvariant();
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
