using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Parity;

/// <summary>
/// Parity with TensorFlow.js 4.22.0 (an implementation of Keras's layers nobody here wrote): fixtures written by
/// <c>tools/tfjs/make_fixtures.js</c> (see its header for how to regenerate and where TF.js differs from Keras)
/// hold identical weights and inputs, TF.js's outputs, loss, gradients of every weight and of the input, carried
/// states, and weights after optimizer steps. Compared with <see cref="ParityCheck"/>'s rule (1e-5 relative,
/// 1e-6 absolute floor). TF.js computes these losses over every row, masked or not, so the engine's layers are
/// run here one by one (masks passed on as in a model) and the loss over all rows, as there.
/// </summary>
public sealed class TfjsParityTests
{
    public static readonly string[] GradientCaseNames =
    [
        "gru_reset_before_last_mse",
        "gru_reset_before_seq_huber",
        "gru_backwards_masked_seq_mae",
        "simple_rnn_last_softmax_sparse_cce",
        "simple_rnn_backwards_masked_logits_bce",
        "lstm_backwards_masked_seq_mse",
        "bidirectional_lstm_concat_seq_mse",
        "bidirectional_gru_sum_last_mse",
        "bidirectional_gru_mul_masked_seq_mse",
        "bidirectional_simple_rnn_ave_last_logits_cce",
    ];

    private static readonly string[] OtherCases = ["gru_stateful_two_batches", "gru_sgd_three_steps", "bidirectional_lstm_adam_three_steps"];

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tfjs");

    public static TheoryData<string> GradientCases() => [.. GradientCaseNames];

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void OutputLossAndGradients_MatchTensorFlowJs(string name)
    {
        Fixture f = Fixture.Load(name);
        Sequential model = f.Build();
        Tensor x = f.Tensor("x"), y = f.Tensor("y");
        foreach (Parameter p in model.Parameters)
            p.Gradient.Clear();
        Tensor h = x;
        Tensor? mask = null;
        foreach (Layer layer in model.Layers)
        {
            h = layer.Forward(h, mask, training: true);
            mask = layer.OutputMask(mask);
        }
        int width = model.OutputShape.Features;
        var lossGradient = new Tensor(h.Shape);
        double loss = model.Loss!.Compute(h.Span, y.Span, lossGradient.Span, h.Size / width, width);
        var check = new ParityCheck(name, "TF.js");
        check.Close(f.Values("output"), h.Span, "output");
        check.Close(f.Scalar("loss"), loss, "loss");
        Tensor? gradient = lossGradient;
        for (int i = model.Layers.Count - 1; i >= 0; i--)
            gradient = model.Layers[i].Backward(gradient!, needInputGradient: true);
        for (int i = 0; i < model.Parameters.Count; i++)
            check.Close(f.Values($"grad/{i}"), model.Parameters[i].Gradient.Span, $"gradient of weight {i} ({model.Parameters[i].Name})");
        if (f.Has("grad/x"))
            check.Close(f.Values("grad/x"), gradient!.Span, "gradient of x");
        check.Verify();
    }

    [Fact]
    public void StatefulGru_CarriesTheStateLikeTensorFlowJs()
    {
        Fixture f = Fixture.Load("gru_stateful_two_batches");
        Sequential model = f.Build();
        var gru = (Gru)model.Layers[0];
        var check = new ParityCheck(f.Name, "TF.js");
        check.Close(f.Values("output"), model.Predict(f.Tensor("x")).Span, "first batch output");
        check.Close(f.Values("state1/0"), gru.StateH, "state after the first batch");
        check.Close(f.Values("output2"), model.Predict(f.Tensor("x2")).Span, "second batch output");
        check.Close(f.Values("state2/0"), gru.StateH, "state after the second batch");
        check.Verify();
    }

    [Theory]
    [InlineData("gru_sgd_three_steps")]
    [InlineData("bidirectional_lstm_adam_three_steps")]
    public void WeightsAfterOptimizerSteps_Match(string name)
    {
        Fixture f = Fixture.Load(name);
        Sequential model = f.Build();
        Tensor x = f.Tensor("x"), y = f.Tensor("y");
        var check = new ParityCheck(name, "TF.js");
        for (int step = 1; step <= f.Config.GetProperty("steps").GetInt32(); step++)
        {
            model.TrainOnBatch(x, y);
            for (int i = 0; i < model.Parameters.Count; i++)
                check.Close(f.Values($"step{step}/weights/{i}"), model.Parameters[i].Value.Span, $"step {step}, weight {i}");
        }
        check.Verify();
    }

