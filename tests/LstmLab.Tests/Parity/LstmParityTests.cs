using LstmLab.Layers;
using Xunit;

namespace LstmLab.Tests.Parity;

/// <summary>
/// LSTM → Dense models against PyTorch (nn.LSTM, nn.Linear, Keras losses written out in torch): the LSTM's
/// output, the model's output, the loss, the gradient of every weight and dL/dx, on one batch
/// (fixtures from <c>tools/pytorch/make_fixtures.py</c>; tolerance rule in <see cref="ParityCheck"/>).
/// </summary>
public sealed class LstmParityTests
{
    internal static readonly string[] GradientCaseNames =
    [
        "lstm_last_dense_linear_mse",
        "lstm_last_dense_sigmoid_bce",
        "lstm_last_dense_softmax_cce",
        "lstm_seq_dense_linear_mse",
        "lstm_seq_dense_sigmoid_bce",
        "lstm_seq_dense_softmax_cce",
        "lstm_hard_sigmoid_keras2_mse",
        "lstm_hard_sigmoid_keras3_mse",
    ];

    public static TheoryData<string> GradientCases => new(GradientCaseNames);

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void ForwardLossAndEveryGradientMatchPyTorch(string name)
    {
        PyTorchFixture fixture = PyTorchFixture.Load(name);
        Sequential model = fixture.BuildModel();
        var check = new ParityCheck(name);

        EngineRun run = EngineRun.ForwardBackward(model, fixture.Tensor("x"), fixture.Tensor("y"));

        CheckRun(check, fixture, model, run);
        check.Verify();
    }

    /// <summary>
    /// The stateful carry: batch <c>x_prev</c> is predicted first, and its final state (checked against
    /// <c>state/h0</c>, <c>state/c0</c>) must be the initial state of batch <c>x</c>, whose outputs, loss,
    /// gradients (the carried-in state is a constant) and final state are checked.
    /// </summary>
    [Fact]
    public void StatefulSecondBatchStartsFromTheFirstBatchsFinalState()
    {
        const string name = "lstm_stateful_two_batches";
        PyTorchFixture fixture = PyTorchFixture.Load(name);
        Sequential model = fixture.BuildModel();
        var lstm = (Lstm)model.Layers[0];
        var check = new ParityCheck(name);

        model.Predict(fixture.Tensor("x_prev"));
        check.Close(fixture.Values("state/h0"), lstm.StateH, "state h after batch 1 (initial h of batch 2)");
        check.Close(fixture.Values("state/c0"), lstm.StateC, "state c after batch 1 (initial c of batch 2)");

        EngineRun run = EngineRun.ForwardBackward(model, fixture.Tensor("x"), fixture.Tensor("y"));

        CheckRun(check, fixture, model, run);
        check.Close(fixture.Values("state/hT"), lstm.StateH, "state h after batch 2");
        check.Close(fixture.Values("state/cT"), lstm.StateC, "state c after batch 2");
        check.Verify();
    }

    private static void CheckRun(ParityCheck check, PyTorchFixture fixture, Sequential model, EngineRun run)
    {
        check.Close(fixture.Values("lstm_output"), run.LstmOutput, "LSTM output");
        check.Close(fixture.Values("output"), run.Output, "model output");
        check.Close(fixture.Scalar("loss"), run.Loss, "loss");
        foreach (Layer layer in model.Layers)
        {
            foreach (Parameter p in layer.Parameters)
            {
                string weight = PyTorchFixture.WeightName(layer, p);
                check.Close(fixture.Values("grad/" + weight), p.Gradient.Span, $"dL/d({weight})");
            }
        }
        check.Close(fixture.Values("grad/x"), run.InputGradient, "dL/dx");
    }
}
