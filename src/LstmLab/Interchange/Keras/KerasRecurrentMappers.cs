using System.Text.Json;
using LstmLab.Layers;
using LstmLab.Numerics;

namespace LstmLab.Interchange.Keras;

/// <summary>
/// The options every Keras RNN layer shares (<c>keras/src/layers/rnn/rnn.py</c> get_config: return_sequences,
/// return_state, go_backwards, stateful, unroll, zero_output_for_mask; the cells' use_bias, dropout,
/// recurrent_dropout, regularizers and constraints), read and written once; each subclass adds its cell's options.
/// Keras 3 keeps the variables in <c>cell/vars/0..2</c>; tf.keras 2 names them <c>&lt;layer&gt;/&lt;cell&gt;/kernel:0</c>.
/// </summary>
internal abstract class RecurrentMapper : IKerasLayerMapper
{
    public abstract string ClassName { get; }

    /// <summary>tf.keras's name of the cell (<c>lstm_cell</c>), the middle part of the layer's weight names.</summary>
    protected abstract string CellName { get; }

    public abstract bool Writes(Layer layer);

    public abstract Layer Read(KerasLayerEntry entry);

    public Keras3Layout Keras3Layout(Layer layer) => Keras.Keras3Layout.Below("", 3, cell: true);

    public IReadOnlyList<string> Keras2WeightNames(Layer layer) => Keras2WeightNames(layer.Name);

    /// <summary>The weight names below <paramref name="prefix"/> (the layer's name, or a Bidirectional's <c>bidirectional/forward_lstm</c>).</summary>
    public IReadOnlyList<string> Keras2WeightNames(string prefix) =>
        [$"{prefix}/{CellName}/kernel:0", $"{prefix}/{CellName}/recurrent_kernel:0", $"{prefix}/{CellName}/bias:0"];

    /// <summary>The options LstmLab's recurrent layers share, read from the entry (refusing what they lack).</summary>
    protected static (int Units, bool ReturnSequences, bool Stateful, bool GoBackwards, double Dropout, double RecurrentDropout) ReadCommon(KerasLayerEntry e)
    {
        KerasLayerMappers.CheckCommon(e);
        e.Require("use_bias", true, $"LstmLab's {e.ClassName} always has a bias.");
        e.Require("return_state", false, "LstmLab's recurrent layers in a Sequential do not return their states as outputs.");
        e.Require("time_major", false, "LstmLab reads batch-major sequences only.");
        foreach (string key in (string[])["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint"])
            e.RequireNull(key, "LstmLab has no regularizers or constraints.");
        if (e.MaskUpstream)
            e.Require("zero_output_for_mask", false, $"LstmLab's {e.ClassName} repeats the previous output at a masked step rather than writing zeros.");
        // unroll, implementation, use_cudnn and seed change how Keras computes (or draws dropout masks), not what a prediction is: accepted.
        return (e.Int("units"), e.Bool("return_sequences", false), e.Bool("stateful", false), e.Bool("go_backwards", false),
            e.Fraction("dropout", 0), e.Fraction("recurrent_dropout", 0));
    }

    /// <summary>The gate activation: sigmoid, or hard_sigmoid of the file's Keras (absent: multi-backend Keras's hard_sigmoid, else sigmoid).</summary>
    protected static RecurrentActivation ReadGate(KerasLayerEntry e)
    {
        string gate = e.Activation("recurrent_activation", e.MultiBackend ? "hard_sigmoid" : "sigmoid");
        return gate switch
        {
            "sigmoid" => RecurrentActivation.Sigmoid,
            "hard_sigmoid" => e.Dialect == KerasDialect.Keras2 ? RecurrentActivation.HardSigmoidKeras2 : RecurrentActivation.HardSigmoidKeras3,
            _ => throw e.Unsupported("recurrent_activation", $"\"{gate}\"", $"LstmLab's {e.ClassName} gates use sigmoid or hard_sigmoid."),
        };
    }

    /// <summary>An element-wise activation (tanh, relu, sigmoid, linear), refusing any other.</summary>
    protected static Activation ReadActivation(KerasLayerEntry e)
    {
        string name = e.Activation("activation", "tanh");
        Activation activation;
        try
        {
            activation = Activations.Parse(name);
        }
        catch (ArgumentException)
        {
            activation = Activation.Softmax;
        }
        return activation != Activation.Softmax ? activation
            : throw e.Unsupported("activation", $"\"{name}\"", $"LstmLab's {e.ClassName} has tanh, relu, sigmoid and linear.");
    }

    /// <summary>The Keras name of a gate activation in <paramref name="dialect"/>, refusing a hard sigmoid the dialect cannot name.</summary>
    protected static string GateName(Layer layer, RecurrentActivation gate, KerasDialect dialect) => (gate, dialect) switch
    {
        (RecurrentActivation.Sigmoid, _) => "sigmoid",
        (RecurrentActivation.HardSigmoidKeras2, KerasDialect.Keras2) => "hard_sigmoid",
        (RecurrentActivation.HardSigmoidKeras3, KerasDialect.Keras3) => "hard_sigmoid",
        (RecurrentActivation.HardSigmoidKeras2, _) => throw new ArgumentException($"Layer '{layer.Name}' uses Keras 2's hard_sigmoid (0.2·x + 0.5), which a Keras 3 file cannot name (Keras 3's hard_sigmoid is x/6 + 0.5); save it as .h5 (Keras 2) instead.", nameof(layer)),
        _ => throw new ArgumentException($"Layer '{layer.Name}' uses Keras 3's hard_sigmoid (x/6 + 0.5), which a Keras 2 file cannot name (Keras 2's hard_sigmoid is 0.2·x + 0.5); save it as .keras (Keras 3) instead.", nameof(layer)),
    };