    [Fact]
    public void EveryFixtureIsTestedAndPresent()
    {
        var tested = new SortedSet<string>(GradientCaseNames.Concat(OtherCases), StringComparer.Ordinal);
        var present = new SortedSet<string>(System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)), StringComparer.Ordinal);
        Assert.Equal(tested, present);
    }

    /// <summary>One fixture: its configuration and named float32 tensors (row-major, with shapes).</summary>
    private sealed class Fixture
    {
        private readonly Dictionary<string, (float[] Data, int[] Shape)> _tensors = [];
        private readonly Dictionary<string, double> _scalars = [];

        private Fixture(string name, JsonElement root)
        {
            Name = name;
            Config = root.GetProperty("config").Clone();
            foreach (JsonProperty t in root.GetProperty("tensors").EnumerateObject())
            {
                int[] shape = [.. t.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
                float[] data = [.. t.Value.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
                _tensors.Add(t.Name, (data, shape));
            }
            foreach (JsonProperty s in root.GetProperty("scalars").EnumerateObject())
                _scalars.Add(s.Name, s.Value.GetDouble());
        }

        public string Name { get; }

        public JsonElement Config { get; }

        public static Fixture Load(string name)
        {
            string path = Path.Combine(Directory, name + ".json");
            if (!File.Exists(path))
                throw new FileNotFoundException($"Fixture '{name}' is missing at {path}. Regenerate with: cd tools/tfjs && npm install && node make_fixtures.js", path);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
            return new Fixture(name, doc.RootElement);
        }

        public bool Has(string tensor) => _tensors.ContainsKey(tensor);

        public float[] Values(string tensor) => _tensors.TryGetValue(tensor, out var t) ? t.Data
            : throw new KeyNotFoundException($"Fixture '{Name}' has no tensor '{tensor}'.");

        public Tensor Tensor(string tensor) => new((float[])Values(tensor).Clone(), _tensors[tensor].Shape);

        public double Scalar(string name) => _scalars[name];

        /// <summary>The fixture's model with our API, the fixture's weights assigned in order, compiled with its loss and optimizer.</summary>
        public Sequential Build()
        {
            JsonElement c = Config;
            int Int(string key) => c.GetProperty(key).GetInt32();
            bool Bool(string key) => c.GetProperty(key).GetBoolean();
            string rnn = c.GetProperty("rnn").GetString()!;
            int units = Int("units");
            bool sequences = Bool("return_sequences"), backwards = Bool("go_backwards"), stateful = Bool("stateful");
            var model = new Sequential(SampleShape.Sequence(Int("timesteps"), Int("features")), stateful ? Int("batch") : null, seed: 0);
            if (c.GetProperty("mask_value").ValueKind == JsonValueKind.Number)
                model.Add(new Masking(c.GetProperty("mask_value").GetDouble()));
            Recurrent layer = rnn switch
            {
                "gru" => new Gru(units, sequences, stateful, resetAfter: false, goBackwards: backwards),
                "simple_rnn" => new SimpleRnn(units, returnSequences: sequences, stateful: stateful, goBackwards: backwards),
                _ => new Lstm(units, sequences, stateful, goBackwards: backwards),
            };
            string? merge = c.GetProperty("bidirectional").ValueKind == JsonValueKind.String ? c.GetProperty("bidirectional").GetString() : null;
            model.Add(merge is null ? layer : new Bidirectional(layer, Enum.Parse<MergeMode>(merge, ignoreCase: true)));
            model.Add(new Dense(Int("dense_units"), Activations.Parse(c.GetProperty("dense_activation").GetString()!)));
            for (int i = 0; i < model.Parameters.Count; i++)
                model.Parameters[i].Assign(Values($"weights/{i}"));
            string? optimizer = c.GetProperty("optimizer").ValueKind == JsonValueKind.String ? c.GetProperty("optimizer").GetString() : null;
            double rate = c.GetProperty("learning_rate").GetDouble();
            Optimizer opt = optimizer switch
            {
                "sgd" => new Sgd(rate),
                "adam" => new Adam(rate),
                _ => new FrozenOptimizer(),
            };
            model.Compile(Loss.Parse(c.GetProperty("loss").GetString()!), opt);
            return model;
        }
    }
}
