using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Tests.Parity;

/// <summary>
/// One fixture written by <c>tools/pytorch/make_fixtures.py</c> (see its docstring for the format and how
/// to regenerate): a model configuration, named float32 tensors (row-major, with shapes) and scalars.
/// The files are copied next to the test assembly (<c>Fixtures/pytorch/*.json</c>); tests never call Python.
/// </summary>
internal sealed class PyTorchFixture
{
    private readonly Dictionary<string, (float[] Data, int[] Shape)> _tensors = [];
    private readonly Dictionary<string, double> _scalars = [];

    private PyTorchFixture(string name, JsonElement root)
    {
        Name = name;
        JsonElement config = root.GetProperty("config");
        Batch = config.GetProperty("batch").GetInt32();
        Timesteps = config.GetProperty("timesteps").GetInt32();
        Features = config.GetProperty("features").GetInt32();
        Units = config.GetProperty("units").GetInt32();
        DenseUnits = config.GetProperty("dense_units").GetInt32();
        ReturnSequences = config.GetProperty("return_sequences").GetBoolean();
        Stateful = config.GetProperty("stateful").GetBoolean();
        RecurrentActivation = Activations.ParseRecurrent(config.GetProperty("recurrent_activation").GetString()!);
        Activation = Activations.Parse(config.GetProperty("activation").GetString()!);
        Loss = Loss.Parse(config.GetProperty("loss").GetString()!);
        LearningRate = config.TryGetProperty("learning_rate", out JsonElement lr) ? lr.GetDouble() : null;
        Steps = config.TryGetProperty("steps", out JsonElement steps) ? steps.GetInt32() : 0;

        foreach (JsonProperty tensor in root.GetProperty("tensors").EnumerateObject())
        {
            int[] shape = [.. tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            float[] data = [.. tensor.Value.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
            if (data.Length != shape.Aggregate(1, (a, b) => a * b))
                throw new InvalidDataException($"Fixture '{name}': tensor '{tensor.Name}' has {data.Length} values for shape [{string.Join(", ", shape)}].");
            _tensors.Add(tensor.Name, (data, shape));
        }
        foreach (JsonProperty scalar in root.GetProperty("scalars").EnumerateObject())
            _scalars.Add(scalar.Name, scalar.Value.GetDouble());
    }

    public string Name { get; }

    public int Batch { get; }

    public int Timesteps { get; }

    public int Features { get; }

    public int Units { get; }

    public int DenseUnits { get; }

    public bool ReturnSequences { get; }

    public bool Stateful { get; }

    public RecurrentActivation RecurrentActivation { get; }

    public Activation Activation { get; }

    public Loss Loss { get; }

    public double? LearningRate { get; }

    public int Steps { get; }

    /// <summary>The folder the fixtures are copied to, beside the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");

    /// <summary>Loads <c>Fixtures/pytorch/&lt;name&gt;.json</c>.</summary>
    public static PyTorchFixture Load(string name)
    {
        string path = Path.Combine(Directory, name + ".json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Fixture '{name}' is missing at {path}. Regenerate with: /usr/bin/python3 tools/pytorch/make_fixtures.py", path);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return new PyTorchFixture(name, doc.RootElement);
    }

    public bool Has(string tensor) => _tensors.ContainsKey(tensor);

    /// <summary>The values of a named tensor, row-major.</summary>
    public float[] Values(string tensor) => _tensors.TryGetValue(tensor, out var t)
        ? t.Data
        : throw new KeyNotFoundException($"Fixture '{Name}' has no tensor '{tensor}'.");

    /// <summary>A named tensor as a <see cref="Tensor"/> (a copy of the values).</summary>
    public Tensor Tensor(string tensor)
    {
        float[] data = Values(tensor);
        return new Tensor((float[])data.Clone(), _tensors[tensor].Shape);
    }

    public double Scalar(string name) => _scalars.TryGetValue(name, out double v)
        ? v
        : throw new KeyNotFoundException($"Fixture '{Name}' has no scalar '{name}'.");

    /// <summary>
    /// The fixture's model with our API: <c>Lstm</c> then <c>Dense</c>, fixed batch size, weights assigned
    /// from the fixture's Keras-layout tensors (<c>lstm/kernel</c>, …; prefix <paramref name="weightPrefix"/>),
    /// compiled with the fixture's loss and Adam (its learning rate, else Keras's default).
    /// </summary>
    public Sequential BuildModel(string weightPrefix = "")
    {
        var model = new Sequential(SampleShape.Sequence(Timesteps, Features), batchSize: Batch, seed: 0);
        model.Add(new Lstm(Units, returnSequences: ReturnSequences, stateful: Stateful, recurrentActivation: RecurrentActivation));
        model.Add(new Dense(DenseUnits, Activation));
        foreach (Layer layer in model.Layers)
        {
            foreach (Parameter p in layer.Parameters)
                p.Assign(Values(weightPrefix + WeightName(layer, p)));
        }
        model.Compile(Loss, LearningRate is double rate ? new Adam(learningRate: rate) : new Adam());
        return model;
    }

    /// <summary>The fixture's name for a weight: <c>lstm/kernel</c>, <c>dense/bias</c>, …</summary>
    public static string WeightName(Layer layer, Parameter parameter) => $"{layer.Name}/{parameter.Name}";
}
