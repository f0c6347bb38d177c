using LstmLab.Data;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Data;

public class OneHotTests
{
    // Provenance (hand): 25 values over 100 classes, one step each.
    [Fact]
    public void Encode_Decode_RoundTrip()
    {
        int[] seq = [37, 99, 40, 98, 44, 27, 99, 18, 52, 97, 46, 39, 60, 13, 66, 29, 26, 4, 65, 85, 29, 88, 8, 23, 61];
        double[][] encoded = OneHot.Encode(seq, 100);
        Assert.Equal(25, encoded.Length);
        Assert.All(encoded, row => Assert.Equal(1.0, row.Sum()));
        Assert.Equal(1.0, encoded[1][99]);
        Assert.Equal(seq, OneHot.Decode(encoded));

        Tensor t = OneHot.EncodeTensor(seq, 100);
        Assert.Equal(new Shape(25, 1, 100), t.Shape);
        Assert.Equal(seq, OneHot.Decode(t));
    }

    [Fact]
    public void Decode_IsArgmaxFirstOnTies()
    {
        Assert.Equal([1, 0, 2], OneHot.Decode([[0.1, 0.7, 0.2], [0.5, 0.5, 0], [double.NaN, 0.1, 0.3]]));
        var probs = new Tensor([0.2f, 0.2f, 0.6f, 0.4f, 0.4f, 0.2f], 2, 3);
        Assert.Equal([2, 0], OneHot.Decode(probs));
    }

    [Fact]
    public void Encode_ValueOutsideAlphabet_NamesValueAndPosition()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([1, 2, 100], 100));
        Assert.Contains("Value 100 at position 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..99", e.Message, StringComparison.Ordinal);
        var n = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.EncodeTensor([-1], 5));
        Assert.Contains("Value -1 at position 0", n.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([0], 0));
        Assert.Throws<ArgumentException>(() => OneHot.Decode([Array.Empty<double>()]));
    }
}
