using System.Globalization;
using System.Numerics.Tensors;

namespace LstmLab.Training;

// The losses added beside mean_squared_error and the two cross-entropies (Loss.cs): their value and their
// gradient side by side, Keras's definitions, each a mean over the rows (sum_over_batch_size).
public abstract partial class Loss
{
    private sealed class MeanAbsoluteErrorLoss : Loss
    {
        public override string Name => "mean_absolute_error";

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            int n = rows * width;
            double sum = 0;
            float scale = 1f / n;
            bool wantGradient = !gradient.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                float d = predicted[i] - expected[i];
                sum += Math.Abs(d);
                if (wantGradient)
                    gradient[i] = scale * MathF.Sign(d);
            }
            return sum / n;
        }
    }

    private sealed class HuberLoss(double delta) : Loss
    {
        public override string Name => delta == 1.0 ? "huber" : string.Create(CultureInfo.InvariantCulture, $"huber(delta={delta:R})");

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            int n = rows * width;
            double sum = 0;
            float scale = 1f / n, d = (float)delta;
            bool wantGradient = !gradient.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                float e = predicted[i] - expected[i], a = Math.Abs(e);
                // ½e² inside |e| ≤ δ, δ(|e| − ½δ) outside; the slope is e, then δ·sign(e).
                sum += a <= d ? 0.5 * e * e : d * (a - 0.5 * d);
                if (wantGradient)
                    gradient[i] = scale * (a <= d ? e : d * MathF.Sign(e));
            }
            return sum / n;
        }
    }

    private sealed class SparseCategoricalCrossentropyLoss(bool fromLogits) : Loss
    {
        public override string Name => "sparse_categorical_crossentropy";

        public override int TargetWidth(int outputWidth) => 1;

        public override bool FromLogits => fromLogits;

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            double sum = 0;
            float scale = 1f / rows;
            bool wantGradient = !gradient.IsEmpty;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> p = predicted.Slice(r * width, width);
                int k = ClassIndex(expected[r], width);
                float total = TensorPrimitives.Sum(p);
                // q = p / Σp; L = −log clip(q_k); dL/dp_j = (δ_jk·g_k − g_k·q_k) / Σp with g_k = −1/q_k (0 when clipped).
                float q = p[k] / total;
                float qc = Math.Clamp(q, Epsilon, 1f - Epsilon);
                sum -= Math.Log(qc);
                if (!wantGradient)
                    continue;
                bool clipped = q < Epsilon || q > 1f - Epsilon;
                float gk = clipped ? 0f : -1f / q;
                Span<float> g = gradient.Slice(r * width, width);
                for (int j = 0; j < width; j++)
                    g[j] = scale * ((j == k ? gk : 0f) - gk * q) / total;
            }
            return sum / rows;
        }
    }

    private sealed class LogitBinaryCrossentropyLoss : Loss
    {
        public override string Name => "binary_crossentropy(from_logits=true)";

        public override bool FromLogits => true;

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            int n = rows * width;
            double sum = 0;
            float scale = 1f / n;
            bool wantGradient = !gradient.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                double z = predicted[i], y = expected[i];
                // The stable form of −[y log σ(z) + (1−y) log(1−σ(z))]; its slope is σ(z) − y.
                sum += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                if (wantGradient)
                    gradient[i] = scale * (float)(1 / (1 + Math.Exp(-z)) - y);
            }
            return sum / n;
        }
    }

    private sealed class LogitCategoricalCrossentropyLoss(bool sparse) : Loss
    {
        public override string Name => sparse ? "sparse_categorical_crossentropy(from_logits=true)" : "categorical_crossentropy(from_logits=true)";

        public override bool FromLogits => true;

        public override int TargetWidth(int outputWidth) => sparse ? 1 : outputWidth;

        public override double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> expected, Span<float> gradient, int rows, int width)
        {
            double sum = 0;
            float scale = 1f / rows;
            bool wantGradient = !gradient.IsEmpty;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> z = predicted.Slice(r * width, width);
                float max = TensorPrimitives.Max(z);
                double logSum = 0;
                foreach (float v in z)
                    logSum += Math.Exp(v - max);
                logSum = Math.Log(logSum) + max;
                // L = −Σ y_j (z_j − log Σ e^z);  dL/dz_j = softmax(z)_j·Σy − y_j
                double ySum = 0;
                int k = sparse ? ClassIndex(expected[r], width) : -1;
                for (int j = 0; j < width; j++)
                {
                    float y = sparse ? (j == k ? 1f : 0f) : expected[r * width + j];
                    ySum += y;
                    sum -= y * (z[j] - logSum);
                }
                if (!wantGradient)
                    continue;
                Span<float> g = gradient.Slice(r * width, width);
                for (int j = 0; j < width; j++)
                {
                    float y = sparse ? (j == k ? 1f : 0f) : expected[r * width + j];
                    g[j] = scale * (float)(Math.Exp(z[j] - logSum) * ySum - y);
                }
            }
            return sum / rows;
        }
    }

    /// <summary>The class index a sparse target holds: a whole number in [0, width).</summary>
    /// <exception cref="ArgumentException">Not a whole number in range.</exception>
    internal static int ClassIndex(float label, int width)
    {
        int k = (int)label;
        if (k != label || k < 0 || k >= width)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A sparse categorical target must be a class index 0..{width - 1} (the output has {width} units), but one is {label}."));
        return k;
    }
}
