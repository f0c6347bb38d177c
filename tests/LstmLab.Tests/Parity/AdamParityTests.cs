using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Parity;

/// <summary>
/// The first Adam steps through <see cref="Sequential.TrainOnBatch"/> against torch.optim.Adam, made to follow
/// Keras's formula (ε added to √v) by setting PyTorch's eps to ε/√(1 − β2^t) at each step t: the loss of each
/// step (before its update) and every weight after it; for the stateful model also the carried state.
/// </summary>
public sealed class AdamParityTests
{
    [Fact]
    public void ThreeStepsOnOneBatchMatchPyTorch()
    {
        const string name = "adam_three_steps";
        PyTorchFixture fixture = PyTorchFixture.Load(name);
        Sequential model = fixture.BuildModel();
        var check = new ParityCheck(name);
        Tensor x = fixture.Tensor("x"), y = fixture.Tensor("y");

        for (int step = 1; step <= fixture.Steps; step++)
        {
            double loss = model.TrainOnBatch(x, y);
            CheckStep(check, fixture, model, step, loss);
        }
        check.Verify();
    }

    [Fact]
    public void StatefulTrainingOnConsecutiveBatchesMatchesPyTorch()
    {
        const string name = "adam_stateful_three_batches";
        PyTorchFixture fixture = PyTorchFixture.Load(name);
        Sequential model = fixture.BuildModel();
        var lstm = (Lstm)model.Layers[0];
        var check = new ParityCheck(name);

        for (int step = 1; step <= fixture.Steps; step++)
        {
            double loss = model.TrainOnBatch(fixture.Tensor($"x{step}"), fixture.Tensor($"y{step}"));
            CheckStep(check, fixture, model, step, loss);
            check.Close(fixture.Values($"step{step}/state/h"), lstm.StateH, $"step {step}: carried state h");
            check.Close(fixture.Values($"step{step}/state/c"), lstm.StateC, $"step {step}: carried state c");
        }
        check.Verify();
    }

    private static void CheckStep(ParityCheck check, PyTorchFixture fixture, Sequential model, int step, double loss)
    {
        check.Close(fixture.Scalar($"step{step}/loss"), loss, $"step {step}: loss");
        foreach (Layer layer in model.Layers)
        {
            foreach (Parameter p in layer.Parameters)
            {
                string weight = PyTorchFixture.WeightName(layer, p);
                check.Close(fixture.Values($"step{step}/{weight}"), p.Value.Span, $"step {step}: {weight} after the update");
            }
        }
    }
}
