using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary>
/// <c>lstmlab model summary|convert|predict</c> and <c>--save</c> on the experiment commands, as a user meets them:
/// a model trained and saved by <c>run memory</c>, converted between formats, predicted from each, and bad files
/// (truncated zip, wrong shapes, unknown layer, non-finite weights, bad input) each refused with one error line and exit 2.
/// </summary>
[Collection("Console")]
public sealed class ModelCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-cli-model-" + Guid.NewGuid().ToString("N"));

    public ModelCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>A stateless model (memory demonstration with batch learning): predictions do not depend on the batch split.</summary>
    private string TrainAndSave(string name)
    {
        (int code, string stdout, _) = CliRunner.Run("run", "memory", "--batch-learning", "--epochs", "3", "--units", "4", "--seed", "5", "--save", PathOf(name));
        Assert.Equal(0, code);
        Assert.Contains($"Saved the trained model to {PathOf(name)}", stdout, StringComparison.Ordinal);
        return PathOf(name);
    }

    private string Input(string json)
    {
        string path = PathOf($"x-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string FourSteps = "[[[1,0,0,0,0],[0,1,0,0,0],[0,0,1,0,0],[0,0,0,1,0]],[[0,0,0,0,1],[0,1,0,0,0],[0,0,1,0,0],[0,0,0,1,0]]]";

    private static string AssertOneError((int Code, string Out, string Err) r, string expected)
    {
        Assert.Equal(2, r.Code);
        string[] lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        return r.Err;
    }

    [Fact]
    public void SaveConvertPredict_AllFormatsGiveTheSamePredictions()
    {
        string json = TrainAndSave("m.json");
        string x = Input(FourSteps);
        string reference = CliRunner.LastLine(CliRunner.Run("model", "predict", "--model", json, "--input", x, "--json").Out);
        foreach (string target in (string[])["m.keras", "m.h5", "m2.json"])
        {
            (int code, string stdout, string stderr) = CliRunner.Run("model", "convert", json, PathOf(target));
            Assert.True(code == 0, stderr);
            Assert.Contains("Wrote", stdout, StringComparison.Ordinal);
            string got = CliRunner.LastLine(CliRunner.Run("model", "predict", "--model", PathOf(target), "--input", x, "--json").Out);
            Assert.Equal(reference, got);
        }
        Assert.Equal(0, CliRunner.Run("model", "convert", PathOf("m.keras"), PathOf("m.onnx")).ExitCode);
        Assert.True(new FileInfo(PathOf("m.onnx")).Length > 500);
        using JsonDocument doc = JsonDocument.Parse(reference);
        JsonElement p = doc.RootElement.GetProperty("predictions");
        Assert.Equal(2, p.GetArrayLength());
        Assert.Equal(4, p[0].GetArrayLength());
        Assert.Equal(5, p[0][0].GetArrayLength());
    }

    [Fact]
    public void Summary_PrintsLayersShapesParametersAndCompileSettings()
    {
        string path = TrainAndSave("s.keras");
        (int code, string stdout, _) = CliRunner.Run("model", "summary", path);
        Assert.Equal(0, code);
        Assert.Contains("lstm (LSTM)", stdout, StringComparison.Ordinal);
        Assert.Contains("(1, 4, 4)", stdout, StringComparison.Ordinal);
        Assert.Contains("160", stdout, StringComparison.Ordinal);                   // 4·(5 + 4 + 1)·4
        Assert.Contains("Total params: 185", stdout, StringComparison.Ordinal);
        Assert.Contains("optimizer adam", stdout, StringComparison.Ordinal);
        Assert.Contains("step 6", stdout, StringComparison.Ordinal);                // 3 epochs × 2 sequences
    }

    [Fact]
    public void Predict_PlainOutput_OneLinePerSampleAndStep()
    {
        string path = TrainAndSave("p.json");
        (int code, string stdout, _) = CliRunner.Run("model", "predict", "--model", path, "--input", Input(FourSteps), "--batch-size", "1");
        Assert.Equal(0, code);
        Assert.Contains("sample 1 step 3: [", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFiles_EachGiveOneErrorLineAndExitCode2()
    {
        string keras = TrainAndSave("b.keras");
        string x = Input(FourSteps);

        byte[] bytes = File.ReadAllBytes(keras);
        File.WriteAllBytes(PathOf("truncated.keras"), bytes[..(bytes.Length / 2)]);
        AssertOneError(CliRunner.Run("model", "summary", PathOf("truncated.keras")), "damaged or truncated");

        File.Copy(keras, PathOf("unknown.keras"));
        ReplaceInConfig(PathOf("unknown.keras"), "\"class_name\":\"LSTM\"", "\"class_name\":\"ConvLSTM2D\"");
        AssertOneError(CliRunner.Run("model", "predict", "--model", PathOf("unknown.keras"), "--input", x), "ConvLSTM2D");

        File.Copy(keras, PathOf("shape.keras"));
        ReplaceInConfig(PathOf("shape.keras"), "\"units\":4", "\"units\":7");
        AssertOneError(CliRunner.Run("model", "convert", PathOf("shape.keras"), PathOf("out.json")), "but the layer needs");
        Assert.False(File.Exists(PathOf("out.json")));

        string json = TrainAndSave("nan.json");
        string text = File.ReadAllText(json);
        int values = text.IndexOf("\"values\"", StringComparison.Ordinal);
        int open = text.IndexOf('[', values), comma = text.IndexOf(',', open);
        File.WriteAllText(json, text[..(open + 1)] + "1e39" + text[comma..]);
        AssertOneError(CliRunner.Run("model", "summary", json), "outside float32's range");

        AssertOneError(CliRunner.Run("model", "summary", PathOf("absent.h5")), "does not exist");
        AssertOneError(CliRunner.Run("model", "convert", keras, PathOf("out.txt")), "extension");
        AssertOneError(CliRunner.Run("model", "convert", keras, keras), "same file");
    }

    [Fact]
    public void BadInputs_EachGiveOneErrorLineAndExitCode2()
    {
        string model = TrainAndSave("i.json");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[[1,0,0]]]")), "takes 5 features");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[[1,0,0,0,0]]]")), "takes 4");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0,0],[1,0,0,0]]]")), "[0][3] has 4 entries");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[[1,0,0,0,\"a\"]]]")), "[0][0][4] should be a finite float32 number");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[1,0,0,0,0]]")), "should be an array");
        AssertOneError(CliRunner.Run("model", "predict", "--model", model, "--input", Input("[[[1,0,0")), "not valid JSON");
    }

    [Fact]
    public void Save_IsCheckedBeforeTraining()
    {
        AssertOneError(CliRunner.Run("run", "memory", "--epochs", "1", "--save", PathOf("m.txt")), "--save");
        AssertOneError(CliRunner.Run("run", "memory", "--epochs", "1", "--trials", "2", "--save", PathOf("m.json")), "--trials 1");
        Directory.CreateDirectory(PathOf("dir.json"));
        AssertOneError(CliRunner.Run("run", "echo", "--epochs", "1", "--save", PathOf("dir.json")), "is a directory");
    }

    [Fact]
    public void RunEcho_Save_WritesAModelThatPredicts()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "echo", "--alphabet", "6", "--epochs", "2", "--units", "3", "--save", PathOf("echo.keras"));
        Assert.Equal(0, code);
        Assert.Contains("Saved the trained model", stderr, StringComparison.Ordinal);
        (int c, string stdout, _) = CliRunner.Run("model", "summary", PathOf("echo.keras"));
        Assert.Equal(0, c);
        Assert.Contains("input (1, 6)", stdout, StringComparison.Ordinal);
        Assert.Contains("Total params: 144", stdout, StringComparison.Ordinal);   // LSTM(3) on 6: 4·3·(6 + 3 + 1); Dense(6): 3·6 + 6
    }

    [Fact]
    public void NewLayers_BidirectionalGru_SummaryConvertPredictInEveryFormat()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "echo", "--alphabet", "6", "--epochs", "2", "--units", "3", "--cell", "gru",
            "--bidirectional", "--layers", "2", "--save", PathOf("bi.json"));
        Assert.True(code == 0, stderr);
        (int c, string stdout, _) = CliRunner.Run("model", "summary", PathOf("bi.json"));
        Assert.Equal(0, c);
        Assert.Contains("bidirectional (Bidirectional)", stdout, StringComparison.Ordinal);
        Assert.Contains("bidirectional_1 (Bidirectional)", stdout, StringComparison.Ordinal);
        // Each direction: GRU(3) on 6 values, reset_after: 6·9 + 3·9 + 2·9 = 99; Dense(6) on 6: 42.
        Assert.Contains("Total params: 438", stdout, StringComparison.Ordinal);
        string x = Input("[[[1,0,0,0,0,0]],[[0,0,1,0,0,0]],[[0,0,0,0,0,1]]]");
        string reference = CliRunner.LastLine(CliRunner.Run("model", "predict", "--model", PathOf("bi.json"), "--input", x, "--json").Out);
        Assert.StartsWith("{\"predictions\":", reference, StringComparison.Ordinal);
        foreach (string target in (string[])["bi.keras", "bi.h5", "bi2.json"])
        {
            (int cc, _, string err) = CliRunner.Run("model", "convert", PathOf("bi.json"), PathOf(target));
            Assert.True(cc == 0, err);
            Assert.Equal(reference, CliRunner.LastLine(CliRunner.Run("model", "predict", "--model", PathOf(target), "--input", x, "--json").Out));
            Assert.Contains("Total params: 438", CliRunner.Run("model", "summary", PathOf(target)).Out, StringComparison.Ordinal);
        }
        Assert.Equal(0, CliRunner.Run("model", "convert", PathOf("bi.h5"), PathOf("bi.onnx")).ExitCode);
        Assert.True(new FileInfo(PathOf("bi.onnx")).Length > 1000);
    }

    [Fact]
    public void Save_ToAFormatThatCannotHoldTheTrainedModel_KeepsItInJsonAndSaysSo()
    {
        // A masked Bidirectional returning sequences repeats outputs at masked steps; Keras files zero them: refused.
        var r = CliRunner.Run("run", "echo", "--variant", "lag-context", "--whole-sequence", "--alphabet", "4", "--length", "5", "--epochs", "1",
            "--units", "2", "--bidirectional", "--layers", "2", "--save", PathOf("m.keras"));
        string err = AssertOneError(r, "zeroOutputForMask");
        Assert.Contains($"saved to {PathOf("m.keras.json")} instead", err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("m.keras")));
        Assert.Equal(0, CliRunner.Run("model", "summary", PathOf("m.keras.json")).ExitCode);
    }

    private static void ReplaceInConfig(string path, string from, string to)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        ZipArchiveEntry entry = zip.GetEntry("config.json")!;
        string text;
        using (var reader = new StreamReader(entry.Open()))
            text = reader.ReadToEnd();
        Assert.Contains(from, text, StringComparison.Ordinal);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("config.json").Open());
        int at = text.IndexOf(from, StringComparison.Ordinal);
        writer.Write(text[..at] + to + text[(at + from.Length)..]);
    }
}
