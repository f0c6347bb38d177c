using LstmLab.Data;
using Xunit;

namespace LstmLab.Tests.Data;

public class MinMaxScalerTests
{
    // Provenance (hand): min/max of the test's columns; (20 − 10)/(30 − 10)·2 − 1 … written out in the asserts.
    [Fact]
    public void Fit_PerColumn_DefaultRangeMinusOneToOne()
    {
        double[][] train = [[0, 10], [5, 20], [10, 30]];
        var scaler = new MinMaxScaler().Fit(train);
        Assert.Equal(2, scaler.Columns);
        Assert.Equal([0.0, 10], scaler.DataMin);
        Assert.Equal([10.0, 30], scaler.DataMax);
        double[][] scaled = scaler.Transform(train);
        Assert.Equal([-1.0, -1], scaled[0]);
        Assert.Equal([0.0, 0], scaled[1]);
        Assert.Equal([1.0, 1], scaled[2]);
        // Test rows use the training scale: no clipping outside the fitted range.
        Assert.Equal([3.0, -2], scaler.Transform([20.0, 0]));
    }

    [Fact]
    public void CustomRange_AndRoundTrip()
    {
        double[][] train = [[3.5, -7], [1.25, 2], [-4, 100.125]];
        var scaler = new MinMaxScaler(0, 1).Fit(train);
        double[][] scaled = scaler.Transform(train);
        Assert.Equal(0.0, scaled[2][0], 15);
        Assert.Equal(1.0, scaled[0][0], 15);
        double[][] back = scaler.InverseTransform(scaled);
        for (int i = 0; i < train.Length; i++)
        {
            for (int j = 0; j < 2; j++)
                Assert.Equal(train[i][j], back[i][j], 12);
        }
    }

    // Provenance (hand): the inverse of the transform above.
    [Fact]
    public void ConstantColumn_ScaleOneLikeSklearn()
    {
        var scaler = new MinMaxScaler().Fit([[5.0, 1], [5.0, 3]]);
        Assert.Equal(2.0, scaler.Scale[0]);
        Assert.Equal([-1.0, -1], scaler.Transform([5.0, 1]));
        Assert.Equal(-1.0 + 2 * 2, scaler.Transform([7.0, 1])[0], 12);
        Assert.Equal(7.0, scaler.InverseTransform([3.0, 0])[0], 12);
    }

    // Provenance (tools): scikit-learn's formulas in numpy on seed 001's pipeline,
    // tools/provenance/independent_values.txt [scaler] (all six values, bit for bit).
    [Fact]
    public void ShampooSeedPipeline_ScaledValuesMatchSklearnArithmetic()
    {
        // Golden values computed with scikit-learn's formulas in float64 (scale_ = 2 / (max - min), min_ = -1 - min * scale_).
        double[][] rows = Supervised.Frame(Differencing.Difference(Datasets.ShampooSales().Values), 1);
        var (train, test) = TrainTestSplit.LastRows(rows, 12);
        var scaler = new MinMaxScaler(-1, 1).Fit(train);
        Assert.Equal(-157.10000000000002, scaler.DataMin[0]);
        Assert.Equal(213.6, scaler.DataMax[0]);
        Assert.Equal(0.005395198273536551, scaler.Scale[1]);
        Assert.Equal(-0.15241435122740765, scaler.Offset[1]);
        double[][] testScaled = scaler.Transform(test);
        Assert.Equal(0.26733207445373613, testScaled[0][0]);
        Assert.Equal(-0.1664418667386028, testScaled[0][1]);
    }

    // Provenance (hand): the inverse written out on the test's row.
    [Fact]
    public void InvertForecast_IsInverseOfLastColumn()
    {
        double[][] train = [[0, 10, 100], [10, 20, 300]];
        var scaler = new MinMaxScaler().Fit(train);
        double[] row = scaler.Transform([5.0, 15, 250]);
        Assert.Equal(250, scaler.InvertForecast(row.AsSpan(0, 2), row[2]), 12);
        Assert.Equal(100, scaler.InvertForecast([123.0, -4], -1), 12);
        Assert.Equal(scaler.InverseTransform([0.3, 0.1, 0.7])[2], scaler.InvertForecast([0.3, 0.1], 0.7), 15);
        var e = Assert.Throws<ArgumentException>(() => scaler.InvertForecast([1.0], 0.5));
        Assert.Contains("Expected 2 input values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors()
    {
        Assert.Throws<ArgumentException>(() => new MinMaxScaler(1, 1));
        Assert.Throws<ArgumentException>(() => new MinMaxScaler(1, -1));
        var unfitted = new MinMaxScaler();
        Assert.False(unfitted.IsFitted);
        Assert.Throws<InvalidOperationException>(() => unfitted.Transform([1.0]));
        Assert.Throws<ArgumentException>(() => unfitted.Fit(Array.Empty<double[]>()));
        Assert.Throws<ArgumentException>(() => unfitted.Fit([[1.0, 2], [3.0]]));
        Assert.Throws<ArgumentException>(() => unfitted.Fit([[1.0], [double.NaN]]));
        var scaler = new MinMaxScaler().Fit([1.0, 2, 3]);
        Assert.Equal(1, scaler.Columns);
        var e = Assert.Throws<ArgumentException>(() => scaler.Transform([[1.0, 2]]));
        Assert.Contains("fitted on 1", e.Message, StringComparison.Ordinal);
    }
}
