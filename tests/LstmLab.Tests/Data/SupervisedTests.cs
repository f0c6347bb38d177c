using LstmLab.Data;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Data;

// Provenance (whole file) (hand + tools): frames of the test's sequences written out by hand; −120.1 and 37.2 are the
// shampoo differences (tools/provenance/independent_values.txt [differencing]).

public class SupervisedTests
{
    [Fact]
    public void Frame_Lag1_IsPreviousThenCurrent()
    {
        double[][] rows = Supervised.Frame([1, 2, 3, 4], lags: 1);
        Assert.Equal(3, rows.Length);
        Assert.Equal([1.0, 2], rows[0]);
        Assert.Equal([3.0, 4], rows[2]);
    }

    [Fact]
    public void Frame_Lags3_OldestFirst_AndMultiStepOutput()
    {
        double[] v = [10, 11, 12, 13, 14, 15];
        double[][] rows = Supervised.Frame(v, lags: 3);
        Assert.Equal(3, rows.Length);
        Assert.Equal([10.0, 11, 12, 13], rows[0]);
        Assert.Equal([12.0, 13, 14, 15], rows[2]);

        double[][] multi = Supervised.Frame(v, lags: 2, outputs: 3);
        Assert.Equal(2, multi.Length);
        Assert.Equal([10.0, 11, 12, 13, 14], multi[0]);
        Assert.Equal([11.0, 12, 13, 14, 15], multi[1]);
    }

    [Fact]
    public void Frame_ShampooDifferenced_Gives34RowsLikeTheSeedAfterSlicing()
    {
        double[] diff = Differencing.Difference(Datasets.ShampooSales().Values);
        double[][] rows = Supervised.Frame(diff, 1);
        Assert.Equal(34, rows.Length);
        Assert.Equal(-120.1, rows[0][0], 10);
        Assert.Equal(37.2, rows[0][1], 10);
    }

    [Fact]
    public void Frame_RejectsLagZeroAndShortSeries()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Supervised.Frame([1, 2, 3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Supervised.Frame([1, 2, 3], 1, outputs: 0));
        var e = Assert.Throws<ArgumentException>(() => Supervised.Frame([1, 2, 3], 3));
        Assert.Contains("needs at least 4 values; the series has 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitColumns_AndTensors()
    {
        double[][] rows = Supervised.Frame([1, 2, 3, 4, 5], lags: 2);
        var (x, y) = Supervised.SplitColumns(rows, 2);
        Assert.Equal([1.0, 2], x[0]);
        Assert.Equal([3.0], y[0]);

        Tensor seedLayout = Supervised.ToSequenceTensor(x, timesteps: 1, features: 2);
        Assert.Equal(new Shape(3, 1, 2), seedLayout.Shape);
        Assert.Equal(2f, seedLayout[0, 0, 1]);
        Tensor lagsAsSteps = Supervised.ToSequenceTensor(x, timesteps: 2, features: 1);
        Assert.Equal(new Shape(3, 2, 1), lagsAsSteps.Shape);
        Assert.Equal(4f, lagsAsSteps[2, 1, 0]);
        Tensor targets = Supervised.ToMatrixTensor(y);
        Assert.Equal(new Shape(3, 1), targets.Shape);
        Assert.Equal([3f, 4, 5], targets.ToArray());

        Assert.Throws<ArgumentException>(() => Supervised.SplitColumns(rows, 3));
        Assert.Throws<ArgumentException>(() => Supervised.ToSequenceTensor(x, 3, 1));
    }
}
