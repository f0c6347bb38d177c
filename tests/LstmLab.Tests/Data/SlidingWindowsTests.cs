using LstmLab.Data;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (hand): shapes and windows of the test's own sequences, written out.

public class SlidingWindowsTests
{
    private static readonly int[] Seq = [.. Enumerable.Range(0, 25).Select(i => (i * 37 + 11) % 100)];

    [Fact]
    public void EchoWindow5_Seed002Framing()
    {
        // values[5:] of concat(shift(4..1), df) and y = encoded[4:-1]: 20 samples of 5 steps, y = x(t-1).
        var w = SlidingWindows.Create(Seq.Length, window: 5, targetLag: 1, firstEnd: 5);
        Assert.Equal(20, w.Count);
        double[][] steps = OneHot.Encode(Seq, 100);
        Tensor x = w.Inputs(steps);
        Tensor y = w.Targets(steps);
        Assert.Equal(new Shape(20, 5, 100), x.Shape);
        Assert.Equal(new Shape(20, 100), y.Shape);

        int[] xs = OneHot.Decode(x);
        int[] ys = OneHot.Decode(y);
        for (int s = 0; s < 20; s++)
        {
            for (int k = 0; k < 5; k++)
                Assert.Equal(Seq[s + 1 + k], xs[s * 5 + k]);
            Assert.Equal(Seq[s + 4], ys[s]);
            Assert.Equal(xs[s * 5 + 3], ys[s]); // the echoed value is the window's second-to-last step
        }
        Assert.Equal(Seq[1..6], w.InputItems(Seq)[0]);
        Assert.Equal(Seq[4..24], w.TargetItems(Seq));
    }

    [Fact]
    public void DefaultStart_IsEarliestFullWindow()
    {
        Assert.Equal(21, SlidingWindows.Create(25, 5, 1).Count);
        Assert.Equal(25, SlidingWindows.Create(25, 1, 0).Count); // echo current
        var lag1 = SlidingWindows.Create(25, 1, 1); // echo previous, no context: X = encoded[1:], y = encoded[:-1]
        Assert.Equal(24, lag1.Count);
        Assert.Equal(1, lag1.End(0));
        Assert.Equal(0, lag1.Target(0));
    }

    [Fact]
    public void NegativeLag_TargetsTheNextValue()
    {
        double[] v = [0, 1, 2, 3, 4, 5];
        var w = SlidingWindows.Create(v.Length, window: 3, targetLag: -1);
        Assert.Equal(3, w.Count);
        Tensor x = w.Inputs(v);
        Tensor y = w.Targets(v);
        Assert.Equal(new Shape(3, 3, 1), x.Shape);
        Assert.Equal([0f, 1, 2, 1, 2, 3, 2, 3, 4], x.ToArray());
        Assert.Equal([3f, 4, 5], y.ToArray());
    }

    [Fact]
    public void Errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Create(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Create(10, 5, 1, firstEnd: 3));
        var e = Assert.Throws<ArgumentException>(() => SlidingWindows.Create(4, 5));
        Assert.Contains("needs at least 5 steps", e.Message, StringComparison.Ordinal);
        var w = SlidingWindows.Create(10, 2);
        Assert.Throws<ArgumentException>(() => w.Inputs(new double[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.End(9));
    }
}
