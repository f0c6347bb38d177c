using System.Globalization;

namespace LstmLab.Numerics;

/// <summary>
/// A tensor shape of rank 0 to 4, stored inline so that changing a buffer's shape allocates nothing.
/// Activations use the Keras layout: <c>[samples, timesteps, features]</c> or <c>[samples, features]</c>.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int _d0, _d1, _d2, _d3;
    private readonly int _size;

    /// <summary>The number of dimensions.</summary>
    public int Rank { get; }

    public Shape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > 4)
            throw new ArgumentException($"Shapes of rank above 4 are not supported (got rank {dims.Length}).", nameof(dims));
        foreach (int d in dims)
        {
            if (d < 0)
                throw new ArgumentException($"Shape dimensions must be non-negative (got {Format(dims)}).", nameof(dims));
        }
        Rank = dims.Length;
        _d0 = dims.Length > 0 ? dims[0] : 0;
        _d1 = dims.Length > 1 ? dims[1] : 0;
        _d2 = dims.Length > 2 ? dims[2] : 0;
        _d3 = dims.Length > 3 ? dims[3] : 0;
        // Int128: four dimensions below 2^31 multiply to below 2^124, so the count shown is never an overflowed one.
        Int128 n = 1;
        foreach (int d in dims)
            n *= d;
        if (n > int.MaxValue)
            throw new ArgumentException($"Shape {Format(dims)} has {n} elements, more than a tensor can hold ({int.MaxValue}).", nameof(dims));
        _size = (int)n;
    }

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis]
    {
        get
        {
            int a = axis < 0 ? axis + Rank : axis;
            if ((uint)a >= (uint)Rank)
                throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is outside a shape of rank {Rank}.");
            return a switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 };
        }
    }

    /// <summary>The number of elements (computed once: tensors ask for it on every access).</summary>
    public int Size => Rank == 0 ? 1 : _size;

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray()
    {
        var dims = new int[Rank];
        for (int i = 0; i < Rank; i++)
            dims[i] = this[i];
        return dims;
    }

    public bool Equals(Shape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>(4, 1, 5)</c>, the way Keras and NumPy print shapes.</summary>
    public override string ToString() => Format(ToArray());

    internal static string Format(ReadOnlySpan<int> dims)
    {
        if (dims.Length == 1)
            return "(" + dims[0].ToString(CultureInfo.InvariantCulture) + ",)";
        var parts = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            parts[i] = dims[i].ToString(CultureInfo.InvariantCulture);
        return "(" + string.Join(", ", parts) + ")";
    }
}
