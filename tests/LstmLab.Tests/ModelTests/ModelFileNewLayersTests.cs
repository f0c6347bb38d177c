using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

/// <summary>
/// LstmLab's model file with every layer the engine has (Bidirectional of each recurrent layer and merge mode, GRU in
/// both reset_after forms, SimpleRNN, Dropout, RepeatVector, go_backwards and dropout options) and every optimizer
/// (Adam, SGD, RMSprop, Adagrad, each with a clipping): loaded models predict the same bits, and a model saved in the
/// middle of training resumes with the same bits as one that never stopped.
/// </summary>
public sealed class ModelFileNewLayersTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-newlayers-" + Guid.NewGuid().ToString("N"));

    public ModelFileNewLayersTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Recurrent Inner(string kind, bool sequences) => kind switch
    {
        "lstm" => new Lstm(3, returnSequences: sequences, recurrentActivation: RecurrentActivation.HardSigmoidKeras2, unitForgetBias: false, dropout: 0.1),
        "gru" => new Gru(3, returnSequences: sequences, recurrentDropout: 0.2),
        "gru_before" => new Gru(3, returnSequences: sequences, resetAfter: false, activation: Activation.Relu),
        _ => new SimpleRnn(3, Activation.Sigmoid, returnSequences: sequences, goBackwards: true),
    };

    public static TheoryData<string, MergeMode, bool, bool> Bidirectionals => new()
    {
        { "lstm", MergeMode.Concat, true, false },
        { "gru", MergeMode.Sum, true, true },
        { "gru_before", MergeMode.Mul, false, false },
        { "simple_rnn", MergeMode.Ave, true, true },
    };

    [Fact]
    public void Return_state_is_kept_by_the_json_file_and_refused_by_keras_files()
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: 1250);
        model.Add(new Lstm(3, returnSequences: true) { ReturnState = true }).Add(new Gru(2) { ReturnState = true }).Add(new Dense(1));
        string path = Path.Combine(_directory, "states.json");
        model.Save(path);
        Sequential loaded = Sequential.Load(path);
        Assert.True(Assert.IsAssignableFrom<Recurrent>(loaded.Layers[0]).ReturnState);
        Assert.True(Assert.IsAssignableFrom<Recurrent>(loaded.Layers[1]).ReturnState);
        Tensor x = TestData.Tensor(new RandomGenerator(1251), -1, 1, 2, 4, 2);
        (Tensor output, IReadOnlyList<Tensor> states) = model.PredictWithStates(x);
        (Tensor loadedOutput, IReadOnlyList<Tensor> loadedStates) = loaded.PredictWithStates(x);
        TestData.AssertBitEqual(output.Span, loadedOutput.Span, "output");
        Assert.Equal(3, states.Count);   // the LSTM's h and c, the GRU's h
        Assert.Equal(states.Count, loadedStates.Count);
        for (int i = 0; i < states.Count; i++)
            TestData.AssertBitEqual(states[i].Span, loadedStates[i].Span, $"state {i}");
        // A file of a model without it keeps its bytes: the key is written only when set.
        var plain = new Sequential(SampleShape.Sequence(4, 2), seed: 1250);
        plain.Add(new Lstm(3)).Add(new Dense(1));
        plain.Save(Path.Combine(_directory, "plain.json"));
        Assert.DoesNotContain("return_state", File.ReadAllText(Path.Combine(_directory, "plain.json")), StringComparison.Ordinal);
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Save(Path.Combine(_directory, "states.keras")));
        Assert.Contains("return_state", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "states.keras")));
    }

    [Theory]
    [MemberData(nameof(Bidirectionals))]
    public void Bidirectional_SavesAndLoads_WithItsWrappedLayerMergeModeAndWeights(string kind, MergeMode merge, bool sequences, bool zeroOutput)
    {
        var model = new Sequential(SampleShape.Sequence(5, 2), seed: 1240);
        model.Add(new Masking(-1)).Add(new Bidirectional(Inner(kind, sequences), merge, zeroOutput));
        if (sequences)
            model.Add(new Gru(2, goBackwards: true));
        model.Add(new Dense(2));
        string path = Path.Combine(_directory, "bi.json");
        model.Save(path);
        Sequential loaded = Sequential.Load(path);
        Assert.Equal(model.Summary(), loaded.Summary());
        var bi = Assert.IsType<Bidirectional>(loaded.Layers[1]);
        Assert.Equal((merge, zeroOutput, sequences), (bi.MergeMode, bi.ZeroOutputForMask, bi.ReturnSequences));
        Assert.Equal(Inner(kind, sequences).GetConfig(), bi.ForwardLayer.GetConfig());
        Assert.Equal(!bi.ForwardLayer.GoBackwards, bi.BackwardLayer.GoBackwards);
        for (int p = 0; p < model.Parameters.Count; p++)
            TestData.AssertBitEqual(model.Parameters[p].Value.Span, loaded.Parameters[p].Value.Span, $"weight {p}");
        Tensor x = TestData.Tensor(new RandomGenerator(1241), -1, 1, 3, 5, 2);
        x.Span.Slice(2, 4).Fill(-1);   // sample 0, steps 1 and 2 masked
        TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions");
        string text = File.ReadAllText(path);
        Assert.Contains("\"backward_", text, StringComparison.Ordinal);   // the directions' weights under their own names
    }

    [Fact]
    public void StatefulBidirectional_KeepsBothDirectionsCarriedState()
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), batchSize: 2, seed: 1242);
        model.Add(new Bidirectional(new Lstm(3, stateful: true))).Add(new Dense(1));
        model.Predict(TestData.Tensor(new RandomGenerator(1243), -1, 1, 2, 3, 2));
        IReadOnlyList<Tensor> states = model.GetStates();
        Assert.Equal(4, states.Count);   // forward h, c, backward h, c
        string path = Path.Combine(_directory, "stateful.json");
        model.Save(path, includeState: true);
        IReadOnlyList<Tensor> loaded = Sequential.Load(path).GetStates();
        for (int s = 0; s < 4; s++)
            TestData.AssertBitEqual(states[s].Span, loaded[s].Span, $"state {s}");
        Assert.True(states[2].Span[0] != 0f, "the backward direction carries a state too");
    }

    public static TheoryData<string> Optimizers => new() { "adam", "sgd", "rmsprop", "adagrad" };

    private static Optimizer Make(string name) => name switch
    {
        "adam" => new Adam(0.01, 0.8, 0.99, 1e-6) { ClipNorm = 0.5 },
        "sgd" => new Sgd(0.05, momentum: 0.9) { ClipValue = 0.05 },
        "rmsprop" => new RMSprop(0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true) { GlobalClipNorm = 0.3 },
        _ => new Adagrad(0.05, initialAccumulatorValue: 0.2, epsilon: 1e-6) { ClipNorm = 0.4 },
    };

    private static Sequential NewModel(string optimizer)
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), seed: 1244);
        model.Add(new Bidirectional(new Gru(3, returnSequences: true), MergeMode.Ave)).Add(new SimpleRnn(3, goBackwards: true))
            .Add(new RepeatVector(2)).Add(new Lstm(2)).Add(new Dense(2));
        model.Compile(Loss.MeanSquaredError, Make(optimizer));
        return model;
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resume_EachOptimizer_GivesTheSameBitsAsNotStopping(string optimizer)
    {
        var random = new RandomGenerator(1245);
        Tensor x = TestData.Tensor(random, -1, 1, 6, 4, 2);
        Tensor y = TestData.Tensor(random, -1, 1, 6, 2);
        Sequential straight = NewModel(optimizer);
        straight.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        straight.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);

        Sequential first = NewModel(optimizer);
        first.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        string path = Path.Combine(_directory, $"{optimizer}.json");
        first.Save(path);
        Sequential resumed = Sequential.Load(path);
        Optimizer loaded = resumed.Optimizer!, original = first.Optimizer!;
        Assert.Equal(original.GetType(), loaded.GetType());
        Assert.Equal(original.GetConfig(), loaded.GetConfig());
        Assert.Equal((original.ClipNorm, original.ClipValue, original.GlobalClipNorm), (loaded.ClipNorm, loaded.ClipValue, loaded.GlobalClipNorm));
        Assert.Equal(original.Iterations, loaded.Iterations);
        for (int p = 0; p < first.Parameters.Count; p++)
        {
            float[][] a = original.ExportSlots(first.Parameters[p])!, b = loaded.ExportSlots(resumed.Parameters[p])!;
            Assert.Equal(a.Length, b.Length);
            for (int s = 0; s < a.Length; s++)
                TestData.AssertBitEqual(a[s], b[s], $"slot {s} of weight {p}");
        }
        resumed.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        for (int p = 0; p < straight.Parameters.Count; p++)
            TestData.AssertBitEqual(straight.Parameters[p].Value.Span, resumed.Parameters[p].Value.Span, $"weight {p} after resuming");
    }
}
