namespace LstmLab.Training;

/// <summary>
/// A loss with Keras's definition and reduction: a value per sample (per time step for sequence
/// outputs) from the last axis, then the mean over all samples (Keras <c>sum_over_batch_size</c>).
/// </summary>
public abstract partial class Loss
{
    /// <summary>Keras's fuzz factor for clipping probabilities (<c>backend.epsilon()</c>).</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>The Keras name, e.g. <c>mean_squared_error</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Returns the mean loss over <paramref name="rows"/> rows of <paramref name="width"/> values and
    /// writes dLoss/dPrediction into <paramref name="gradient"/> (pass an empty span to skip it).
    /// </summary>
    public abstract double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width);

    /// <summary>
    /// Values per target row for an output row of <paramref name="outputWidth"/> values: the same width, or 1 for
    /// a sparse loss whose target is a class index.
    /// </summary>
    public virtual int TargetWidth(int outputWidth) => outputWidth;

    /// <summary>Whether the model's outputs are logits (Keras <c>from_logits=True</c>) rather than probabilities.</summary>
    public virtual bool FromLogits => false;

    /// <summary>mean_squared_error: mean over the last axis of (y − ŷ)².</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>binary_crossentropy: mean over the last axis of −[y log p + (1−y) log(1−p)], p clipped to [ε, 1−ε].</summary>
    public static Loss BinaryCrossentropy { get; } = new BinaryCrossentropyLoss();

    /// <summary>categorical_crossentropy: −Σ y log(p / Σp) over the last axis, with p/Σp clipped to [ε, 1−ε].</summary>
    public static Loss CategoricalCrossentropy { get; } = new CategoricalCrossentropyLoss();

    /// <summary>
    /// sparse_categorical_crossentropy: categorical cross-entropy with the target given as a class index
    /// (one value per row, 0 ≤ k &lt; width, a whole number) instead of a one-hot vector: −log clip(p_k / Σp).
    /// </summary>
    public static Loss SparseCategoricalCrossentropy { get; } = new SparseCategoricalCrossentropyLoss(fromLogits: false);

    /// <summary>mean_absolute_error: mean over the last axis of |y − ŷ| (gradient sign(ŷ − y), 0 where equal).</summary>
    public static Loss MeanAbsoluteError { get; } = new MeanAbsoluteErrorLoss();

    /// <summary>
    /// huber with Keras's default δ = 1: mean over the last axis of ½e² where |e| ≤ δ, else δ(|e| − ½δ), e = ŷ − y.
    /// </summary>
    public static Loss Huber { get; } = new HuberLoss(1.0);

    /// <summary>huber with threshold <paramref name="delta"/> (&gt; 0).</summary>
    public static Loss HuberWithDelta(double delta) => delta > 0 && double.IsFinite(delta)
        ? new HuberLoss(delta)
        : throw new ArgumentOutOfRangeException(nameof(delta), $"Huber's delta must be a positive number (got {delta}).");

    /// <summary>
    /// A cross-entropy on logits (Keras <c>from_logits=True</c>): binary on σ(z) — max(z, 0) − z·y + log(1 + e^−|z|)
    /// averaged over the last axis; categorical and sparse categorical on softmax(z) — −Σ y·log_softmax(z). No clipping.
    /// </summary>
    /// <exception cref="ArgumentException">Not a cross-entropy.</exception>
    public static Loss WithLogits(Loss crossEntropy) => crossEntropy switch
    {
        BinaryCrossentropyLoss => BinaryFromLogits,
        CategoricalCrossentropyLoss => CategoricalFromLogits,
        SparseCategoricalCrossentropyLoss => SparseFromLogits,
        _ when crossEntropy.FromLogits => crossEntropy,
        _ => throw new ArgumentException($"from_logits applies to the cross-entropies, not to {crossEntropy?.Name}.", nameof(crossEntropy)),
    };

    private static readonly Loss BinaryFromLogits = new LogitBinaryCrossentropyLoss();
    private static readonly Loss CategoricalFromLogits = new LogitCategoricalCrossentropyLoss(sparse: false);
    private static readonly Loss SparseFromLogits = new LogitCategoricalCrossentropyLoss(sparse: true);

    /// <summary>
    /// Parses a Keras loss name: mean_squared_error (mse), mean_absolute_error (mae), huber (huber_loss),
    /// binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy; a cross-entropy may end
    /// in <c>(from_logits=true)</c> and huber in <c>(delta=D)</c> (the form <see cref="Name"/> writes them in).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or argument.</exception>
    public static Loss Parse(string name)
    {
        string text = name?.Trim().ToLowerInvariant() ?? "";
        string argument = "";
        int open = text.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && text.EndsWith(')'))
        {
            argument = text[(open + 1)..^1].Replace(" ", "", StringComparison.Ordinal);
            text = text[..open].Trim();
        }
        Loss loss = text switch
        {
            "mean_squared_error" or "mse" => MeanSquaredError,
            "mean_absolute_error" or "mae" => MeanAbsoluteError,
            "huber" or "huber_loss" => Huber,
            "binary_crossentropy" => BinaryCrossentropy,
            "categorical_crossentropy" => CategoricalCrossentropy,
            "sparse_categorical_crossentropy" => SparseCategoricalCrossentropy,
            _ => throw new ArgumentException($"Unknown loss '{name}': expected mean_squared_error (mse), mean_absolute_error (mae), huber, binary_crossentropy, categorical_crossentropy or sparse_categorical_crossentropy.", nameof(name)),
        };
        if (argument.Length == 0 || argument == "from_logits=false")
            return loss;
        if (argument == "from_logits=true" && text.EndsWith("crossentropy", StringComparison.Ordinal))
            return WithLogits(loss);
        if (loss == Huber && argument.StartsWith("delta=", StringComparison.Ordinal)
            && double.TryParse(argument[6..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double delta))
            return HuberWithDelta(delta);
        throw new ArgumentException($"Loss '{name}': unknown argument '{argument}' (a cross-entropy takes from_logits=true, huber takes delta=D).", nameof(name));
    }

    public override string ToString() => Name;

    private sealed class MeanSquaredErrorLoss : Loss
    {
        public override string Name => "mean_squared_error";

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            int n = rows * width;
            double sum = 0;
            float scale = 2f / n;
            bool wantGradient = !gradient.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                float d = predicted[i] - expected[i];
                sum += (double)d * d;
                if (wantGradient)
                    gradient[i] = scale * d;
            }
            return sum / n;
        }
    }

    private sealed class BinaryCrossentropyLoss : Loss
    {
        public override string Name => "binary_crossentropy";

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            int n = rows * width;
            double sum = 0;
            float scale = 1f / n;
            bool wantGradient = !gradient.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                float p = predicted[i], y = expected[i];
                bool clipped = p < Epsilon || p > 1f - Epsilon;
                float pc = Math.Clamp(p, Epsilon, 1f - Epsilon);
                sum -= y * Math.Log(pc) + (1 - y) * Math.Log(1 - pc);
                if (wantGradient)
                    gradient[i] = clipped ? 0f : scale * (-y / pc + (1f - y) / (1f - pc));
            }
            return sum / n;
        }
    }

    private sealed class CategoricalCrossentropyLoss : Loss
    {
        public override string Name => "categorical_crossentropy";

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            double sum = 0;
            float scale = 1f / rows;
            bool wantGradient = !gradient.IsEmpty;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> p = predicted.Slice(r * width, width);
                ReadOnlySpan<float> y = expected.Slice(r * width, width);
                float total = System.Numerics.Tensors.TensorPrimitives.Sum(p);
                // q = p / Σp; L = −Σ y log clip(q); dL/dp_j = (g_j − Σ_k g_k q_k) / Σp with g = dL/dq.
                float weighted = 0;
                for (int j = 0; j < width; j++)
                {
                    float q = p[j] / total;
                    float qc = Math.Clamp(q, Epsilon, 1f - Epsilon);
                    if (y[j] != 0f)
                    {
                        sum -= y[j] * Math.Log(qc);
                        bool clipped = q < Epsilon || q > 1f - Epsilon;
                        if (!clipped)
                            weighted += -y[j] / qc * q;
                    }
                }
                if (!wantGradient)
                    continue;
                Span<float> g = gradient.Slice(r * width, width);
                for (int j = 0; j < width; j++)
                {
                    float q = p[j] / total;
                    bool clipped = q < Epsilon || q > 1f - Epsilon;
                    float dq = y[j] != 0f && !clipped ? -y[j] / q : 0f;
                    g[j] = scale * (dq - weighted) / total;
                }
            }
            return sum / rows;
        }
    }
}
