using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

// Provenance (whole file) (hand): 8 = 4 updates before saving + 4 after; state shapes are (batch, units) of the
// test's model.

/// <summary>
/// What LstmLab's model file keeps besides weights: optimizer moments, step count and the shuffle generator (a
/// loaded model resumes training with the same bits as one that never stopped), the carried state of stateful
/// layers on request; and what it refuses: non-finite weights (nothing written), values outside float32's range
/// and values of the wrong type (the key named).
/// </summary>
public sealed class ModelFileStateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-tests-" + Guid.NewGuid().ToString("N"));

    public ModelFileStateTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential NewModel(Optimizer optimizer, bool stateful)
    {
        var model = new Sequential(SampleShape.Sequence(4, 2), batchSize: stateful ? 3 : null, seed: 1201);
        model.Add(new Lstm(5, returnSequences: true, stateful: stateful)).Add(new Lstm(3, stateful: stateful)).Add(new Dense(2));
        model.Compile(Loss.MeanSquaredError, optimizer);
        return model;
    }

    public static TheoryData<string, bool> Optimizers => new()
    {
        { "adam", false },
        { "sgd", false },
        { "adam", true },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resume_AfterSaveAndLoad_GivesTheSameBitsAsNotStopping(string optimizer, bool stateful)
    {
        Optimizer Make() => optimizer == "adam" ? new Adam(0.01) : new Sgd(0.05, momentum: 0.9, nesterov: true);
        var random = new RandomGenerator(1202);
        Tensor x = TestData.Tensor(random, -1, 1, 6, 4, 2);
        Tensor y = TestData.Tensor(random, -1, 1, 6, 2);
        const int n = 3;

        // Not stopping: the same two Fit calls on one model (each Fit restarts its sample order from 0, 1, 2, …
        // as Keras's does, so one Fit of 2n epochs is a different run, with or without a file in between).
        Sequential straight = NewModel(Make(), stateful);
        straight.Fit(x, y, epochs: n, batchSize: 3, shuffle: !stateful, verbose: 0);
        straight.Fit(x, y, epochs: n, batchSize: 3, shuffle: !stateful, verbose: 0);

        Sequential first = NewModel(Make(), stateful);
        first.Fit(x, y, epochs: n, batchSize: 3, shuffle: !stateful, verbose: 0);
        string path = Path.Combine(_directory, "half.json");
        first.Save(path, includeState: stateful);
        Sequential resumed = Sequential.Load(path);
        Assert.Equal(first.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        resumed.Fit(x, y, epochs: n, batchSize: 3, shuffle: !stateful, verbose: 0);

        Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer.Iterations);
        for (int p = 0; p < straight.Parameters.Count; p++)
            TestData.AssertBitEqual(straight.Parameters[p].Value.Span, resumed.Parameters[p].Value.Span, $"weight {p}");
        IReadOnlyList<Tensor> a = straight.GetStates(), b = resumed.GetStates();
        Assert.Equal(stateful ? 4 : 0, a.Count);
        for (int s = 0; s < a.Count; s++)
            TestData.AssertBitEqual(a[s].Span, b[s].Span, $"state {s}");
    }

    [Fact]
    public void Resume_TrainOnBatch_2nStepsEqualsNStepsSaveLoadNSteps()
    {
        var random = new RandomGenerator(1205);
        Tensor x = TestData.Tensor(random, -1, 1, 3, 4, 2);
        Tensor y = TestData.Tensor(random, -1, 1, 3, 2);
        Sequential straight = NewModel(new Adam(0.02), stateful: true), first = NewModel(new Adam(0.02), stateful: true);
        for (int i = 0; i < 8; i++)
            straight.TrainOnBatch(x, y);
        for (int i = 0; i < 4; i++)
            first.TrainOnBatch(x, y);
        string path = Path.Combine(_directory, "steps.json");
        first.Save(path, includeState: true);
        Sequential resumed = Sequential.Load(path);
        for (int i = 0; i < 4; i++)
            resumed.TrainOnBatch(x, y);
        Assert.Equal(8, resumed.Optimizer!.Iterations);
        for (int p = 0; p < straight.Parameters.Count; p++)
            TestData.AssertBitEqual(straight.Parameters[p].Value.Span, resumed.Parameters[p].Value.Span, $"weight {p}");
    }

    [Fact]
    public void Resume_WithoutTrainingState_Differs_SoTheTestAboveCanFail()
    {
        var random = new RandomGenerator(1203);
        Tensor x = TestData.Tensor(random, -1, 1, 6, 4, 2);
        Tensor y = TestData.Tensor(random, -1, 1, 6, 2);
        Sequential straight = NewModel(new Adam(0.01), stateful: false);
        straight.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        straight.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        Sequential first = NewModel(new Adam(0.01), stateful: false);
        first.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        string path = Path.Combine(_directory, "fresh.json");
        first.Save(path);
        string text = File.ReadAllText(path);
        int at = text.IndexOf("\"training_state\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        // Cut the training state out: the model then resumes with fresh moments and a fresh shuffle.
        File.WriteAllText(path, text[..text.LastIndexOf(',', at)] + "\n}");
        Sequential resumed = Sequential.Load(path);
        resumed.Fit(x, y, epochs: 2, batchSize: 3, verbose: 0);
        TestData.AssertDiffer(straight.Parameters[0].Value.Span, resumed.Parameters[0].Value.Span, 1e-7, "weights after a fresh-moment resume");
    }

    [Fact]
    public void States_AreSavedOnlyWhenAsked_AndSetThroughResetStates()
    {
        Sequential model = NewModel(new Adam(), stateful: true);
        Tensor x = TestData.Tensor(new RandomGenerator(1204), -1, 1, 3, 4, 2);
        model.Predict(x);
        IReadOnlyList<Tensor> states = model.GetStates();
        Assert.Equal([3, 5], states[0].Shape.ToArray());
        Assert.Equal([3, 3], states[3].Shape.ToArray());
        Assert.Contains(states[0].ToArray(), v => v != 0f);

        string withState = Path.Combine(_directory, "with.json"), without = Path.Combine(_directory, "without.json");
        model.Save(withState, includeState: true);
        model.Save(without);
        Sequential a = Sequential.Load(withState), b = Sequential.Load(without);
        for (int s = 0; s < states.Count; s++)
        {
            TestData.AssertBitEqual(states[s].Span, a.GetStates()[s].Span, $"state {s}");
            Assert.All(b.GetStates()[s].ToArray(), v => Assert.Equal(0f, v));
        }
        TestData.AssertBitEqual(model.Predict(x).Span, a.Predict(x).Span, "prediction carried on from the saved state");

        b.ResetStates(states);
        a.ResetStates(states);
        TestData.AssertBitEqual(a.Predict(x).Span, b.Predict(x).Span, "prediction after ResetStates(values)");
        var e = Assert.Throws<ArgumentException>(() => b.ResetStates(states.Take(3).ToArray()));
        Assert.Contains("4 states", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => b.Layers[0].ResetStates([new Tensor(3, 5), new Tensor(2, 5)]));
        Assert.Contains("(3, 5)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => b.Layers[2].ResetStates([]));
    }

    [Fact]
    public void Save_NonFiniteWeight_IsRefusedAndLeavesTheOldFileAndNoTemporaryFile()
    {
        Sequential model = NewModel(new Adam(), stateful: false);
        string path = Path.Combine(_directory, "model.json");
        model.Save(path);
        byte[] before = File.ReadAllBytes(path);
        model.Parameters[1].Value.Span[7] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => model.Save(path));
        Assert.Contains("lstm/recurrent_kernel", e.Message, StringComparison.Ordinal);
        Assert.Contains("index 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OntoADirectory_FailsAndLeavesNoTemporaryFile()
    {
        Sequential model = NewModel(new Adam(), stateful: false);
        string path = Path.Combine(_directory, "taken.json");
        Directory.CreateDirectory(path);
        Assert.Throws<IOException>(() => model.Save(path));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("1e39", "outside float32's range")]
    [InlineData("-4e38", "outside float32's range")]
    [InlineData("1e400", "outside float32's range")]
    [InlineData("\"0.5\"", "should be a number")]
    [InlineData("true", "should be a number")]
    public void Load_BadWeightValue_NamesTheKey(string value, string message)
    {
        Sequential model = NewModel(new Adam(), stateful: false);
        string path = Path.Combine(_directory, "bad.json");
        model.Save(path);
        string text = File.ReadAllText(path);
        int values = text.IndexOf("\"values\"", StringComparison.Ordinal);
        int open = text.IndexOf('[', values), comma = text.IndexOf(',', open);
        File.WriteAllText(path, text[..(open + 1)] + value + text[comma..]);
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("layers[0].weights.kernel.values[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatV1WithoutTrainingState_StillLoads_WithFreshMoments()
    {
        Sequential model = NewModel(new Adam(), stateful: false);
        var random = new RandomGenerator(1206);
        model.Fit(TestData.Tensor(random, -1, 1, 3, 4, 2), TestData.Tensor(random, -1, 1, 3, 2), epochs: 1, verbose: 0);
        string path = Path.Combine(_directory, "v1.json");
        model.Save(path);
        string text = File.ReadAllText(path).Replace("lstmlab.sequential/2", "lstmlab.sequential/1", StringComparison.Ordinal);
        int at = text.IndexOf("\"training_state\"", StringComparison.Ordinal);
        File.WriteAllText(path, text[..text.LastIndexOf(',', at)] + "\n}");
        Sequential loaded = Sequential.Load(path);
        Assert.Equal(0, loaded.Optimizer!.Iterations);
        TestData.AssertBitEqual(model.Parameters[0].Value.Span, loaded.Parameters[0].Value.Span, "weights");
    }

    [Fact]
    public void Load_ConfigValueOfWrongType_NamesTheKey()
    {
        Sequential model = NewModel(new Adam(), stateful: false);
        string path = Path.Combine(_directory, "type.json");
        model.Save(path);
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("\"units\": 3", "\"units\": \"three\"", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("layers[1].config.units", e.Message, StringComparison.Ordinal);
        Assert.Contains("whole number", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"three\"", e.Message, StringComparison.Ordinal);
    }
}
