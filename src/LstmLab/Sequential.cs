using System.Globalization;
using System.Text;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab;

/// <summary>
/// A linear stack of layers, in the shape of Keras's <c>Sequential</c>: <see cref="Add"/> layers,
/// <see cref="Compile(Loss, Optimizer, string[])"/> with a loss and optimizer, then <see cref="Fit"/>, <see cref="Predict"/>,
/// <see cref="PredictClasses"/>, <see cref="Evaluate"/>, <see cref="ResetStates()"/>.
/// <para>
/// Every random choice (initial weights, shuffling) comes from generators derived from the model's
/// seed, so the same seed gives bit-identical training. A training step (<see cref="TrainOnBatch(Tensor, Tensor)"/>)
/// allocates nothing once the buffers for its batch shape exist.
/// </para>
/// <para>
/// Masks travel as in Keras: a <see cref="Masking"/> layer marks time steps to skip, each following
/// layer receives the mask of its input and passes one on (<see cref="Layer.OutputMask"/>). When a mask
/// reaches a sequence output, the loss and accuracy count only the kept time steps: the loss is the mean
/// over kept steps (Keras 2's masked mean), and masked steps get no gradient.
/// </para>
/// </summary>
public sealed partial class Sequential
{
    private readonly List<Layer> _layers = [];
    private readonly List<Parameter> _parameters = [];
    private readonly RandomGenerator _shuffleRandom;
    private readonly Tensor _batchX = new(0), _batchY = new(0), _lossGradient = new(0);
    private Tensor? _outputMask;
    private int[] _order = [];
    private Metric[] _metrics = [];
    private double[] _metricSums = [], _metricCounts = [];
    private TextWriter? _log;

    /// <param name="inputShape">The shape of one sample: <see cref="SampleShape.Sequence"/>(timesteps, features) or <see cref="SampleShape.Vector"/>(features).</param>
    /// <param name="batchSize">A fixed batch size (Keras <c>batch_input_shape</c>); required by stateful layers.</param>
    /// <param name="seed">Seed of every random choice the model makes.</param>
    public Sequential(SampleShape inputShape, int? batchSize = null, long seed = 0)
    {
        if (inputShape.Features <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputShape), $"The input needs at least one feature (got {inputShape}).");
        if (batchSize is <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be positive (got {batchSize}).");
        InputShape = inputShape;
        BatchSize = batchSize;
        Seed = seed;
        _shuffleRandom = new RandomGenerator(RandomGenerator.DeriveSeed(seed, "shuffle"));
    }

    /// <summary>The per-sample input shape.</summary>
    public SampleShape InputShape { get; }

    /// <summary>The fixed batch size, or null when any batch size is accepted.</summary>
    public int? BatchSize { get; }