    public void WriteConfig(Utf8JsonWriter w, Layer layer, KerasDialect dialect, bool maskUpstream) => WriteConfig(w, (Recurrent)layer, dialect, layer.Name, zeroOutputForMask: false);

    /// <summary>The config under <paramref name="name"/>; a Bidirectional's wrapped layers have Keras's forced <paramref name="zeroOutputForMask"/>.</summary>
    public void WriteConfig(Utf8JsonWriter w, Recurrent layer, KerasDialect dialect, string name, bool zeroOutputForMask)
    {
        if (layer.ReturnState)
            throw new ArgumentException($"Layer '{layer.Name}' returns its states (return_state), which a Keras Sequential refuses (a layer with several outputs); save it as .json, whose file keeps it.", nameof(layer));
        w.WriteString("name", name);
        w.WriteBoolean("trainable", true);
        KerasLayerMappers.WriteDtype(w, dialect);
        w.WriteBoolean("return_sequences", layer.ReturnSequences);
        w.WriteBoolean("return_state", false);
        w.WriteBoolean("go_backwards", layer.GoBackwards);
        w.WriteBoolean("stateful", layer.Stateful);
        w.WriteBoolean("unroll", false);
        if (dialect == KerasDialect.Keras3)
            w.WriteBoolean("zero_output_for_mask", zeroOutputForMask);
        w.WriteNumber("units", layer.Units);
        WriteCell(w, layer, dialect);
        w.WriteBoolean("use_bias", true);
        w.WriteNumber("dropout", layer.Dropout);
        w.WriteNumber("recurrent_dropout", layer.RecurrentDropout);
    }

    /// <summary>The cell's own options (activations, unit_forget_bias, reset_after).</summary>
    protected abstract void WriteCell(Utf8JsonWriter w, Recurrent layer, KerasDialect dialect);
}

internal sealed class LstmMapper : RecurrentMapper
{
    public override string ClassName => "LSTM";

    protected override string CellName => "lstm_cell";

    public override bool Writes(Layer layer) => layer is Lstm;

    public override Layer Read(KerasLayerEntry e)
    {
        var c = ReadCommon(e);
        string activation = e.Activation("activation", "tanh");
        if (activation != "tanh")
            throw e.Unsupported("activation", $"\"{activation}\"", "LstmLab's LSTM uses tanh only.");
        return new Lstm(c.Units, c.ReturnSequences, c.Stateful, ReadGate(e), e.Bool("unit_forget_bias", true), c.GoBackwards, c.Dropout, c.RecurrentDropout);
    }

    protected override void WriteCell(Utf8JsonWriter w, Recurrent layer, KerasDialect dialect)
    {
        var lstm = (Lstm)layer;
        w.WriteString("activation", "tanh");
        w.WriteString("recurrent_activation", GateName(layer, lstm.RecurrentActivation, dialect));
        w.WriteBoolean("unit_forget_bias", lstm.UnitForgetBias);
    }
}

/// <summary>
/// GRU: reset_after's default is the file's Keras's (multi-backend Keras 2.2.4: false, bias (3u); tf.keras 2 and
/// Keras 3: true, bias (2, 3u)); LstmLab always writes it. A bias of the other form is refused by its shape.
/// </summary>
internal sealed class GruMapper : RecurrentMapper
{
    public override string ClassName => "GRU";

    protected override string CellName => "gru_cell";

    public override bool Writes(Layer layer) => layer is Gru;

    public override Layer Read(KerasLayerEntry e)
    {
        var c = ReadCommon(e);
        return new Gru(c.Units, c.ReturnSequences, c.Stateful, e.Bool("reset_after", !e.MultiBackend), ReadGate(e), ReadActivation(e),
            c.GoBackwards, c.Dropout, c.RecurrentDropout);
    }

    protected override void WriteCell(Utf8JsonWriter w, Recurrent layer, KerasDialect dialect)
    {
        var gru = (Gru)layer;
        w.WriteString("activation", Activations.Name(gru.Activation));
        w.WriteString("recurrent_activation", GateName(layer, gru.RecurrentActivation, dialect));
        w.WriteBoolean("reset_after", gru.ResetAfter);
    }
}

internal sealed class SimpleRnnMapper : RecurrentMapper
{
    public override string ClassName => "SimpleRNN";

    protected override string CellName => "simple_rnn_cell";

    public override bool Writes(Layer layer) => layer is SimpleRnn;

    public override Layer Read(KerasLayerEntry e)
    {
        var c = ReadCommon(e);
        return new SimpleRnn(c.Units, ReadActivation(e), c.ReturnSequences, c.Stateful, c.GoBackwards, c.Dropout, c.RecurrentDropout);
    }

    protected override void WriteCell(Utf8JsonWriter w, Recurrent layer, KerasDialect dialect) =>
        w.WriteString("activation", Activations.Name(((SimpleRnn)layer).Activation));
}
