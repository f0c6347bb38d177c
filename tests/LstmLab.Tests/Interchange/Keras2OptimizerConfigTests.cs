using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Interchange;

/// <summary>
/// A Keras 2 <c>.h5</c>'s <c>training_config</c> names only keywords Keras 2.2.4's optimizers take, and a setting it cannot
/// name is refused (nothing written) rather than dropped. The accepted keywords are those of keras-team/keras tag 2.2.4,
/// <c>keras/optimizers.py</c>: <c>Optimizer.__init__</c> allows only clipnorm and clipvalue besides each class's own
/// arguments: SGD(lr, momentum, decay, nesterov), RMSprop(lr, rho, epsilon, decay), Adagrad(lr, epsilon, decay),
/// Adam(lr, beta_1, beta_2, epsilon, decay, amsgrad); any other keyword raises TypeError.
/// </summary>
public sealed class Keras2OptimizerConfigTests : IDisposable
{
    private static readonly string[] Base = ["clipnorm", "clipvalue"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmlab-tests-" + Guid.NewGuid().ToString("N"));

    public Keras2OptimizerConfigTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Optimizer Make(string name) => name switch
    {
        "sgd" => new Sgd(0.05, 0.9, nesterov: true) { ClipNorm = 1 },
        "rmsprop" => new RMSprop(0.01, 0.8, epsilon: 1e-6) { ClipValue = 0.5 },
        "adagrad" => new Adagrad(0.02, 0.1, 1e-6) { ClipNorm = 2 },
        "adam" => new Adam(0.01, 0.8, 0.99, 1e-6) { ClipValue = 1 },
        "rmsprop-momentum" => new RMSprop(0.01, momentum: 0.5),
        "rmsprop-centered" => new RMSprop(0.01, centered: true),
        "adagrad-accumulator" => new Adagrad(0.02, 0.3),
        "adam-global-clipnorm" => new Adam() { GlobalClipNorm = 2 },
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static Sequential Model(Optimizer optimizer)
    {
        var model = new Sequential(SampleShape.Sequence(3, 2), seed: 1220).Add(new Lstm(2)).Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, optimizer);
        var random = new RandomGenerator(1221);
        model.Fit(Numerics.TestData.Tensor(random, -1, 1, 4, 3, 2), Numerics.TestData.Tensor(random, -1, 1, 4, 1), epochs: 1, verbose: 0);
        return model;
    }

    [Theory]
    [InlineData("sgd", "SGD", new[] { "lr", "momentum", "decay", "nesterov" })]
    [InlineData("rmsprop", "RMSprop", new[] { "lr", "rho", "epsilon", "decay" })]
    [InlineData("adagrad", "Adagrad", new[] { "lr", "epsilon", "decay" })]
    [InlineData("adam", "Adam", new[] { "lr", "beta_1", "beta_2", "epsilon", "decay", "amsgrad" })]
    public void H5_WritesOnlyKeywordsKeras224Takes_AndReadsBackTheSameOptimizer(string name, string className, string[] accepted)
    {
        Sequential model = Model(Make(name));
        string path = Path.Combine(_directory, "m.h5");
        model.Save(path);
        string training;
        using (PureHDF.VOL.Native.NativeFile h5 = PureHDF.H5File.OpenRead(path))
            training = h5.Attribute("training_config").Read<string>();
        using JsonDocument doc = JsonDocument.Parse(training);
        JsonElement optimizer = doc.RootElement.GetProperty("optimizer_config");
        Assert.Equal(className, optimizer.GetProperty("class_name").GetString());
        string[] keys = [.. optimizer.GetProperty("config").EnumerateObject().Select(p => p.Name)];
        Assert.All(keys, k => Assert.Contains(k, accepted.Concat(Base)));
        Assert.Contains(keys, k => k is "clipnorm" or "clipvalue");

        Sequential loaded = Sequential.Load(path);
        Assert.Equal(model.Optimizer!.GetConfig(), loaded.Optimizer!.GetConfig());
        Assert.Equal((model.Optimizer.ClipNorm, model.Optimizer.ClipValue, model.Optimizer.GlobalClipNorm),
            (loaded.Optimizer.ClipNorm, loaded.Optimizer.ClipValue, loaded.Optimizer.GlobalClipNorm));
    }

    [Theory]
    [InlineData("rmsprop-momentum", "momentum = 0.5, which Keras 2.2.4's RMSprop does not have")]
    [InlineData("rmsprop-centered", "centered = true, which Keras 2.2.4's RMSprop does not have")]
    [InlineData("adagrad-accumulator", "initial_accumulator_value = 0.3, which Keras 2.2.4's Adagrad does not have")]
    [InlineData("adam-global-clipnorm", "global_clipnorm = 2, which Keras 2.2.4's optimizers do not take")]
    public void H5_SettingKeras224CannotName_IsRefusedAndNothingWritten_KerasAndJsonKeepIt(string name, string message)
    {
        Sequential model = Model(Make(name));
        string path = Path.Combine(_directory, "m.h5");
        var e = Assert.Throws<ArgumentException>(() => model.Save(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(".keras", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
        foreach (string other in (string[])["m.keras", "m.json"])
        {
            model.Save(Path.Combine(_directory, other));
            Assert.Equal(model.Optimizer!.GetConfig(), Sequential.Load(Path.Combine(_directory, other)).Optimizer!.GetConfig());
        }
    }
}
