using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LstmLab.Numerics;

/// <summary>Output activations of a <c>Dense</c> layer, with Keras names.</summary>
public enum Activation
{
    /// <summary><c>linear</c>: y = x.</summary>
    Linear,
    /// <summary><c>sigmoid</c>: y = 1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary><c>softmax</c> over the last axis: y_j = e^x_j / Σ_k e^x_k.</summary>
    Softmax,
    /// <summary><c>tanh</c>.</summary>
    Tanh,
    /// <summary><c>relu</c>: y = max(x, 0).</summary>
    Relu,
}

/// <summary>
/// The gate activation of an LSTM (Keras <c>recurrent_activation</c>). Keras 2.0.x, which the
/// seed tutorials ran on, defaulted to its own hard sigmoid; Keras 2.3 and later default to sigmoid.
/// </summary>
public enum RecurrentActivation
{
    /// <summary><c>sigmoid</c>: 1 / (1 + e^-x), the default of Keras 2.3+ and PyTorch.</summary>
    Sigmoid,
    /// <summary>Keras 2's <c>hard_sigmoid</c>: clip(0.2·x + 0.5, 0, 1); the default of Keras 2.0–2.2.</summary>
    HardSigmoidKeras2,
    /// <summary>Keras 3's <c>hard_sigmoid</c>: clip(x/6 + 0.5, 0, 1) (= relu6(x + 3) / 6).</summary>
    HardSigmoidKeras3,
}

