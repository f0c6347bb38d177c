namespace LstmLab.Training;

/// <summary>
/// A loss with Keras's definition and reduction: a value per sample (per time step for sequence
/// outputs) from the last axis, then the mean over all samples (Keras <c>sum_over_batch_size</c>).
/// </summary>
public abstract class Loss
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

    /// <summary>mean_squared_error: mean over the last axis of (y − ŷ)².</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>binary_crossentropy: mean over the last axis of −[y log p + (1−y) log(1−p)], p clipped to [ε, 1−ε].</summary>
    public static Loss BinaryCrossentropy { get; } = new BinaryCrossentropyLoss();

    /// <summary>categorical_crossentropy: −Σ y log(p / Σp) over the last axis, with p/Σp clipped to [ε, 1−ε].</summary>
    public static Loss CategoricalCrossentropy { get; } = new CategoricalCrossentropyLoss();

    /// <summary>Parses a Keras loss name (also <c>mse</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Loss Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "mean_squared_error" or "mse" => MeanSquaredError,
        "binary_crossentropy" => BinaryCrossentropy,
        "categorical_crossentropy" => CategoricalCrossentropy,
        _ => throw new ArgumentException($"Unknown loss '{name}': expected mean_squared_error (mse), binary_crossentropy or categorical_crossentropy.", nameof(name)),
    };

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
