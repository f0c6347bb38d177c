using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.ModelTests;

// Provenance (whole file) (hand): the optimizer settings restate what the test saved (round trip).

/// <summary>
/// Saving and loading a model: the round trip keeps architecture, weights (bit for bit), predictions
/// and compile settings; broken files fail with an exception that says what is wrong.
/// </summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-tests-" + Guid.NewGuid().ToString("N"));

    public ModelFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SaveLoad_RoundTripsWeightsPredictionsAndSettings()
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), batchSize: 2, seed: 401);
        model.Add(new Lstm(4, returnSequences: true, stateful: true, recurrentActivation: RecurrentActivation.HardSigmoidKeras2, unitForgetBias: false))
            .Add(new Lstm(3))
            .Add(new Dense(2, Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.005, 0.8, 0.99, 1e-8), "accuracy");
        var random = new RandomGenerator(402);
        Tensor x = TestData.Tensor(random, -1, 1, 4, 3, 2);
        model.Fit(x, TestData.OneHot(random, 4, 2), epochs: 2, shuffle: false, verbose: 0);
        string path = Path.Combine(_directory, "nested", "model.json");
        model.Save(path);

        Sequential loaded = Sequential.Load(path);
        Assert.Equal(model.InputShape, loaded.InputShape);
        Assert.Equal(model.BatchSize, loaded.BatchSize);
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(model.Summary(), loaded.Summary());
        var lstm = (Lstm)loaded.Layers[0];
        Assert.True(lstm.ReturnSequences && lstm.Stateful && !lstm.UnitForgetBias);
        Assert.Equal(RecurrentActivation.HardSigmoidKeras2, lstm.RecurrentActivation);
        Assert.Equal(Activation.Softmax, ((Dense)loaded.Layers[2]).Activation);
        for (int p = 0; p < model.Parameters.Count; p++)
            TestData.AssertBitEqual(model.Parameters[p].Value.Span, loaded.Parameters[p].Value.Span, $"weight {p}");
        Assert.Same(Loss.CategoricalCrossentropy, loaded.Loss);
        var adam = Assert.IsType<Adam>(loaded.Optimizer);
        Assert.Equal((0.005, 0.8, 0.99, 1e-8), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Equal(["accuracy"], loaded.MetricNames);

        model.ResetStates();
        TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions");
    }

    [Fact]
    public void SaveLoad_KeepsSgdAndAnyLengthInputs()
    {
        var model = new Sequential(SampleShape.Sequence(0, 1), seed: 403);
        model.Add(new Lstm(2)).Add(new Dense(1, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, new Sgd(0.3, 0.5, nesterov: true));
        string path = Path.Combine(_directory, "sgd.json");
        model.Save(path);
        Sequential loaded = Sequential.Load(path);
        Assert.Equal(0, loaded.InputShape.Timesteps);
        Assert.Null(loaded.BatchSize);
        var sgd = Assert.IsType<Sgd>(loaded.Optimizer);
        Assert.Equal((0.3, 0.5, true), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov));
        Tensor x = TestData.Tensor(new RandomGenerator(404), -1, 1, 2, 7, 1);
        TestData.AssertBitEqual(model.Predict(x).Span, loaded.Predict(x).Span, "predictions");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(_directory, "absent.json");
        var e = Assert.Throws<FileNotFoundException>(() => Sequential.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidJson_ThrowsInvalidData()
    {
        string path = Path.Combine(_directory, "broken.json");
        File.WriteAllText(path, "{ \"format\": \"lstmlab.sequential/1\", \"input\": ");
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongWeightShape_ThrowsInvalidData_NamingWeightAndShapes()
    {
        string path = SaveSmallModel();
        string text = File.ReadAllText(path);
        // The Dense kernel is (4, 1); claim (5, 1).
        int dense = text.IndexOf("\"Dense\"", StringComparison.Ordinal);
        int shape = text.IndexOf("\"shape\"", dense, StringComparison.Ordinal);
        int four = text.IndexOf('4', shape);
        File.WriteAllText(path, text[..four] + "5" + text[(four + 1)..]);
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Load(path));
        Assert.Contains("dense/kernel", e.Message, StringComparison.Ordinal);
        Assert.Contains("(5, 1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(4, 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongValueCountOrMissingKeyOrFormat_ThrowsInvalidData()
    {
        string path = SaveSmallModel();
        string text = File.ReadAllText(path);

        File.WriteAllText(path, text.Replace("\"units\": 4", "\"unitz\": 4", StringComparison.Ordinal));
        Assert.Contains("units", Assert.Throws<InvalidDataException>(() => Sequential.Load(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, text.Replace("lstmlab.sequential/2", "keras.h5", StringComparison.Ordinal));
        Assert.Contains("keras.h5", Assert.Throws<InvalidDataException>(() => Sequential.Load(path)).Message, StringComparison.Ordinal);

        // Drop the first value of the first weight: the shape is right but a value is missing.
        int values = text.IndexOf("\"values\"", StringComparison.Ordinal);
        int open = text.IndexOf('[', values), comma = text.IndexOf(',', open);
        File.WriteAllText(path, text[..(open + 1)] + text[(comma + 1)..]);
        Assert.Contains("kernel", Assert.Throws<InvalidDataException>(() => Sequential.Load(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, text.Replace("\"LSTM\"", "\"ConvLSTM2D\"", StringComparison.Ordinal));
        Assert.Contains("ConvLSTM2D", Assert.Throws<InvalidDataException>(() => Sequential.Load(path)).Message, StringComparison.Ordinal);
    }

    private string SaveSmallModel()
    {
        var model = new Sequential(SampleShape.Sequence(2, 3), seed: 405);
        model.Add(new Lstm(4)).Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Adam());
        string path = Path.Combine(_directory, "small.json");
        model.Save(path);
        return path;
    }
}
