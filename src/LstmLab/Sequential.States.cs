using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab;

// return_state in a Sequential stack: the outputs flow on, the final states of the layers that return them are read here.
public sealed partial class Sequential
{
    /// <summary>
    /// Runs the model like <see cref="Predict"/> and also returns the final states of every recurrent layer whose
    /// <see cref="Recurrent.ReturnState"/> is set, layer by layer in order (each layer's h, then c for an LSTM; each
    /// (samples, units), one row per sample). This is what a Keras functional model returns with those layers'
    /// states as extra outputs: <c>Model(inputs, [output, h, c])</c>; each layer's own output flows on to the next
    /// layer. A masked sample's states are those after its last kept step. Stateful layers advance their state.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not fit the model, or no layer returns its state.</exception>
    public (Tensor Output, IReadOnlyList<Tensor> States) PredictWithStates(Tensor x, int? batchSize = null)
    {
        Recurrent[] returning = [.. _layers.OfType<Recurrent>().Where(r => r.ReturnState)];
        if (returning.Length == 0)
            throw new ArgumentException("No layer of this model returns its state: create a recurrent layer with ReturnState = true (Keras return_state=True).", nameof(x));
        int samples = CheckInput(x);
        int batch = ResolveBatchSize(batchSize, samples);
        SampleShape output = OutputShape;
        int steps = output.IsSequence ? OutputSteps(x) : 1;
        Tensor result = output.IsSequence ? new Tensor(samples, steps, output.Features) : new Tensor(samples, output.Features);
        var states = new List<Tensor>();
        foreach (Recurrent r in returning)
        {
            for (int k = 0; k < r.StateCount; k++)
                states.Add(new Tensor(samples, r.Units));
        }
        int rowSize = steps * output.Features;
        for (int start = 0; start < samples; start += batch)
        {
            int count = Math.Min(batch, samples - start);
            Slice(x, start, count, _batchX);
            Tensor y = ForwardAll(_batchX, training: false);
            y.Span.CopyTo(result.Span.Slice(start * rowSize, count * rowSize));
            int at = 0;
            foreach (Recurrent r in returning)
            {
                for (int k = 0; k < r.StateCount; k++, at++)
                    r.FinalState(k).CopyTo(states[at].Span.Slice(start * r.Units, count * r.Units));
            }
        }
        return (result, states);
    }
}
