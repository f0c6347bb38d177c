using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LstmLab.Interchange;
using LstmLab.Layers;
using LstmLab.Numerics;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab model summary|convert|predict</c>: model files of LstmLab (.json), Keras (.keras, .h5) and ONNX (.onnx, written only).</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Inspect, convert and run model files: LstmLab .json, Keras .keras and .h5; ONNX .onnx as a conversion target.");
        model.Subcommands.Add(Summary());
        model.Subcommands.Add(Convert());
        model.Subcommands.Add(Predict());
        return model;
    }

    private static Command Summary()
    {
        var file = new Argument<string>("FILE") { Description = "A model file: .json (LstmLab), .keras or .h5 (Keras)." };
        var command = new Command("summary", "Print the model's layers, output shapes and parameter counts (as Keras's model.summary()), and its compile settings.") { file };
        command.SetAction(parse => Guard(() =>
        {
            string path = parse.GetValue(file)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Sequential m = ModelFormats.Load(path, out IReadOnlyList<string> notes);
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(F($"Model: {Path.GetFileName(path)}; input {m.InputShape}{(m.BatchSize is int b ? F($", batch size {b}") : "")}; loaded in {seconds * 1000:F0} ms"));
            Console.Write(m.Summary());
            Console.WriteLine(m.Optimizer is null
                ? "Compile: none"
                : F($"Compile: loss {m.Loss!.Name}, optimizer {m.Optimizer.Name} (learning rate {m.Optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture)}), step {m.Optimizer.Iterations}{(m.MetricNames.Count > 0 ? ", metrics " + string.Join(", ", m.MetricNames) : "")}"));
            foreach (string note in notes)
                Console.WriteLine("Note: " + note);
            return 0;
        }));
        return command;
    }

    private static Command Convert()
    {
        var input = new Argument<string>("IN") { Description = "The model to read: .json, .keras or .h5." };
        var output = new Argument<string>("OUT") { Description = "The file to write, format by extension: .json, .keras, .weights.h5, .h5 or .onnx." };
        var command = new Command("convert", "Convert a model file to another format, chosen by the output's extension.") { input, output };
        command.SetAction(parse => Guard(() =>
        {
            string from = parse.GetValue(input)!, to = parse.GetValue(output)!;
            if (string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal))
                throw new ArgumentException($"IN and OUT are the same file '{from}'; write to another name.");
            Sequential m = ModelFormats.Load(from, out IReadOnlyList<string> notes);
            foreach (string note in notes)
                Console.Error.WriteLine("note: " + note);
            m.Save(to);
            Console.WriteLine(F($"Wrote {to} ({m.Parameters.Sum(p => p.Value.Size)} weights, {m.Layers.Count} layers)."));
            return 0;
        }));
        return command;
    }

    private static Command Predict()
    {
        var model = new Option<string>("--model") { Description = "The model file: .json, .keras or .h5.", Required = true };
        var input = new Option<string>("--input") { Description = "A JSON file: a nested array [samples][timesteps][features] (or [samples][features] for a model without a time axis).", Required = true };
        var batch = new Option<int?>("--batch-size") { Description = "Samples per batch (default: the model's fixed batch size, else 32)." };
        var json = CommonOptions.Json();
        var command = new Command("predict", "Run a model file on inputs from a JSON file and print the predictions.") { model, input, batch, json };
        command.SetAction(parse => Guard(() =>
        {
            Sequential m = ModelFormats.Load(parse.GetValue(model)!);
            string inputPath = parse.GetValue(input)!;
            Tensor x = ReadInput(inputPath, m.InputShape);
            int? batchSize = parse.GetValue(batch);
            if (batchSize is <= 0)
                throw new ArgumentException($"--batch-size must be at least 1 (got {batchSize}).");
            Tensor y;
            try
            {
                y = m.Predict(x, batchSize);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{inputPath}: {e.Message.Replace("requested", "asked with --batch-size", StringComparison.Ordinal)}", e);
            }
            float[][] rows = Rows(y);
            if (parse.GetValue(json))
            {
                object predictions = y.Shape.Rank == 3 ? Nest(rows, y.Shape[1]) : rows;
                WriteJsonLine(new { Predictions = predictions });
            }
            else
            {
                int perSample = y.Shape.Rank == 3 ? y.Shape[1] : 1;
                for (int r = 0; r < rows.Length; r++)
                {
                    string step = perSample > 1 ? F($" step {r % perSample}") : "";
                    Console.WriteLine(F($"sample {r / perSample}{step}: [{string.Join(", ", rows[r].Select(v => v.ToString("G7", CultureInfo.InvariantCulture)))}]"));
                }
            }
            return 0;
        }));
        return command;
    }

    /// <summary><c>--save FILE</c> of the commands that train one model.</summary>
    public static Option<string?> SaveOption() => new("--save")
    {
        Description = "Save the trained model to FILE, format by extension: .json (LstmLab, with optimizer state), .keras, .weights.h5, .h5 (Keras) or .onnx.",
    };

    /// <summary>Checks a <c>--save</c> path before training: a known extension and a folder that can be written.</summary>
    public static void CheckSavePath(string? path, int trials)
    {
        if (path is null)
            return;
        if (trials != 1)
            throw new ArgumentException($"--save keeps one trained model, but --trials {trials} trains {trials}; run with --trials 1.");
        if (!ModelFormats.IsKnownExtension(path))
            throw new ArgumentException($"--save '{path}': the extension names no model format (use .json, .keras, .weights.h5, .h5 or .onnx).");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ArgumentException($"--save '{path}' is a directory; give a file name.");
        string directory = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".lstmlab-write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--save '{path}': cannot write in '{directory}' ({e.Message.TrimEnd('.')}).", e);
        }
    }

    /// <summary>Saves the trained model to the <c>--save</c> path, if one was given, and says so.</summary>
    public static void SaveTrained(Sequential? model, string? path, TextWriter log)
    {
        if (path is null || model is null)
            return;
        try
        {
            model.Save(path);
        }
        catch (ArgumentException e) when (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            // The format cannot hold this model (found only now that it is built): keep the training in LstmLab's own file.
            string kept = path + ".json";
            if (File.Exists(kept))
                throw new ArgumentException($"--save '{path}': {e.Message}", e);
            model.Save(kept);
            throw new ArgumentException($"--save '{path}': {e.Message} The trained model was saved to {kept} instead (convert it with lstmlab model convert once the layer fits).", e);
        }
        log.WriteLine(F($"Saved the trained model to {path}."));
    }

    private static float[][] Rows(Tensor y)
    {
        int width = y.Shape[y.Shape.Rank - 1];
        float[] all = y.ToArray();
        return Enumerable.Range(0, all.Length / width).Select(r => all.AsSpan(r * width, width).ToArray()).ToArray();
    }

    private static float[][][] Nest(float[][] rows, int steps) =>
        Enumerable.Range(0, rows.Length / steps).Select(s => rows.Skip(s * steps).Take(steps).ToArray()).ToArray();

    /// <summary>Reads a rectangular nested array of finite float32 numbers of the rank the model takes, naming the first entry that does not fit.</summary>
    internal static Tensor ReadInput(string path, SampleShape shape)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Input file '{path}' does not exist.", path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", e);
        }
        using (doc)
        {
            int rank = shape.IsSequence ? 3 : 2;
            string expected = shape.IsSequence ? F($"[samples][timesteps][{shape.Features} features]") : F($"[samples][{shape.Features} features]");
            var dims = new int[rank];
            var values = new List<float>();
            Walk(doc.RootElement, 0, "", dims, values, rank, path, expected);
            if (dims[rank - 1] != shape.Features)
                throw new InvalidDataException($"{path}: each time step has {dims[rank - 1]} values but the model takes {shape.Features} features ({expected}).");
            if (shape.IsSequence && shape.Timesteps != 0 && dims[1] != shape.Timesteps)
                throw new InvalidDataException($"{path}: each sample has {dims[1]} time steps but the model takes {shape.Timesteps}.");
            if (dims[0] == 0 || (shape.IsSequence && dims[1] == 0))
                throw new InvalidDataException($"{path}: there are no samples (or no time steps) to predict.");
            return new Tensor([.. values], dims);
        }
    }

    private static void Walk(JsonElement e, int depth, string at, int[] dims, List<float> values, int rank, string path, string expected)
    {
        string where = at.Length == 0 ? "the top level" : at;
        if (depth == rank)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d) || Math.Abs(d) > float.MaxValue)
                throw new InvalidDataException($"{path}: {where} should be a finite float32 number but is {Describe(e)}.");
            values.Add((float)d);
            return;
        }
        if (e.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: {where} should be an array (the file must be {expected}) but is {Describe(e)}.");
        int n = e.GetArrayLength();
        bool first = at.Length == 0 || at.Split('[').Skip(1).All(s => s == "0]");
        if (first)
            dims[depth] = n;
        else if (dims[depth] != n)
            throw new InvalidDataException($"{path}: {where} has {n} entries but the first has {dims[depth]}; the array must be rectangular.");
        int i = 0;
        foreach (JsonElement child in e.EnumerateArray())
            Walk(child, depth + 1, F($"{at}[{i++}]"), dims, values, rank, path, expected);
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        _ => e.GetRawText().Length > 30 ? e.GetRawText()[..30] + "…" : e.GetRawText(),
    };
}
