using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Layers;

/// <summary>
/// End-to-end gradient checks through a whole model and its compiled loss: <see cref="Sequential.TrainOnBatch"/>
/// with an optimizer that changes nothing leaves dLoss/dweight in every <see cref="Parameter.Gradient"/>;
/// the numeric gradient comes from <see cref="Sequential.Evaluate"/>. Stacked LSTMs make the second
/// LSTM's input gradient part of the chain.
/// </summary>
public sealed class SequentialGradientTests
{
    public static TheoryData<string> Models => ["lstm-dense-softmax-cce", "lstm-seq-dense-sigmoid-bce", "lstm-lstm-dense-mse", "lstm-hard-dense-tanh-mse"];

    [Theory]
    [MemberData(nameof(Models))]
    public void ParameterGradients_OfTheCompiledLoss_MatchFiniteDifferences(string name)
    {
        (Sequential model, Tensor x, Tensor y) = Build(name);
        model.TrainOnBatch(x, y);
        float[][] gradients = TestData.Gradients(model.Parameters);
        double Loss() => model.Evaluate(x, y).Loss;
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            Parameter parameter = model.Parameters[p];
            GradientChecker.Check($"{name} #{p} {parameter.Name}", parameter.Value, gradients[p], Loss,
                allowKinks: name.Contains("hard", StringComparison.Ordinal), absoluteTolerance: 1e-4);
        }
        // Every weight tensor of every layer must receive some gradient through the chain.
        Assert.All(gradients, g => Assert.Contains(g, v => Math.Abs(v) > 1e-4f));
    }

    private static (Sequential Model, Tensor X, Tensor Y) Build(string name)
    {
        const int batch = 4, steps = 3, features = 2;
        var random = new RandomGenerator(61);
        var model = new Sequential(SampleShape.Sequence(steps, features), seed: 62);
        Tensor x = TestData.Tensor(random, -2, 2, batch, steps, features);
        Tensor y;
        Loss loss;
        switch (name)
        {
            case "lstm-dense-softmax-cce":
                model.Add(new Lstm(4)).Add(new Dense(3, Activation.Softmax));
                y = TestData.OneHot(random, batch, 3);
                loss = Loss.CategoricalCrossentropy;
                break;
            case "lstm-seq-dense-sigmoid-bce":
                model.Add(new Lstm(4, returnSequences: true)).Add(new Dense(2, Activation.Sigmoid));
                y = new Tensor(batch, steps, 2);
                for (int i = 0; i < y.Size; i++)
                    y.Span[i] = random.NextInt(2);
                loss = Loss.BinaryCrossentropy;
                break;
            case "lstm-lstm-dense-mse":
                model.Add(new Lstm(4, returnSequences: true)).Add(new Lstm(3)).Add(new Dense(2));
                y = TestData.Tensor(random, -1, 1, batch, 2);
                loss = Loss.MeanSquaredError;
                break;
            default:
                model.Add(new Lstm(4, recurrentActivation: RecurrentActivation.HardSigmoidKeras2)).Add(new Dense(2, Activation.Tanh));
                y = TestData.Tensor(random, -1, 1, batch, 2);
                loss = Loss.MeanSquaredError;
                break;
        }
        model.Compile(loss, new FrozenOptimizer());
        return (model, x, y);
    }
}
