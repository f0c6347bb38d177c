using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Interchange;

/// <summary>
/// Files LstmLab wrote (Fixtures/keras/written: <c>lstmlab run echo … --save echo-k3.keras</c>, <c>lstmlab run memory …
/// --save mem-k2.h5</c>), checked by tools/keras/check_written.py against the steps of Keras's loaders with h5py; the
/// expected predictions come from a numpy forward pass over the weights h5py read (tools/keras/expected_for_written.py).
/// Reading them back here must give those predictions, and the hard_sigmoid of each Keras version.
/// </summary>
public sealed class KerasFilesWrittenByLstmLabTests
{
    [Theory]
    [InlineData("echo-k3.keras", RecurrentActivation.HardSigmoidKeras3)]
    [InlineData("mem-k2.h5", RecurrentActivation.HardSigmoidKeras2)]
    public void WrittenFile_ReadsBackWithNumpysPredictions(string name, RecurrentActivation gate)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "keras", "written");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        JsonElement expected = doc.RootElement.GetProperty(name);
        Sequential model = Sequential.Load(Path.Combine(dir, name));
        Assert.Equal(gate, model.Layers.OfType<Lstm>().Single().RecurrentActivation);
        Tensor x = KerasFilesWrittenByKerasTests.ToTensor(expected.GetProperty("x"));
        Tensor y = model.Predict(x);
        float[] want = Flatten(expected.GetProperty("predictions")).ToArray();
        Numerics.TestData.AssertClose(want, y.Span, 1e-5, $"{name} predictions");
    }

    /// <summary>
    /// The files LstmLab wrote from tools/keras/make_new_layer_models.py's models (<c>lstmlab model convert</c>): Bidirectional
    /// GRU / SimpleRNN / LSTM, GRU in both reset_after forms, SimpleRNN going backwards, Dropout, RepeatVector, masks.
    /// check_written.py walked them as Keras's loaders do; numpy's predictions are those of its forward pass.
    /// </summary>
    [Theory]
    [InlineData("new-layers-k3.keras", "rmsprop")]
    [InlineData("new-layers-k2.h5", "adam")]
    public void NewLayersFile_ReadsBackWithNumpysPredictions(string name, string optimizer)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "keras", "written");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        JsonElement expected = doc.RootElement.GetProperty(name);
        Sequential model = Sequential.Load(Path.Combine(dir, name));
        Assert.Contains(model.Layers, l => l is Bidirectional);
        Assert.Equal(optimizer, model.Optimizer!.Name);
        Tensor y = model.Predict(KerasFilesWrittenByKerasTests.ToTensor(expected.GetProperty("x")));
        Numerics.TestData.AssertClose(Flatten(expected.GetProperty("predictions")).ToArray(), y.Span, 1e-5, $"{name} predictions");
    }

    private static IEnumerable<float> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetSingle()];
}
