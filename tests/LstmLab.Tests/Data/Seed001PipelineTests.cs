using LstmLab.Data;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Data;

/// <summary>The seed-001 data path end to end, with a perfect "model" standing in for the LSTM.</summary>
public class Seed001PipelineTests
{
    // Provenance (hand): the training rows of seed 001's pipeline (36 months less the last 12 and the rows
    // differencing and the lag use up) as (samples, 1, 1) and (samples, 1); raw[24 + i] is the month each test
    // prediction restores.
    [Fact]
    public void PerfectForecasts_InvertToTheRawTestMonths()
    {
        TimeSeries series = Datasets.ShampooSales();
        series.RequireLength(1 + 1 + 12 + 1, "lag-1 differencing, lag-1 framing and a 12-month test set");
        double[] raw = series.Values;
        double[][] supervised = Supervised.Frame(Differencing.Difference(raw, 1), lags: 1);
        var (train, test) = TrainTestSplit.LastRows(supervised, 12);
        Assert.Equal(22, train.Length);
        var scaler = new MinMaxScaler(-1, 1).Fit(train);
        double[][] trainScaled = scaler.Transform(train);
        double[][] testScaled = scaler.Transform(test);

        var (xTrain, yTrain) = Supervised.SplitColumns(trainScaled, 1);
        Tensor x = Supervised.ToSequenceTensor(xTrain, timesteps: 1, features: 1);
        Tensor y = Supervised.ToMatrixTensor(yTrain);
        Assert.Equal(new Shape(22, 1, 1), x.Shape);
        Assert.Equal(new Shape(22, 1), y.Shape);
        Assert.All(trainScaled.SelectMany(r => r), v => Assert.InRange(v, -1 - 1e-12, 1 + 1e-12));

        var predictions = new double[testScaled.Length];
        for (int i = 0; i < testScaled.Length; i++)
        {
            double[] row = testScaled[i];
            double yhat = row[^1]; // a perfect model
            double value = scaler.InvertForecast(row.AsSpan(0, row.Length - 1), yhat);
            predictions[i] = Differencing.InvertDifference(raw, value, testScaled.Length + 1 - i);
        }
        for (int i = 0; i < 12; i++)
            Assert.Equal(raw[24 + i], predictions[i], 9);
    }
}
