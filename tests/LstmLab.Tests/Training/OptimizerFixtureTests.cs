using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

/// <summary>
/// RMSprop, Adagrad and the three Keras clippings against <c>Fixtures/optimizers/optimizers.json</c>:
/// float64 numpy written from the formulas of Keras 3 (rmsprop.py, adagrad.py, base_optimizer.py), made by
/// <c>tools/optimizers/make_optimizer_fixtures.py</c>. Two parameters, five steps, the values after each.
/// </summary>
public sealed class OptimizerFixtureTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Load().GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Update_MatchesTheIndependentReference(string name)
    {
        JsonElement c = Load().GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        Optimizer optimizer = Create(c.GetProperty("settings"));
        var shapes = c.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToArray();
        var parameters = shapes.Select((s, i) => new Parameter($"p{i}", new Shape(s))).ToArray();
        float[][] start = Arrays(c.GetProperty("start"));
        for (int i = 0; i < parameters.Length; i++)
            parameters[i].Assign(start[i]);
        JsonElement[] gradients = c.GetProperty("gradients").EnumerateArray().ToArray(), after = c.GetProperty("after").EnumerateArray().ToArray();
        for (int step = 0; step < gradients.Length; step++)
        {
            float[][] g = Arrays(gradients[step]), expected = Arrays(after[step]);
            for (int i = 0; i < parameters.Length; i++)
                g[i].CopyTo(parameters[i].Gradient.Span);
            optimizer.Apply(parameters);
            for (int i = 0; i < parameters.Length; i++)
                TestData.AssertClose(expected[i], parameters[i].Value.Span, 2e-6, $"{name} step {step + 1} parameter {i}");
        }
    }

    [Fact]
    public void Clipping_IsActiveInTheFixtures()
    {
        // The clip cases only prove something if the gradients exceed the thresholds.
        foreach (string name in new[] { "sgd_clipnorm", "sgd_global_clipnorm", "sgd_clipvalue" })
        {
            JsonElement c = Load().GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
            float[][] g = Arrays(c.GetProperty("gradients")[0]);
            Assert.True(g.Max(v => Math.Sqrt(v.Sum(x => (double)x * x))) > 1.0 && g.SelectMany(v => v).Max(Math.Abs) > 0.5, name);
        }
    }

    // Provenance (hand): two plain SGD steps with gradient 1: 1 − 0.1 − 0.5.
    [Fact]
    public void LearningRate_CanChangeBetweenUpdates()
    {
        var parameter = new Parameter("w", new Shape(1));
        parameter.Assign([1f]);
        var sgd = new Sgd(0.1);
        parameter.Gradient.Span[0] = 1f;
        sgd.Apply([parameter]);
        sgd.LearningRate = 0.5;
        sgd.Apply([parameter]);
        Assert.Equal(1f - 0.1f - 0.5f, parameter.Value.Span[0], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.PositiveInfinity);
        Assert.Equal(0.5, sgd.LearningRate);
    }

    [Fact]
    public void Clipping_OnlyOneAtATime_AndPositive()
    {
        var adam = new Adam { ClipNorm = 1 };
        ArgumentException e = Assert.Throws<ArgumentException>(() => adam.ClipValue = 0.5);
        Assert.Contains("Only one of clipnorm, clipvalue and global_clipnorm", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => adam.GlobalClipNorm = 2);
        adam.ClipNorm = null;
        adam.GlobalClipNorm = 2;
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop { ClipValue = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop { ClipNorm = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop(rho: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(initialAccumulatorValue: -0.1));
        Assert.Throws<ArgumentException>(() => new OptimizerSettings("adamw").Create());
    }

    [Fact]
    public void GlobalClipNorm_NonFiniteNorm_MakesTheGradientNaN()
    {
        // Keras: scale = c·min(1/norm, 1/c) + (norm − norm), NaN for an infinite or NaN norm.
        var a = new Parameter("a", new Shape(2));
        var b = new Parameter("b", new Shape(1));
        a.Assign([0f, 0f]);
        b.Assign([0f]);
        a.Gradient.Span[0] = float.PositiveInfinity;
        a.Gradient.Span[1] = 1f;
        b.Gradient.Span[0] = 1f;
        new Sgd(0.1) { GlobalClipNorm = 1 }.Apply([a, b]);
        Assert.True(float.IsNaN(b.Value.Span[0]));
    }

    [Theory]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    [InlineData("adam-clipnorm")]
    [InlineData("sgd-global")]
    [InlineData("rmsprop-clipvalue")]
    public void TrainOnBatch_WithTheNewOptimizersAndClipping_AllocatesNothing(string which)
    {
        var model = new Sequential(SampleShape.Sequence(5, 3), seed: 301);
        model.Add(new Lstm(6, returnSequences: true)).Add(new Dense(4, Activation.Softmax));
        Optimizer optimizer = which switch
        {
            "rmsprop" => new RMSprop(momentum: 0.9, centered: true),
            "adagrad" => new Adagrad(),
            "adam-clipnorm" => new Adam { ClipNorm = 0.1 },
            "sgd-global" => new Sgd(0.1) { GlobalClipNorm = 0.1 },
            _ => new RMSprop { ClipValue = 0.01 },
        };
        model.Compile(Loss.CategoricalCrossentropy, optimizer);
        var random = new RandomGenerator(302);
        Tensor x = TestData.Tensor(random, -1, 1, 8, 5, 3);
        var y = new Tensor(8, 5, 4);
        for (int r = 0; r < 40; r++)
            y.Span[r * 4 + random.NextInt(4)] = 1;
        long allocated = TestData.SteadyAllocation(() => model.TrainOnBatch(x, y), 50);
        Assert.True(allocated == 0, $"50 training steps allocated {allocated} bytes (the fewest of three windows).");
    }

    private static Optimizer Create(JsonElement s)
    {
        double lr = s.GetProperty("learning_rate").GetDouble();
        Optimizer optimizer = s.GetProperty("optimizer").GetString() switch
        {
            "rmsprop" => new RMSprop(lr, s.GetProperty("rho").GetDouble(), s.GetProperty("momentum").GetDouble(), s.GetProperty("epsilon").GetDouble(), s.GetProperty("centered").GetBoolean()),
            "adagrad" => new Adagrad(lr, s.GetProperty("initial_accumulator_value").GetDouble(), s.GetProperty("epsilon").GetDouble()),
            _ => new Sgd(lr),
        };
        if (s.TryGetProperty("clipnorm", out JsonElement cn))
            optimizer.ClipNorm = cn.GetDouble();
        if (s.TryGetProperty("global_clipnorm", out JsonElement gn))
            optimizer.GlobalClipNorm = gn.GetDouble();
        if (s.TryGetProperty("clipvalue", out JsonElement cv))
            optimizer.ClipValue = cv.GetDouble();
        return optimizer;
    }

    private static float[][] Arrays(JsonElement e) =>
        e.EnumerateArray().Select(a => a.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();

    private static JsonElement Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers", "optimizers.json"))).RootElement;
}
