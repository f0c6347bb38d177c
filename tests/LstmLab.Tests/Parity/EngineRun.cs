using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Tests.Parity;

/// <summary>
/// One forward and backward pass of a compiled model through the layers' own (internal) Forward and
/// Backward, as <c>Sequential.TrainOnBatch</c> does but without the optimizer step and keeping dL/dx.
/// </summary>
internal sealed record EngineRun(float[] LstmOutput, float[] Output, double Loss, float[] InputGradient)
{
    public static EngineRun ForwardBackward(Sequential model, Tensor x, Tensor y)
    {
        foreach (Parameter p in model.Parameters)
            p.Gradient.Clear();

        Tensor h = x;
        float[]? lstmOutput = null;
        foreach (Layer layer in model.Layers)
        {
            h = layer.Forward(h, training: true);
            lstmOutput ??= h.ToArray();
        }

        int width = model.OutputShape.Features;
        var lossGradient = new Tensor(h.Shape);
        double loss = model.Loss!.Compute(h.Span, y.Span, lossGradient.Span, h.Size / width, width);
        float[] output = h.ToArray();

        Tensor? gradient = lossGradient;
        for (int i = model.Layers.Count - 1; i >= 0; i--)
            gradient = model.Layers[i].Backward(gradient!, needInputGradient: true);
        return new EngineRun(lstmOutput!, output, loss, gradient!.ToArray());
    }
}
