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

    [Theory]
    [InlineData(1, 0, null)]
    [InlineData(1, 1, null)]
    [InlineData(5, 1, 5)]
    [InlineData(3, -1, null)]
    public void OneHot_in_place_equals_the_allocating_path_and_overwrites_what_was_there(int window, int lag, int? firstEnd)
    {
        var w = SlidingWindows.Create(Seq.Length, window, lag, firstEnd);
        double[][] steps = OneHot.Encode(Seq, 100);
        float[] x = [.. Enumerable.Repeat(7f, w.Count * window * 100 + 3)];
        float[] y = [.. Enumerable.Repeat(7f, w.Count * 100)];
        w.OneHotInputs(Seq, 100, x);
        w.OneHotTargets(Seq, 100, y);
        Assert.Equal(w.Inputs(steps).ToArray(), x[..^3]);
        Assert.Equal(7f, x[^1]); // nothing written past the windows
        Assert.Equal(w.Targets(steps).ToArray(), y);
    }

    [Fact]
    public void OneHot_in_place_refuses_bad_items_and_short_buffers()
    {
        var w = SlidingWindows.Create(Seq.Length, 5, 1, 5);
        var x = new float[w.Count * 5 * 100];
        int[] bad = [.. Seq];
        bad[3] = 100;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => w.OneHotInputs(bad, 100, x));
        Assert.Contains("position 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => w.OneHotInputs(Seq, 100, x.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => w.OneHotTargets(Seq.AsSpan(1), 100, new float[2000]));
    }
}
