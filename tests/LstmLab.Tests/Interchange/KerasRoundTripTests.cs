using System.IO.Compression;
using System.Text;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Interchange;

/// <summary>
/// LstmLab → Keras file → LstmLab keeps architecture, weights (bit for bit), compile settings and Adam moments; files
/// LstmLab cannot read (truncated zip, wrong shapes, unknown layer, unsupported option, non-finite weights) fail with
/// a message naming what is wrong.
/// </summary>
public sealed class KerasRoundTripTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-keras-" + Guid.NewGuid().ToString("N"));

    public KerasRoundTripTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static Sequential Trained(RecurrentActivation gate, bool stateful = false, bool masking = false)
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), batchSize: stateful ? 2 : null, seed: 1210);
        if (masking)
            model.Add(new Masking(-1));
        model.Add(new Lstm(5, returnSequences: true, stateful: stateful, recurrentActivation: gate))
            .Add(new Lstm(3, recurrentActivation: gate, unitForgetBias: false))
            .Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01, 0.85, 0.995, 1e-6), "accuracy");
        var random = new RandomGenerator(1211);
        model.Fit(TestData.Tensor(random, -1, 1, 4, 4, 2), TestData.OneHot(random, 4, 2), epochs: 2, batchSize: 2, shuffle: false, verbose: 0);
        model.ResetStates();
        return model;
    }

    public static TheoryData<string, RecurrentActivation> Formats => new()
    {
        { "m.keras", RecurrentActivation.Sigmoid },
        { "m.keras", RecurrentActivation.HardSigmoidKeras3 },
        { "m.h5", RecurrentActivation.Sigmoid },
        { "m.h5", RecurrentActivation.HardSigmoidKeras2 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void SaveLoad_KeepsArchitectureWeightsCompileAndMoments(string name, RecurrentActivation gate)
    {
        Sequential model = Trained(gate, masking: true);
        string path = PathOf(name);
        model.Save(path);
        Sequential loaded = LstmLab.Interchange.ModelFormats.Load(path, out IReadOnlyList<string> notes);
        Assert.Equal(model.Summary(), loaded.Summary());
        Assert.Equal(gate, ((Lstm)loaded.Layers[1]).RecurrentActivation);
        Assert.False(((Lstm)loaded.Layers[2]).UnitForgetBias);
        Assert.Equal(-1.0, ((Masking)loaded.Layers[0]).MaskValue);
        for (int p = 0; p < model.Parameters.Count; p++)
            TestData.AssertBitEqual(model.Parameters[p].Value.Span, loaded.Parameters[p].Value.Span, $"weight {p}");
        var adam = Assert.IsType<Adam>(loaded.Optimizer);
        Assert.Equal((0.01, 0.85, 0.995, 1e-6), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Same(Loss.CategoricalCrossentropy, loaded.Loss);
        Assert.Equal(["accuracy"], loaded.MetricNames);
        Assert.Equal(model.Optimizer!.Iterations, adam.Iterations);
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            for (int s = 0; s < 2; s++)
                TestData.AssertBitEqual(model.Optimizer.ExportSlots(model.Parameters[p])![s], adam.ExportSlots(loaded.Parameters[p])![s], $"slot {s} of weight {p}");
        }
        Assert.Contains(notes, n => n.StartsWith("optimizer state read", StringComparison.Ordinal));
        Tensor x = TestData.Tensor(new RandomGenerator(1212), -1, 1, 3, 4, 2);
        x.Span[2] = x.Span[3] = -1;   // a masked step
        TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions");
    }

    [Fact]
    public void WeightsFile_RoundTripsOntoAModelBuiltHere_AndStatefulBatchSizeComesBack()
    {
        Sequential model = Trained(RecurrentActivation.Sigmoid, stateful: true);
        string weights = PathOf("m.weights.h5"), keras = PathOf("s.keras");
        model.Save(weights);
        model.Save(keras);
        Sequential fresh = new Sequential(SampleShape.Sequence(4, 2), batchSize: 2, seed: 99)
            .Add(new Lstm(5, returnSequences: true, stateful: true)).Add(new Lstm(3, unitForgetBias: false)).Add(new Dense(2, Activation.Softmax));
        fresh.LoadWeights(weights);
        for (int p = 0; p < model.Parameters.Count; p++)
            TestData.AssertBitEqual(model.Parameters[p].Value.Span, fresh.Parameters[p].Value.Span, $"weight {p}");
        Sequential loaded = Sequential.Load(keras);
        Assert.Equal(2, loaded.BatchSize);
        Assert.True(((Lstm)loaded.Layers[0]).Stateful);
    }

    [Fact]
    public void Save_HardSigmoidOfTheOtherKeras_IsRefusedNamingTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => Trained(RecurrentActivation.HardSigmoidKeras2).Save(PathOf("k2.keras")));
        Assert.Contains("'lstm'", e.Message, StringComparison.Ordinal);
        Assert.Contains(".h5", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Trained(RecurrentActivation.HardSigmoidKeras3).Save(PathOf("k3.h5")));
        Assert.Contains(".keras", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("m.keras")]
    [InlineData("m.h5")]
    public void Save_NonFiniteWeight_IsRefusedAndWritesNothing(string name)
    {
        Sequential model = Trained(RecurrentActivation.Sigmoid);
        model.Parameters[4].Value.Span[0] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => model.Save(PathOf(name)));
        Assert.Contains("lstm_1/recurrent_kernel", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Load_TruncatedKerasZip_SaysTheZipIsDamaged()
    {
        string path = PathOf("m.keras");
        Trained(RecurrentActivation.Sigmoid).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("m.keras", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged or truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedH5_SaysItIsNotReadable()
    {
        string path = PathOf("m.h5");
        Trained(RecurrentActivation.Sigmoid).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("m.h5", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites config.json inside a .keras file.</summary>
    private static void EditConfig(string path, Func<string, string> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        ZipArchiveEntry entry = zip.GetEntry("config.json")!;
        string text;
        using (var reader = new StreamReader(entry.Open()))
            text = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("config.json").Open(), new UTF8Encoding(false));
        writer.Write(edit(text));
    }

    [Theory]
    [InlineData("\"class_name\":\"LSTM\"", "\"class_name\":\"ConvLSTM1D\"", "layer 'lstm' is a ConvLSTM1D")]
    [InlineData("\"return_state\":false", "\"return_state\":true", "return_state = true")]
    [InlineData("\"recurrent_activation\":\"sigmoid\"", "\"recurrent_activation\":\"relu\"", "recurrent_activation = \"relu\"")]
    [InlineData("\"use_bias\":true", "\"use_bias\":false", "use_bias = false")]
    [InlineData("\"dropout\":0", "\"dropout\":1", "dropout = 1")]
    [InlineData("\"activation\":\"softmax\"", "\"activation\":\"elu\"", "activation = \"elu\"")]
    [InlineData("\"units\":5", "\"units\":6", "shape (2, 20) but the layer needs (2, 24)")]
    public void Load_UnsupportedLayerOrOptionOrWrongShape_IsRefusedNamingIt(string from, string to, string message)
    {
        string path = PathOf("m.keras");
        Trained(RecurrentActivation.Sigmoid).Save(path);
        EditConfig(path, text =>
        {
            int at = text.IndexOf(from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"'{from}' not in config.json");
            return text[..at] + to + text[(at + from.Length)..];
        });
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e39, "outside float32's range")]
    [InlineData(double.NaN, "must be finite")]
    public void LoadWeights_Float64OutsideFloat32OrNonFinite_IsRefusedNamingTheWeight(double bad, string message)
    {
        var model = new Sequential(SampleShape.Vector(2)).Add(new Dense(1));
        double[] kernel = [0.5, bad];
        var file = new PureHDF.H5File
        {
            ["layers"] = new PureHDF.H5Group
            {
                ["dense"] = new PureHDF.H5Group
                {
                    ["vars"] = new PureHDF.H5Group
                    {
                        ["0"] = new PureHDF.H5Dataset(kernel, fileDims: [2, 1]),
                        ["1"] = new PureHDF.H5Dataset(new double[] { 0.0 }, fileDims: [1]),
                    },
                },
            },
        };
        string path = PathOf("bad.weights.h5");
        file.Write(path);
        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.Contains("dense/kernel", e.Message, StringComparison.Ordinal);
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KerasFileWithoutVersion_IsRefused_BecauseHardSigmoidWouldBeAmbiguous()
    {
        string path = PathOf("m.keras");
        Trained(RecurrentActivation.Sigmoid).Save(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("metadata.json")!.Delete();
            using var w = new StreamWriter(zip.CreateEntry("metadata.json").Open());
            w.Write("{}");
        }
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("keras_version", e.Message, StringComparison.Ordinal);
    }
}