/// <summary>Names of activations as Keras spells them, and the element-wise forward and backward math.</summary>
public static class Activations
{
    /// <summary>Parses a Keras activation name (<c>linear</c>, <c>sigmoid</c>, <c>softmax</c>, <c>tanh</c>, <c>relu</c>).</summary>
    /// <exception cref="ArgumentException">The name is not one of those.</exception>
    public static Activation Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "linear" or null or "" => Activation.Linear,
        "sigmoid" => Activation.Sigmoid,
        "softmax" => Activation.Softmax,
        "tanh" => Activation.Tanh,
        "relu" => Activation.Relu,
        _ => throw new ArgumentException($"Unknown activation '{name}': expected one of linear, sigmoid, softmax, tanh, relu.", nameof(name)),
    };

    /// <summary>The Keras name of <paramref name="activation"/>.</summary>
    public static string Name(Activation activation) => activation switch
    {
        Activation.Linear => "linear",
        Activation.Sigmoid => "sigmoid",
        Activation.Softmax => "softmax",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>
    /// Parses a recurrent activation: <c>sigmoid</c>, <c>hard_sigmoid_keras2</c> or <c>hard_sigmoid_keras3</c>.
    /// A bare <c>hard_sigmoid</c> is refused because Keras 2 and Keras 3 define it differently.
    /// </summary>
    public static RecurrentActivation ParseRecurrent(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "sigmoid" => RecurrentActivation.Sigmoid,
        "hard_sigmoid_keras2" => RecurrentActivation.HardSigmoidKeras2,
        "hard_sigmoid_keras3" => RecurrentActivation.HardSigmoidKeras3,
        "hard_sigmoid" => throw new ArgumentException(
            "'hard_sigmoid' is ambiguous: use hard_sigmoid_keras2 (clip(0.2x + 0.5, 0, 1), the Keras 2.0 default the seed tutorials ran on) or hard_sigmoid_keras3 (clip(x/6 + 0.5, 0, 1)).", nameof(name)),
        _ => throw new ArgumentException($"Unknown recurrent activation '{name}': expected sigmoid, hard_sigmoid_keras2 or hard_sigmoid_keras3.", nameof(name)),
    };

    /// <summary>The name <see cref="ParseRecurrent"/> accepts for <paramref name="activation"/>.</summary>
    public static string Name(RecurrentActivation activation) => activation switch
    {
        RecurrentActivation.Sigmoid => "sigmoid",
        RecurrentActivation.HardSigmoidKeras2 => "hard_sigmoid_keras2",
        RecurrentActivation.HardSigmoidKeras3 => "hard_sigmoid_keras3",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>
    /// Applies <paramref name="activation"/> in place to <paramref name="rows"/> rows of <paramref name="width"/>
    /// values (softmax normalises each row).
    /// </summary>
    public static void Forward(Activation activation, Span<float> values, int rows, int width)
    {
        Span<float> v = values[..(rows * width)];
        if (v.IsEmpty)
            return; // TensorPrimitives.Sigmoid rejects empty spans.
        switch (activation)
        {
            case Activation.Linear:
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(v, v);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(v, v);
                break;
            case Activation.Relu:
                TensorPrimitives.Max(v, 0f, v);
                break;
            case Activation.Softmax:
                for (int r = 0; r < rows; r++)
                {
                    // TensorPrimitives.SoftMax does not subtract the maximum, so e^x overflows to
                    // ∞/∞ = NaN above x ≈ 88 (Keras subtracts it); the shift leaves the result unchanged and finite.
                    Span<float> row = v.Slice(r * width, width);
                    TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
                    TensorPrimitives.SoftMax(row, row);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>
    /// Given the activation's outputs <paramref name="y"/> and dL/dy, writes dL/dx into
    /// <paramref name="dx"/> (which may alias <paramref name="dy"/>).
    /// </summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int width)
    {
        int n = rows * width;
        switch (activation)
        {
            case Activation.Linear:
                dy[..n].CopyTo(dx);
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < n; i++)
                    dx[i] = dy[i] * y[i] * (1f - y[i]);
                break;
            case Activation.Tanh:
                for (int i = 0; i < n; i++)
                    dx[i] = dy[i] * (1f - y[i] * y[i]);
                break;
            case Activation.Relu:
                for (int i = 0; i < n; i++)
                    dx[i] = y[i] > 0f ? dy[i] : 0f;
                break;
            case Activation.Softmax:
                // dx_j = y_j (dy_j - Σ_k dy_k y_k)
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> yr = y.Slice(r * width, width);
                    ReadOnlySpan<float> dyr = dy.Slice(r * width, width);
                    float dot = TensorPrimitives.Dot(dyr, yr);
                    Span<float> dxr = dx.Slice(r * width, width);
                    for (int j = 0; j < width; j++)
                        dxr[j] = yr[j] * (dyr[j] - dot);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>Applies a recurrent (gate) activation in place.</summary>
    public static void Forward(RecurrentActivation activation, Span<float> values)
    {
        if (values.IsEmpty)
            return; // TensorPrimitives.Sigmoid rejects empty spans.
        switch (activation)
        {
            case RecurrentActivation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            case RecurrentActivation.HardSigmoidKeras2:
                HardSigmoid(values, 0.2f);
                break;
            case RecurrentActivation.HardSigmoidKeras3:
                HardSigmoid(values, 1f / 6f);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>y = clip(slope·x + 0.5, 0, 1) in place, on the current instruction set.</summary>
    private static unsafe void HardSigmoid(Span<float> values, float slope)
    {
        fixed (float* p = values)
        {
            var op = new HardSigmoidOperator(p, slope);
            Elementwise.Run(ref op, values.Length);
        }
    }

    private readonly unsafe struct HardSigmoidOperator(float* values, float slope) : IElementwiseOperator
    {
        public Scalars Coefficients => new(slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TVec, TOps>(nint at, int count, in Coefficients<TVec> k)
            where TVec : struct
            where TOps : struct, IVectorOps<TVec> =>
            TOps.Store(VectorMath.HardSigmoid<TVec, TOps>(TOps.Load(values + at, count), k.S0), values + at, count);
    }

    /// <summary>The slope of the hard sigmoid's linear part, or 0 for the logistic sigmoid.</summary>
    internal static float HardSlope(RecurrentActivation activation) => activation switch
    {
        RecurrentActivation.HardSigmoidKeras2 => 0.2f,
        RecurrentActivation.HardSigmoidKeras3 => 1f / 6f,
        _ => 0f,
    };
}
