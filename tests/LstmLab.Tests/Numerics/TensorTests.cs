using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

// Provenance (whole file) (hand): sizes, indexes and contents of the small tensors the tests build, written out.

/// <summary><see cref="Shape"/> and <see cref="Tensor"/>: sizes, Keras-style formatting, indexing checks and allocation-free reshapes.</summary>
public sealed class TensorTests
{
    [Fact]
    public void Shape_SizeEqualityAndFormat()
    {
        var s = new Shape(4, 1, 5);
        Assert.Equal(3, s.Rank);
        Assert.Equal(20, s.Size);
        Assert.Equal(5, s[-1]);
        Assert.Equal("(4, 1, 5)", s.ToString());
        Assert.Equal("(7,)", new Shape(7).ToString());
        Assert.Equal(new Shape(4, 1, 5), s);
        Assert.NotEqual(new Shape(4, 5), new Shape(4, 5, 1));
        Assert.Equal(1, new Shape().Size);
        Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Throws<ArgumentException>(() => new Shape(1, 1, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s[3]);
    }

    [Fact]
    public void Tensor_IndexesRowMajor_AndNamesBadIndices()
    {
        var t = Tensor.From(new float[,,] { { { 1, 2 }, { 3, 4 }, { 5, 6 } } });
        Assert.Equal(new Shape(1, 3, 2), t.Shape);
        Assert.Equal(4f, t[0, 1, 1]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToArray());
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => t[0, 3, 0]);
        Assert.Contains("(1, 3, 2)", bad.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => t[0, 0]);
        Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3));
    }

    [Fact]
    public void Reshape_WithinCapacity_KeepsTheBuffer()
    {
        var t = new Tensor(4, 6);
        float[] buffer = t.Buffer;
        t.Reshape(2, 3, 2);
        Assert.Same(buffer, t.Buffer);
        Assert.Equal(12, t.Span.Length);
        t.Reshape(5, 5);
        Assert.NotSame(buffer, t.Buffer);
        Assert.Equal(25, t.Size);
        var clone = t.Clone();
        clone[0, 0] = 3;
        Assert.Equal(0f, t[0, 0]);
    }
}
