using LstmLab.Numerics;

namespace LstmLab.Data;

/// <summary>
/// One-hot encoding of integers from the alphabet <c>0 .. size-1</c>: value <c>k</c> becomes a
/// vector of <c>size</c> zeros with a 1 at position <c>k</c> (the seed's <c>one_hot_encode</c>);
/// decoding takes the argmax of each vector (<c>one_hot_decode</c>), so it also reads softmax outputs.
/// </summary>
public static class OneHot
{
    /// <summary>Encodes each value as a row: <c>e[i][j] = 1 if values[i] == j else 0</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1, or a value is outside <c>0 .. size-1</c> (the message names the value and its position).</exception>
    public static double[][] Encode(ReadOnlySpan<int> values, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var rows = new double[values.Length][];
        for (int i = 0; i < values.Length; i++)
        {
            CheckValue(values[i], i, size, nameof(values));
            rows[i] = new double[size];
            rows[i][values[i]] = 1;
        }
        return rows;
    }

    /// <summary>
    /// Encodes into a tensor <c>[values.Length, 1, size]</c>: one sample per value with one time step,
    /// as the seed's <c>encoded.reshape(n, 1, size)</c>. Use <see cref="Encode"/> with
    /// <see cref="SlidingWindows"/> for several time steps per sample.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Encode"/>.</exception>
    public static Tensor EncodeTensor(ReadOnlySpan<int> values, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var t = new Tensor(values.Length, 1, size);
        Span<float> data = t.Span;
        for (int i = 0; i < values.Length; i++)
        {
            CheckValue(values[i], i, size, nameof(values));
            data[i * size + values[i]] = 1f;
        }
        return t;
    }

    /// <summary>The argmax of each row, the first index on ties; NaN never wins.</summary>
    /// <exception cref="ArgumentException">A row is empty.</exception>
    public static int[] Decode(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { Length: > 0 } row)
                throw new ArgumentException($"Row {i} is empty; cannot decode a one-hot vector of length 0.", nameof(rows));
            result[i] = ArgMax<double>(row);
        }
        return result;
    }

    /// <summary>
    /// Decodes a tensor whose last axis holds the classes (e.g. <c>[samples, size]</c> predictions or
    /// <c>[samples, timesteps, size]</c> inputs): the argmax of each vector along the last axis, first
    /// on ties, in row-major order.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has rank 0 or a last axis of length 0.</exception>
    public static int[] Decode(Tensor encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Shape.Rank == 0 || encoded.Shape[-1] == 0)
            throw new ArgumentException($"Expected a tensor whose last axis holds the classes; got shape {encoded.Shape}.", nameof(encoded));
        int size = encoded.Shape[-1];
        ReadOnlySpan<float> data = encoded.Span;
        var result = new int[data.Length / size];
        for (int i = 0; i < result.Length; i++)
            result[i] = ArgMax(data.Slice(i * size, size));
        return result;
    }

    private static int ArgMax<T>(ReadOnlySpan<T> v)
        where T : System.Numerics.INumber<T>
    {
        int best = -1;
        for (int j = 0; j < v.Length; j++)
        {
            if (T.IsNaN(v[j]))
                continue;
            if (best < 0 || v[j] > v[best])
                best = j;
        }
        return best < 0 ? 0 : best;
    }

    private static void CheckValue(int value, int position, int size, string paramName)
    {
        if ((uint)value >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"Value {value} at position {position} is outside the alphabet 0..{size - 1} (size {size}).");
        }
    }
}
