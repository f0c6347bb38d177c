namespace LstmLab.Numerics;

/// <summary>
/// A float32 tensor: a shape over contiguous row-major memory (Keras layout
/// <c>[samples, timesteps, features]</c> for sequences). The shape of a tensor can be changed in
/// place without allocating, as long as the new size fits the buffer's capacity: layers keep one
/// output tensor each and re-shape it per batch, so a training step allocates nothing.
/// </summary>
public sealed class Tensor
{
    private float[] _data;

    /// <summary>The tensor's shape.</summary>
    public Shape Shape { get; private set; }

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params ReadOnlySpan<int> shape)
    {
        Shape = new Shape(shape);
        _data = new float[Shape.Size];
    }

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(Shape shape)
    {
        Shape = shape;
        _data = new float[shape.Size];
    }

    /// <summary>Wraps <paramref name="data"/> (no copy) with the given shape.</summary>
    public Tensor(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape = new Shape(shape);
        if (data.Length != Shape.Size)
            throw new ArgumentException($"Data of length {data.Length} cannot have shape {Shape} ({Shape.Size} elements).", nameof(data));
        _data = data;
    }

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => _data.AsSpan(0, Shape.Size);

    /// <summary>The number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>The underlying buffer (may be longer than <see cref="Size"/>).</summary>
    internal float[] Buffer => _data;

    /// <summary>Dimension <paramref name="axis"/> of the shape.</summary>
    public int Dim(int axis) => Shape[axis];

    /// <summary>The element at [i].</summary>
    public float this[int i]
    {
        get => _data[Index(i)];
        set => _data[Index(i)] = value;
    }

    /// <summary>The element at [i, j].</summary>
    public float this[int i, int j]
    {
        get => _data[Index(i, j)];
        set => _data[Index(i, j)] = value;
    }

    /// <summary>The element at [i, j, k].</summary>
    public float this[int i, int j, int k]
    {
        get => _data[Index(i, j, k)];
        set => _data[Index(i, j, k)] = value;
    }

    private int Index(int i)
    {
        CheckRank(1);
        CheckIndex(0, i);
        return i;
    }

    private int Index(int i, int j)
    {
        CheckRank(2);
        CheckIndex(0, i);
        CheckIndex(1, j);
        return i * Shape[1] + j;
    }

    private int Index(int i, int j, int k)
    {
        CheckRank(3);
        CheckIndex(0, i);
        CheckIndex(1, j);
        CheckIndex(2, k);
        return (i * Shape[1] + j) * Shape[2] + k;
    }

    private void CheckRank(int rank)
    {
        if (Shape.Rank != rank)
            throw new InvalidOperationException($"A tensor of shape {Shape} (rank {Shape.Rank}) cannot be indexed with {rank} indices.");
    }

    private void CheckIndex(int axis, int index)
    {
        if ((uint)index >= (uint)Shape[axis])
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} on axis {axis} is outside shape {Shape}.");
    }

    /// <summary>
    /// Changes the shape in place. Grows the buffer only if the new size exceeds the capacity
    /// (contents are then not preserved); otherwise allocates nothing.
    /// </summary>
    public void Reshape(Shape shape)
    {
        if (shape.Size > _data.Length)
            _data = new float[shape.Size];
        Shape = shape;
    }

    /// <inheritdoc cref="Reshape(Shape)"/>
    public void Reshape(params ReadOnlySpan<int> shape) => Reshape(new Shape(shape));

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>A copy with its own buffer.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(Shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>Builds a tensor from a rectangular 2-D array.</summary>
    public static Tensor From(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var t = new Tensor(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                t._data[i * cols + j] = values[i, j];
        }
        return t;
    }

    /// <summary>Builds a tensor from a rectangular 3-D array.</summary>
    public static Tensor From(float[,,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int a = values.GetLength(0), b = values.GetLength(1), c = values.GetLength(2);
        var t = new Tensor(a, b, c);
        int n = 0;
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                for (int k = 0; k < c; k++)
                    t._data[n++] = values[i, j, k];
            }
        }
        return t;
    }

    public override string ToString() => $"Tensor{Shape}";
}
