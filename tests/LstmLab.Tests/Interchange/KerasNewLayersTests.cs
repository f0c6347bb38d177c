using System.Text.Json;
using LstmLab.Interchange;
using LstmLab.Interchange.Keras;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using PureHDF;
using Xunit;

namespace LstmLab.Tests.Interchange;

/// <summary>
/// GRU (both reset_after forms), SimpleRNN, Bidirectional (each merge mode), Dropout, RepeatVector, go_backwards and
/// dropout options, and RMSprop / Adagrad / clipping, through Keras files: round trips keep every bit; the Keras 3
/// layout of a Bidirectional is the one Keras wrote (../shared/keras-files, cut to Fixtures/keras by
/// tools/keras/make_fixtures.py) and that file loads with numpy's predictions; Keras 2 files carry Keras 2.2.4's
/// <c>lr</c>; what LstmLab lacks is refused naming layer, option and value.
/// </summary>
public sealed class KerasNewLayersTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-keras-new-" + Guid.NewGuid().ToString("N"));

    public KerasNewLayersTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static Sequential Trained(RecurrentActivation gate, Optimizer optimizer)
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: 1250);
        model.Add(new Masking(-1))
            .Add(new Bidirectional(new Gru(3, returnSequences: true, resetAfter: false, recurrentActivation: gate), MergeMode.Mul, zeroOutputForMask: true))
            .Add(new Dropout(0.25))
            .Add(new Bidirectional(new SimpleRnn(3, Activation.Relu, returnSequences: true, dropout: 0.1), MergeMode.Sum, zeroOutputForMask: true))
            .Add(new Lstm(3, goBackwards: true, recurrentActivation: gate, recurrentDropout: 0.2))
            .Add(new RepeatVector(2))
            .Add(new Bidirectional(new Lstm(2, recurrentActivation: gate), MergeMode.Ave, zeroOutputForMask: true))   // as Keras files read (no mask reaches it)
            .Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, optimizer);
        var random = new RandomGenerator(1251);
        model.Fit(TestData.Tensor(random, -1, 1, 4, 4, 2), TestData.OneHot(random, 4, 2), epochs: 2, batchSize: 2, verbose: 0);
        return model;
    }

    public static TheoryData<string, RecurrentActivation, string> Formats => new()
    {
        { "m.keras", RecurrentActivation.Sigmoid, "rmsprop" },
        { "m.keras", RecurrentActivation.HardSigmoidKeras3, "adagrad" },
        { "m.h5", RecurrentActivation.HardSigmoidKeras2, "rmsprop" },
        { "m.h5", RecurrentActivation.Sigmoid, "adam" },
    };

    private static Optimizer Make(string name) => name switch
    {
        "rmsprop" => new RMSprop(0.01, 0.8, momentum: 0.5, epsilon: 1e-6, centered: true) { ClipNorm = 1.5 },
        "adagrad" => new Adagrad(0.02, 0.3, 1e-6) { GlobalClipNorm = 2 },
        _ => new Adam(0.01) { ClipValue = 0.5 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundTrip_KeepsEveryLayerOptionWeightOptimizerAndSlot(string name, RecurrentActivation gate, string optimizer)
    {
        Sequential model = Trained(gate, Make(optimizer));
        string path = PathOf(name);
        model.Save(path);
        Sequential loaded = ModelFormats.Load(path, out IReadOnlyList<string> notes);
        Assert.Equal(model.Summary(), loaded.Summary());
        for (int i = 0; i < model.Layers.Count; i++)
        {
            IReadOnlyDictionary<string, object> want = model.Layers[i].GetConfig(), got = loaded.Layers[i].GetConfig();
            Assert.Equal(want, got);
            if (model.Layers[i] is Bidirectional bi)
                Assert.Equal(bi.ForwardLayer.GetConfig(), ((Bidirectional)loaded.Layers[i]).ForwardLayer.GetConfig());
        }
        for (int p = 0; p < model.Parameters.Count; p++)
            TestData.AssertBitEqual(model.Parameters[p].Value.Span, loaded.Parameters[p].Value.Span, $"weight {p}");
        Optimizer a = model.Optimizer!, b = loaded.Optimizer!;
        Assert.Equal(a.GetType(), b.GetType());
        Assert.Equal(a.GetConfig(), b.GetConfig());
        Assert.Equal((a.ClipNorm, a.ClipValue, a.GlobalClipNorm), (b.ClipNorm, b.ClipValue, b.GlobalClipNorm));
        Assert.Equal(a.Iterations, b.Iterations);
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            float[][] sa = a.ExportSlots(model.Parameters[p])!, sb = b.ExportSlots(loaded.Parameters[p])!;
            for (int s = 0; s < sa.Length; s++)
                TestData.AssertBitEqual(sa[s], sb[s], $"slot {s} of weight {p}");
        }
        Assert.Contains(notes, n => n.StartsWith("optimizer state read", StringComparison.Ordinal));
        Tensor x = TestData.Tensor(new RandomGenerator(1252), -1, 1, 3, 4, 2);
        x.Span.Slice(2, 2).Fill(-1);   // a masked step inside sample 0
        TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions");
    }

    [Fact]
    public void Keras2File_WritesLr_AsKeras224_AndBothKeysAreRead()
    {
        string path = PathOf("m.h5");
        Trained(RecurrentActivation.Sigmoid, new Sgd(0.03, 0.5)).Save(path);
        string training;
        using (PureHDF.VOL.Native.NativeFile h5 = PureHDF.H5File.OpenRead(path))
            training = h5.Attribute("training_config").Read<string>();
        using JsonDocument doc = JsonDocument.Parse(training);
        JsonElement config = doc.RootElement.GetProperty("optimizer_config").GetProperty("config");
        Assert.Equal(0.03, config.GetProperty("lr").GetDouble());
        Assert.False(config.TryGetProperty("learning_rate", out _));
        foreach (string key in (string[])["lr", "learning_rate"])
        {
            var model = new Sequential(SampleShape.Vector(1)).Add(new Dense(1));
            using JsonDocument compile = JsonDocument.Parse($$$"""{"optimizer_config": {"class_name": "RMSprop", "config": {"{{{key}}}": 0.004, "rho": 0.8}}, "loss": "mse"}""");
            KerasCompileConfig.Read(model, compile.RootElement, []);
            var rms = Assert.IsType<RMSprop>(model.Optimizer);
            Assert.Equal((0.004, 0.8), (rms.LearningRate, rms.Rho));
        }
    }

    [Fact]
    public void Keras3BidirectionalFileByKeras_LoadsWithNumpysPredictionsAndSideBySideAdamMoments()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(KerasFilesWrittenByKerasTests.Fixture("expected.json")));
        JsonElement expected = doc.RootElement.GetProperty("keras3_bidirectional");
        var model = new Sequential(SampleShape.Sequence(4, 1));
        model.Add(new Bidirectional(new Lstm(64, returnSequences: true)));
        model.Compile(Loss.MeanSquaredError, new Adam());
        IReadOnlyList<string> notes = model.LoadWeights(KerasFilesWrittenByKerasTests.Fixture("keras3-bidirectional-lstm64.weights.h5"));
        Tensor y = model.Predict(KerasFilesWrittenByKerasTests.ToTensor(expected.GetProperty("x")));
        float[] want = expected.GetProperty("predictions").Deserialize<float[][][]>()!.SelectMany(s => s.SelectMany(r => r)).ToArray();
        TestData.AssertClose(want, y.Span, 1e-5, "predictions");
        Assert.Contains(notes, n => n.StartsWith("optimizer state read", StringComparison.Ordinal));
        Optimizer adam = model.Optimizer!;
        Assert.Equal(expected.GetProperty("iterations").GetInt64(), adam.Iterations);
        Assert.Equal(expected.GetProperty("adam_m_forward_kernel_first").GetSingle(), adam.ExportSlots(model.Parameters[0])![0][0]);
        Assert.Equal(expected.GetProperty("adam_v_forward_kernel_first").GetSingle(), adam.ExportSlots(model.Parameters[0])![1][0]);
        Assert.Equal(expected.GetProperty("adam_m_backward_kernel_first").GetSingle(), adam.ExportSlots(model.Parameters[3])![0][0]);
        Assert.Equal(expected.GetProperty("adam_v_backward_bias_last").GetSingle(), adam.ExportSlots(model.Parameters[5])![1][^1]);

        // Written back, the layout is the one Keras wrote: the same groups and datasets below layers/bidirectional.
        string path = PathOf("bi.weights.h5");
        model.Save(path);
        Assert.Equal(Tree(KerasFilesWrittenByKerasTests.Fixture("keras3-bidirectional-lstm64.weights.h5")).Where(p => !p.StartsWith("layers/bidirectional/layer", StringComparison.Ordinal)),
            Tree(path).Where(p => p.StartsWith("layers/", StringComparison.Ordinal)));
    }

    /// <summary>Every group and dataset path below layers/, sorted.</summary>
    private static List<string> Tree(string path)
    {
        var paths = new List<string>();
        void Walk(PureHDF.IH5Group g, string at)
        {
            foreach (PureHDF.IH5Object child in g.Children())
            {
                string p = $"{at}/{child.Name}";
                paths.Add(p);
                if (child is PureHDF.IH5Group sub)
                    Walk(sub, p);
            }
        }
        using PureHDF.VOL.Native.NativeFile h5 = PureHDF.H5File.OpenRead(path);
        Walk(h5.Group("layers"), "layers");
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    public void Defaults_FollowTheFilesKeras_GruResetAfterAndBidirectionalMaskedOutputs(bool multiBackend, bool keras3, bool expected)
    {
        string json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 2]}},
              {"class_name": "Bidirectional", "config": {"name": "b", "layer": {"class_name": "GRU", "config": {"units": 2, "return_sequences": true}}}}]}}
            """;
        using JsonDocument doc = JsonDocument.Parse(json);
        KerasModel km = KerasConfig.Read(doc.RootElement, keras3 ? KerasDialect.Keras3 : KerasDialect.Keras2, new JsonFields("test"), multiBackend);
        var bi = Assert.IsType<Bidirectional>(km.Model.Layers[0]);
        Assert.Equal(expected, ((Gru)bi.ForwardLayer).ResetAfter);
        Assert.Equal(expected, bi.ZeroOutputForMask);
        Assert.Equal(multiBackend ? RecurrentActivation.HardSigmoidKeras2 : RecurrentActivation.Sigmoid, ((Gru)bi.ForwardLayer).RecurrentActivation);
    }

    [Theory]
    [InlineData("\"merge_mode\": null", "merge_mode = null")]
    [InlineData("\"merge_mode\": \"concat\", \"backward_layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 3, \"go_backwards\": true}}", "backward_layer.units = 3")]
    [InlineData("\"merge_mode\": \"concat\", \"backward_layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2}}", "backward_layer.go_backwards = false")]
    [InlineData("\"merge_mode\": \"max\"", "merge_mode = \"max\"")]
    [InlineData("\"merge_mode\": \"sum\", \"layer\": {\"class_name\": \"Dense\", \"config\": {\"units\": 2}}", "layer = a Dense")]
    [InlineData("\"merge_mode\": \"sum\", \"layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2, \"return_state\": true}}", "return_state = true")]
    [InlineData("\"merge_mode\": \"sum\", \"layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2, \"activation\": \"elu\"}}", "activation = \"elu\"")]
    [InlineData("\"merge_mode\": \"sum\", \"layer\": {\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 2, \"dropout\": 1.5}}", "dropout = 1.5")]
    public void Bidirectional_WithWhatLstmLabLacks_IsRefusedNamingTheOption(string options, string message)
    {
        string layer = options.Contains("\"layer\"", StringComparison.Ordinal) ? "" : ", \"layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2}}";
        string json = $$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 3, 2]}},
              {"class_name": "Bidirectional", "config": {"name": "bi", {{{options}}}{{{layer}}}}}]}}
            """;
        using JsonDocument doc = JsonDocument.Parse(json);
        var e = Assert.Throws<InvalidDataException>(() => KerasConfig.Read(doc.RootElement, KerasDialect.Keras3, new JsonFields("f.keras")));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskedBidirectional_RepeatingOutputs_IsRefusedForKerasFiles_WhichZeroThem()
    {
        var model = new Sequential(SampleShape.Sequence(3, 1), seed: 1253);
        model.Add(new Masking()).Add(new Bidirectional(new Gru(2, returnSequences: true))).Add(new Dense(1));
        foreach (string name in (string[])["m.keras", "m.h5"])
        {
            var e = Assert.Throws<ArgumentException>(() => model.Save(PathOf(name)));
            Assert.Contains("'bidirectional'", e.Message, StringComparison.Ordinal);
            Assert.Contains("zeroOutputForMask: true", e.Message, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(_directory));
        model.Save(PathOf("ok.json"));   // LstmLab's own file keeps either behaviour
    }
}
