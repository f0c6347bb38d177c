using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Parity;

/// <summary>
/// <c>return_state</c> routed inside a Sequential stack, against TensorFlow.js 4.22.0: the fixtures
/// (<c>tools/tfjs/make_return_state_fixtures.js</c>, run by hand) are Keras-style functional models whose recurrent
/// layers return [output, h(, c)], the output feeding the next layer and the states extra model outputs, with
/// seeded weights. Our Sequential with <c>ReturnState = true</c> must give the same final output and states (1e-5).
/// </summary>
public sealed class ReturnStateParityTests
{
    private static readonly string[] Cases = ["lstm_return_state_seq", "gru_return_state_masked_last", "stacked_lstm_simple_rnn_return_state"];

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tfjs-return-state");

    public static TheoryData<string> Names() => [.. Cases];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_output_flows_on_and_the_states_match_TensorFlowJs(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        JsonElement c = doc.RootElement.GetProperty("config");
        JsonElement tensors = doc.RootElement.GetProperty("tensors");
        float[] Values(string key) => [.. tensors.GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
        int[] ShapeOf(string key) => [.. tensors.GetProperty(key).GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())];

        var model = new Sequential(SampleShape.Sequence(c.GetProperty("timesteps").GetInt32(), c.GetProperty("features").GetInt32()), seed: 0);
        if (c.GetProperty("mask_value").ValueKind == JsonValueKind.Number)
            model.Add(new Masking(c.GetProperty("mask_value").GetDouble()));
        var specs = c.GetProperty("layers").EnumerateArray().ToArray();
        foreach (JsonElement spec in specs)
        {
            int units = spec.GetProperty("units").GetInt32();
            bool sequences = spec.GetProperty("return_sequences").GetBoolean(), returnState = spec.GetProperty("return_state").GetBoolean();
            model.Add(spec.GetProperty("rnn").GetString() switch
            {
                "gru" => new Gru(units, sequences, resetAfter: false) { ReturnState = returnState },
                "simple_rnn" => new SimpleRnn(units, returnSequences: sequences) { ReturnState = returnState },
                _ => new Lstm(units, sequences) { ReturnState = returnState },
            });
        }
        model.Add(new Dense(c.GetProperty("dense_units").GetInt32()));
        for (int i = 0; i < model.Parameters.Count; i++)
            model.Parameters[i].Assign(Values($"weights/{i}"));

        var x = new Tensor(Values("x"), ShapeOf("x"));
        (Tensor output, IReadOnlyList<Tensor> states) = model.PredictWithStates(x, batchSize: 2);   // 3 samples: two batches
        var check = new ParityCheck(name, "TF.js");
        check.Close(Values("output"), output.Span, "output");
        Assert.Equal(Values("output").Length, output.Size);
        Assert.Equal(model.Predict(x).Span.ToArray(), output.Span.ToArray());   // the routing leaves the output as Predict has it
        int at = 0;
        for (int layer = 0; layer < specs.Length; layer++)
        {
            for (int k = 0; tensors.TryGetProperty($"state/{layer}/{k}", out _); k++, at++)
                check.Close(Values($"state/{layer}/{k}"), states[at].Span, $"layer {layer} state {k}");
        }
        Assert.Equal(at, states.Count);
        check.Verify();
    }

    [Fact]
    public void Without_a_returning_layer_or_inside_Bidirectional_it_is_refused()
    {
        var model = new Sequential(SampleShape.Sequence(2, 1), seed: 1);
        model.Add(new Lstm(2));
        Assert.Contains("ReturnState", Assert.Throws<ArgumentException>(() => model.PredictWithStates(new Tensor(1, 2, 1))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Bidirectional(new Gru(2) { ReturnState = true }));
        // A copy for another batch size keeps the option.
        var stateful = new Sequential(SampleShape.Sequence(2, 1), batchSize: 2, seed: 1);
        stateful.Add(new Lstm(2, stateful: true) { ReturnState = true });
        Assert.True(((Recurrent)stateful.WithBatchSize(1).Layers[0]).ReturnState);
    }
}
