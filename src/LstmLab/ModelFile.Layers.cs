using System.Text.Json;
using LstmLab.Interchange;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

// The model file's layer configurations and compile settings: one case per layer class and per optimizer.
internal static partial class ModelFile
{
    /// <summary>
    /// The names of a layer's weights in the file, in <see cref="Layer.Parameters"/> order: the parameters' own names
    /// (<c>kernel</c>, …), or, for a <see cref="Bidirectional"/>, prefixed by the direction's layer
    /// (<c>forward_lstm/kernel</c>, …, <c>backward_lstm/kernel</c>), whose parameters share names.
    /// </summary>
    internal static IReadOnlyList<string> WeightNames(Layer layer) => layer is Bidirectional bi
        ? [.. bi.ForwardLayer.Parameters.Select(p => $"{bi.ForwardLayer.Name}/{p.Name}"), .. bi.BackwardLayer.Parameters.Select(p => $"{bi.BackwardLayer.Name}/{p.Name}")]
        : [.. layer.Parameters.Select(p => p.Name)];

    /// <summary>The layer's "config" object; a Bidirectional's holds its wrapped layer as <c>{"class_name", "config"}</c>, as Keras.</summary>
    private static void WriteConfig(Utf8JsonWriter w, Layer layer)
    {
        w.WriteStartObject("config");
        foreach ((string key, object value) in layer.GetConfig())
            WriteValue(w, key, value);
        if (layer is Bidirectional bi)
        {
            w.WriteStartObject("layer");
            w.WriteString("class_name", bi.ForwardLayer.TypeName);
            WriteConfig(w, bi.ForwardLayer);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>One case per layer class LstmLab has; a new layer type adds its line here and in its mapper for Keras files.</summary>
    private static Layer CreateLayer(JsonElement element, string at, JsonFields j)
    {
        string className = j.String(j.Get(element, at, "class_name"), at + ".class_name");
        JsonElement c = j.Get(element, at, "config");
        string ca = at + ".config";
        // Options added after the first files were written default as Keras when absent.
        bool Flag(string key) => JsonFields.TryGet(c, key, out JsonElement v) && j.Bool(v, $"{ca}.{key}");
        double Number(string key) => JsonFields.TryGet(c, key, out JsonElement v) ? j.Double(v, $"{ca}.{key}") : 0;
        int Units() => j.Int(j.Get(c, ca, "units"), ca + ".units");
        bool Bool(string key) => j.Bool(j.Get(c, ca, key), $"{ca}.{key}");
        string Text(string key) => j.String(j.Get(c, ca, key), $"{ca}.{key}");
        try
        {
            return className switch
            {
                "LSTM" => new Lstm(Units(), Bool("return_sequences"), Bool("stateful"), Activations.ParseRecurrent(Text("recurrent_activation")),
                    Bool("unit_forget_bias"), Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout"))
                {
                    ReturnState = Flag("return_state"),
                },
                "GRU" => new Gru(Units(), Bool("return_sequences"), Bool("stateful"), Bool("reset_after"), Activations.ParseRecurrent(Text("recurrent_activation")),
                    Activations.Parse(Text("activation")), Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout"))
                {
                    ReturnState = Flag("return_state"),
                },
                "SimpleRNN" => new SimpleRnn(Units(), Activations.Parse(Text("activation")), Bool("return_sequences"), Bool("stateful"),
                    Flag("go_backwards"), Number("dropout"), Number("recurrent_dropout"))
                {
                    ReturnState = Flag("return_state"),
                },
                "Bidirectional" => new Bidirectional(CreateWrapped(c, ca, j), ParseMergeMode(Text("merge_mode"), ca + ".merge_mode", j), Flag("zero_output_for_mask")),
                "Dropout" => new Dropout(j.Double(j.Get(c, ca, "rate"), ca + ".rate")),
                "RepeatVector" => new RepeatVector(j.Int(j.Get(c, ca, "n"), ca + ".n")),
                "Dense" => new Dense(Units(), Activations.Parse(Text("activation"))),
                "Masking" => new Masking(j.Double(j.Get(c, ca, "mask_value"), ca + ".mask_value")),
                _ => throw j.Error(at + ".class_name", $"is '{className}', a layer LstmLab does not have (it has LSTM, GRU, SimpleRNN, Bidirectional, Dense, Masking, Dropout, RepeatVector)."),
            };
        }
        catch (ArgumentException e)
        {
            // A value of the right type that the layer refuses (0 units, an unknown activation, a rate of 1).
            throw j.Error(ca, $"does not make a valid {className} layer: {e.Message}");
        }
    }

    private static Recurrent CreateWrapped(JsonElement config, string at, JsonFields j)
    {
        JsonElement inner = j.Get(config, at, "layer");
        return CreateLayer(inner, at + ".layer", j) as Recurrent
            ?? throw j.Error(at + ".layer.class_name", "names a layer that is not recurrent; a Bidirectional wraps LSTM, GRU or SimpleRNN.");
    }

    private static MergeMode ParseMergeMode(string name, string at, JsonFields j) => name switch
    {
        "concat" => MergeMode.Concat,
        "sum" => MergeMode.Sum,
        "mul" => MergeMode.Mul,
        "ave" => MergeMode.Ave,
        _ => throw j.Error(at, $"is '{name}'; expected concat, sum, mul or ave."),
    };

    private static void ReadCompile(Sequential model, JsonElement compile, JsonFields j)
    {
        Loss loss = Loss.Parse(j.String(j.Get(compile, "compile", "loss"), "compile.loss"));
        JsonElement opt = j.Get(compile, "compile", "optimizer");
        const string o = "compile.optimizer";
        string name = j.String(j.Get(opt, o, "name"), o + ".name");
        double Number(string key) => j.Double(j.Get(opt, o, key), $"{o}.{key}");
        bool Bool(string key) => j.Bool(j.Get(opt, o, key), $"{o}.{key}");
        double? Optional(string key) => JsonFields.TryGet(opt, key, out JsonElement v) ? j.Double(v, $"{o}.{key}") : null;
        Optimizer optimizer;
        try
        {
            optimizer = name switch
            {
                "adam" => new Adam(Number("learning_rate"), Number("beta_1"), Number("beta_2"), Number("epsilon")),
                "sgd" => new Sgd(Number("learning_rate"), Number("momentum"), Bool("nesterov")),
                "rmsprop" => new RMSprop(Number("learning_rate"), Number("rho"), Number("momentum"), Number("epsilon"), Bool("centered")),
                "adagrad" => new Adagrad(Number("learning_rate"), Number("initial_accumulator_value"), Number("epsilon")),
                _ => throw j.Error(o + ".name", $"is '{name}', an optimizer LstmLab does not have (it has {string.Join(", ", OptimizerSettings.Names)})."),
            };
            optimizer.ClipNorm = Optional("clipnorm");
            optimizer.ClipValue = Optional("clipvalue");
            optimizer.GlobalClipNorm = Optional("global_clipnorm");
        }
        catch (ArgumentException e)
        {
            throw j.Error(o, $"does not make a valid {name} optimizer: {e.Message}");
        }
        JsonElement metricsElement = j.Array(j.Get(compile, "compile", "metrics"), "compile.metrics");
        string[] metrics = metricsElement.EnumerateArray().Select((e, i) => j.String(e, JsonFields.Index("compile.metrics", i))).ToArray();
        model.Compile(loss, optimizer, metrics);
    }
}