    /// <summary>The seed the model's initial weights and shuffles derive from.</summary>
    public long Seed { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The per-sample output shape (the last layer's).</summary>
    public SampleShape OutputShape => _layers.Count > 0 ? _layers[^1].OutputShape : InputShape;

    /// <summary>All trainable weights, layer by layer, in Keras order (<c>model.get_weights()</c>).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The loss, once compiled.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The optimizer, once compiled.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The compiled metric names.</summary>
    public IReadOnlyList<string> MetricNames { get; private set; } = [];

    /// <summary>Where <see cref="Fit"/> writes its per-epoch lines when verbose (default: standard output).</summary>
    public TextWriter Log
    {
        get => _log ?? Console.Out;
        set => _log = value;
    }

    /// <summary>Appends a layer and builds it for the current output shape, drawing its initial weights from the model's seed.</summary>
    /// <exception cref="ArgumentException">The layer cannot take the current output shape.</exception>
    public Sequential Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.IsBuilt)
            throw new ArgumentException($"Layer '{layer.Name}' already belongs to a model; create a new layer.", nameof(layer));
        string baseName = layer.TypeName.ToLowerInvariant();
        int same = _layers.Count(l => l.TypeName == layer.TypeName);
        layer.Name = same == 0 ? baseName : $"{baseName}_{same}";
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(Seed, "layer", _layers.Count));
        layer.Build(OutputShape, BatchSize, random);
        _layers.Add(layer);
        _parameters.AddRange(layer.Parameters);
        return this;
    }

    /// <summary>Appends a layer whose weights the caller will set (a model file): no initial values are drawn.</summary>
    internal Sequential AddUninitialized(Layer layer)
    {
        layer.SkipInitialization = true;
        return Add(layer);
    }

    /// <summary>
    /// Configures training: loss, optimizer and metrics by Keras name (see <see cref="Metric.Parse"/>: <c>accuracy</c>
    /// or <c>acc</c>, <c>binary_accuracy</c>, <c>categorical_accuracy</c>, <c>sparse_categorical_accuracy</c>, <c>mae</c>, <c>mse</c>).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown metric name.</exception>
    public void Compile(Loss loss, Optimizer optimizer, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        if (_layers.Count == 0)
            throw new InvalidOperationException("Add layers before compiling the model.");
        Compile(loss, optimizer, (IReadOnlyList<Metric>)[.. metrics.Select(m => Metric.Parse(m, loss, OutputShape.Features)).DistinctBy(m => m.Name)]);
    }

    /// <summary>Configures training with metric objects (e.g. <see cref="Metric.BinaryAccuracy"/> with another threshold).</summary>
    /// <exception cref="ArgumentException">Two metrics with one name.</exception>
    public void Compile(Loss loss, Optimizer optimizer, IReadOnlyList<Metric> metrics)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(metrics);
        if (_layers.Count == 0)
            throw new InvalidOperationException("Add layers before compiling the model.");
        string? duplicate = metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
            throw new ArgumentException($"Two metrics are named '{duplicate}'.", nameof(metrics));
        Loss = loss;
        Optimizer = optimizer;
        _metrics = [.. metrics];
        _metricSums = new double[metrics.Count];
        _metricCounts = new double[metrics.Count];
        MetricNames = [.. metrics.Select(m => m.Name)];
    }

    /// <summary>The compiled metrics, in order.</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>Zeroes the carried state of every stateful layer (Keras <c>reset_states()</c>).</summary>
    public void ResetStates()
    {
        foreach (Layer layer in _layers)
            layer.ResetStates();
    }

    /// <summary>
    /// Copies of the state every stateful layer carries, layer by layer in order (for an <see cref="Lstm"/>: h then c,
    /// each (batch, units)); empty when no layer is stateful. <see cref="ResetStates(IReadOnlyList{Tensor})"/> takes the same list back.
    /// </summary>
    public IReadOnlyList<Tensor> GetStates()
    {
        var states = new List<Tensor>();
        foreach (Layer layer in _layers)
            states.AddRange(layer.GetStates());
        return states;
    }

    /// <summary>
    /// Sets the carried state of every stateful layer (Keras <c>reset_states(states)</c> layer by layer), from a list in
    /// the order and shapes <see cref="GetStates"/> returns.
    /// </summary>
    /// <exception cref="ArgumentException">The count of values or a shape differs from what the layers carry.</exception>
    public void ResetStates(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int expected = _layers.Sum(l => l.GetStates().Count);
        if (values.Count != expected)
            throw new ArgumentException($"The model's stateful layers carry {expected} states but {values.Count} were given.", nameof(values));
        int at = 0;
        foreach (Layer layer in _layers)
        {
            int count = layer.GetStates().Count;
            if (count == 0)
                continue;
            layer.ResetStates(values.Skip(at).Take(count).ToArray());
            at += count;
        }
    }

    /// <summary>Runs the model on x in batches and returns the outputs (Keras <c>predict</c>); stateful layers advance their state.</summary>
    public Tensor Predict(Tensor x, int? batchSize = null)
    {
        using EngineThreads.Scope threads = UseThreads();
        int samples = CheckInput(x);
        int batch = ResolveBatchSize(batchSize, samples);
        SampleShape output = OutputShape;
        // A RepeatVector fixes the output's length; otherwise the output has the input's steps.
        int steps = output.IsSequence ? (output.Timesteps > 0 ? output.Timesteps : x.Shape[1]) : 1;
        Tensor result = output.IsSequence ? new Tensor(samples, steps, output.Features) : new Tensor(samples, output.Features);
        int rowSize = steps * output.Features;
        for (int start = 0; start < samples; start += batch)
        {
            int count = Math.Min(batch, samples - start);
            Slice(x, start, count, _batchX);
            Tensor y = ForwardAll(_batchX, training: false);
            y.Span.CopyTo(result.Span.Slice(start * rowSize, count * rowSize));
        }
        return result;
    }

    /// <summary>
    /// Predicted classes (Keras <c>predict_classes</c>): the argmax of each output row when the output has
    /// several units, else 1 where the output exceeds 0.5. One class per sample, or per sample and time step.
    /// </summary>
    public int[] PredictClasses(Tensor x, int? batchSize = null)
    {
        Tensor p = Predict(x, batchSize);
        int width = OutputShape.Features;
        int rows = p.Size / width;
        var classes = new int[rows];
        ReadOnlySpan<float> values = p.Span;
        for (int r = 0; r < rows; r++)
            classes[r] = width > 1 ? Training.Metrics.ArgMax(values.Slice(r * width, width)) : values[r] > 0.5f ? 1 : 0;
        return classes;
    }

    /// <summary>
    /// A model for another batch size that shares this model's weights (the same objects: training one
    /// changes the other) and its compiled loss, optimizer and metrics; it has its own state. The usual
    /// stateful pattern: train at batch 6, predict one sample at a time with <c>WithBatchSize(1)</c>.
    /// </summary>
    public Sequential WithBatchSize(int? batchSize)
    {
        var copy = new Sequential(InputShape, batchSize, Seed);
        foreach (Layer layer in _layers)
        {
            Layer clone = layer.CloneSharingWeights(batchSize);
            clone.Build(copy.OutputShape, batchSize, new RandomGenerator(0));
            copy._layers.Add(clone);
            copy._parameters.AddRange(clone.Parameters);
        }
        if (Loss is not null && Optimizer is not null)
        {
            copy.Loss = Loss;
            copy.Optimizer = Optimizer;
            copy.MetricNames = MetricNames;
            copy._metrics = _metrics;
            copy._metricSums = new double[_metrics.Length];
            copy._metricCounts = new double[_metrics.Length];
        }
        copy._log = _log;
        copy._threads = _threads;
        return copy;
    }

    /// <summary>A table of the layers, output shapes and parameter counts, like Keras's <c>model.summary()</c>.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        string batch = BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "None";
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"Layer (type)",-36}{"Output Shape",-22}{"Param #",10}");
        foreach (Layer layer in _layers)
        {
            SampleShape o = layer.OutputShape;
            string shape = o.IsSequence
                ? $"({batch}, {(o.Timesteps == 0 ? "None" : o.Timesteps.ToString(CultureInfo.InvariantCulture))}, {o.Features})"
                : $"({batch}, {o.Features})";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{$"{layer.Name} ({layer.TypeName})",-35} {shape,-21}{layer.CountParameters(),10}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"Total params: {_parameters.Sum(p => p.Value.Size)}");
        return sb.ToString();
    }

    /// <summary>
    /// Saves the model in the format its extension names: <c>.json</c> LstmLab's own file (architecture, weights,
    /// compile settings, optimizer moments and step count; with <paramref name="includeState"/> the stateful layers'
    /// carried state), <c>.keras</c> Keras 3, <c>.weights.h5</c> Keras 3 weights only, <c>.h5</c> Keras 2 full model,
    /// <c>.onnx</c> ONNX (see <see cref="Interchange.ModelFormats"/>). Writing is atomic: on failure the file is untouched.
    /// </summary>
    /// <exception cref="ArgumentException">A weight is not finite, the extension is unknown, or the format cannot hold a layer or option of the model (named).</exception>
    public void Save(string path, bool includeState = false) => Interchange.ModelFormats.Save(this, path, includeState);

    /// <summary>Loads a model from a <c>.json</c> (LstmLab), <c>.keras</c> or <c>.h5</c> (Keras) file, chosen by extension.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model, or holds a layer or option LstmLab lacks; the message says what and where.</exception>
    public static Sequential Load(string path) => Interchange.ModelFormats.Load(path);

    /// <summary>
    /// Loads weights onto this model from a Keras 3 <c>.weights.h5</c> (Keras <c>model.load_weights</c>; with the optimizer's
    /// variables when compiled) or a Keras 2 <c>.h5</c>; returns notes on what of the optimizer state was read.
    /// </summary>
    /// <exception cref="InvalidDataException">The file's layers, counts or shapes do not fit this model (named).</exception>
    public IReadOnlyList<string> LoadWeights(string path) => Interchange.ModelFormats.LoadWeights(this, path);

    /// <summary>The generator of the epoch shuffles, whose state model files keep.</summary>
    internal RandomGenerator ShuffleRandom => _shuffleRandom;

    private Tensor ForwardAll(Tensor x, bool training)
    {
        Tensor h = x;
        Tensor? mask = null;
        foreach (Layer layer in _layers)
        {
            h = layer.Forward(h, mask, training);
            mask = layer.OutputMask(mask);
        }
        _outputMask = mask;
        return h;
    }

    private void RequireCompiled()
    {
        if (Loss is null || Optimizer is null)
            throw new InvalidOperationException("The model must be compiled (loss and optimizer) before training or evaluation.");
    }

    private int ResolveBatchSize(int? requested, int samples)
    {
        if (requested is <= 0)
            throw new ArgumentOutOfRangeException(nameof(requested), $"The batch size must be positive (got {requested}).");
        if (BatchSize is int fixedBatch)
        {
            if (requested is int r && r != fixedBatch)
                throw new ArgumentException($"This model has a fixed batch size of {fixedBatch} but batch size {r} was requested; use WithBatchSize({r}) for a copy that shares the weights.");
            if (samples % fixedBatch != 0)
                throw new ArgumentException($"This model has a fixed batch size of {fixedBatch}, which does not divide the {samples} samples given; pass a number of samples that is a multiple of {fixedBatch}.");
            return fixedBatch;
        }
        return requested ?? 32;
    }

    private int CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        SampleShape s = InputShape;
        Shape shape = x.Shape;
        bool ok = s.IsSequence
            ? shape.Rank == 3 && shape[2] == s.Features && (s.Timesteps == 0 || shape[1] == s.Timesteps)
            : shape.Rank == 2 && shape[1] == s.Features;
        if (!ok)
        {
            string expected = s.IsSequence
                ? $"(samples, {(s.Timesteps == 0 ? "timesteps" : s.Timesteps.ToString(CultureInfo.InvariantCulture))}, {s.Features})"
                : $"(samples, {s.Features})";
            throw new ArgumentException($"Input x has shape {shape} but the model expects {expected}.", nameof(x));
        }
        if (shape[0] == 0)
            throw new ArgumentException("Input x has no samples.", nameof(x));
        if (s.IsSequence && shape[1] == 0)
            throw new ArgumentException($"Input x has shape {shape}: sequences need at least one time step.", nameof(x));
        return shape[0];
    }

    private int CheckData(Tensor x, Tensor y)
    {
        int samples = CheckInput(x);
        ArgumentNullException.ThrowIfNull(y);
        SampleShape o = OutputShape;
        Shape shape = y.Shape;
        // A sparse loss takes one class index per row instead of a vector.
        int width = Loss?.TargetWidth(o.Features) ?? o.Features;
        int steps = o.Timesteps > 0 ? o.Timesteps : x.Shape[1];   // a RepeatVector fixes the output's length
        bool ok = o.IsSequence
            ? shape.Rank == 3 && shape[0] == samples && shape[1] == steps && shape[2] == width
            : shape.Rank == 2 && shape[0] == samples && shape[1] == width;
        if (!ok)
        {
            string expected = o.IsSequence ? $"({samples}, {steps}, {width})" : $"({samples}, {width})";
            throw new ArgumentException($"Target y has shape {shape} but the model's output for x is {expected}.", nameof(y));
        }
        return samples;
    }

    /// <summary>The time steps of the output for input <paramref name="x"/>: the model's own when fixed (after a RepeatVector), else the input's.</summary>
    private int OutputSteps(Tensor x) => OutputShape.Timesteps != 0 ? OutputShape.Timesteps : x.Shape[1];

    private static void Slice(Tensor source, int start, int count, Tensor destination)
    {
        int rowSize = source.Size / source.Shape[0];
        destination.Reshape(WithFirst(source.Shape, count));
        source.Span.Slice(start * rowSize, count * rowSize).CopyTo(destination.Span);
    }

    private static Shape WithFirst(Shape shape, int first) => shape.Rank switch
    {
        2 => new Shape(first, shape[1]),
        3 => new Shape(first, shape[1], shape[2]),
        _ => new Shape(first, shape[1], shape[2], shape[3]),
    };
}
