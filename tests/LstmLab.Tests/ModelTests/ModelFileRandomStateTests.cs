using System.Text.Json.Nodes;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

/// <summary>
/// The model file keeps the dropout-mask generators (Dropout, LSTM dropout and recurrent_dropout, a Bidirectional's
/// two directions) beside the shuffle generator and the optimizer's moments: a model with dropout, trained, saved,
/// loaded and trained on gives the same bits as one that never stopped; without the saved generators it does not.
/// </summary>
public sealed class ModelFileRandomStateTests : IDisposable
{
    private const int Epochs = 2;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-tests-" + Guid.NewGuid().ToString("N"));
    private readonly Tensor _x, _y;

    public ModelFileRandomStateTests()
    {
        Directory.CreateDirectory(_directory);
        var random = new RandomGenerator(1210);
        _x = TestData.Tensor(random, -1, 1, 6, 4, 2);
        _y = TestData.Tensor(random, -1, 1, 6, 2);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential NewModel()
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: 1211);
        model.Add(new Dropout(0.3))
            .Add(new Lstm(5, returnSequences: true, dropout: 0.25, recurrentDropout: 0.4))
            .Add(new Bidirectional(new Gru(3, dropout: 0.2, recurrentDropout: 0.3)))
            .Add(new Dense(2));
        model.Compile(Loss.MeanSquaredError, new Adam(0.01));
        return model;
    }

    private void Train(Sequential model) => model.Fit(_x, _y, epochs: Epochs, batchSize: 3, shuffle: true, verbose: 0);

    /// <summary>Trains, saves (optionally editing the file), loads and trains on; returns the straight run and the resumed one.</summary>
    private (Sequential Straight, Sequential Resumed) Run(Action<JsonObject>? edit = null)
    {
        Sequential straight = NewModel();
        Train(straight);
        Train(straight);
        Sequential first = NewModel();
        Train(first);
        string path = Path.Combine(_directory, "half.json");
        first.Save(path);
        if (edit is not null)
        {
            JsonObject file = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            edit(file);
            File.WriteAllText(path, file.ToJsonString());
        }
        Sequential resumed = Sequential.Load(path);
        Train(resumed);
        return (straight, resumed);
    }

    [Fact]
    public void Resume_WithDropoutEverywhere_GivesTheSameBitsAsNotStopping()
    {
        (Sequential straight, Sequential resumed) = Run();
        Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        for (int p = 0; p < straight.Parameters.Count; p++)
            TestData.AssertBitEqual(straight.Parameters[p].Value.Span, resumed.Parameters[p].Value.Span, $"weight {p}");
    }

    [Fact]
    public void File_KeepsOneGeneratorPerMaskStream()
    {
        Sequential model = NewModel();
        Train(model);
        string path = Path.Combine(_directory, "streams.json");
        model.Save(path);
        JsonObject streams = JsonNode.Parse(File.ReadAllText(path))!["training_state"]!["layer_random"]!.AsObject();
        string bi = model.Layers[2].Name;
        var bidirectional = (Bidirectional)model.Layers[2];
        Assert.Equal(
            [model.Layers[0].Name, model.Layers[1].Name, $"{bi}/{bidirectional.ForwardLayer.Name}", $"{bi}/{bidirectional.BackwardLayer.Name}"],
            streams.Select(p => p.Key));
        Assert.All(streams, p => Assert.Equal(5, p.Value!.AsArray().Count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Resume_WithoutALayersGenerator_Differs_SoTheTestAboveCanFail(int layer)
    {
        // Only that layer's saved generator is dropped (the moments, the step count and the shuffle are restored):
        // the stream matters, for the Dropout layer, for LSTM dropout/recurrent_dropout and for a Bidirectional.
        string? key = null;
        (Sequential straight, Sequential resumed) = Run(file =>
        {
            JsonObject streams = file["training_state"]!["layer_random"]!.AsObject();
            key = streams.Select(p => p.Key).Where(k => k.StartsWith(((JsonArray)file["layers"]!)[layer]!["name"]!.GetValue<string>(), StringComparison.Ordinal)).First();
            Assert.True(streams.Remove(key));
        });
        Assert.NotNull(key);
        TestData.AssertDiffer(straight.Parameters[^2].Value.Span, resumed.Parameters[^2].Value.Span, 1e-7, $"weights after a resume without {key}'s generator");
    }

    [Fact]
    public void Load_FileWithoutLayerRandom_StillLoads_AndTrainsDeterministically()
    {
        // Files written before layer_random existed: the generators start as loading seeds them (from the model's seed).
        (Sequential _, Sequential a) = Run(file => file["training_state"]!.AsObject().Remove("layer_random"));
        (Sequential _, Sequential b) = Run(file => file["training_state"]!.AsObject().Remove("layer_random"));
        for (int p = 0; p < a.Parameters.Count; p++)
            TestData.AssertBitEqual(a.Parameters[p].Value.Span, b.Parameters[p].Value.Span, $"weight {p}");
    }

    [Theory]
    [InlineData("{\"nope\": [\"1\", \"2\", \"3\", \"4\", null]}", "layer_random.nope", "names no Dropout or recurrent layer")]
    [InlineData("{\"dropout\": [\"1\", \"2\", \"3\", null]}", "layer_random.dropout", "expected 4 words")]
    [InlineData("{\"dropout\": [\"1\", \"-2\", \"3\", \"4\", null]}", "layer_random.dropout[1]", "unsigned 64-bit")]
    [InlineData("{\"dropout\": [\"0\", \"0\", \"0\", \"0\", null]}", "layer_random.dropout", "all zeros")]
    [InlineData("[]", "layer_random", "should be an object")]
    public void Load_BadLayerRandom_NamesTheKey(string value, string key, string message)
    {
        Sequential model = NewModel();
        Assert.Equal("dropout", model.Layers[0].Name);
        string path = Path.Combine(_directory, "bad.json");
        model.Save(path);
        JsonObject file = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        file["training_state"]!["layer_random"] = JsonNode.Parse(value);
        File.WriteAllText(path, file.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("training_state." + key, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
