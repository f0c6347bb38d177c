using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): correct counts read off the test's predictions and labels.

/// <summary>The accuracy Keras picks for the name "accuracy", and how each kind counts.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void ResolveAccuracy_FollowsKeras()
    {
        Assert.Equal(AccuracyKind.Binary, Metrics.ResolveAccuracy(Loss.BinaryCrossentropy, 1));
        Assert.Equal(AccuracyKind.Binary, Metrics.ResolveAccuracy(Loss.BinaryCrossentropy, 4));
        Assert.Equal(AccuracyKind.Categorical, Metrics.ResolveAccuracy(Loss.CategoricalCrossentropy, 4));
        Assert.Equal(AccuracyKind.Binary, Metrics.ResolveAccuracy(Loss.MeanSquaredError, 1));
        Assert.Equal(AccuracyKind.Categorical, Metrics.ResolveAccuracy(Loss.MeanSquaredError, 3));
    }

    [Fact]
    public void BinaryAccuracy_ThresholdsEachValueAboveOneHalf()
    {
        float[] p = [0.5f, 0.51f, 0.2f, 0.9f], y = [0f, 1f, 1f, 1f];
        Assert.Equal((3L, 4L), Metrics.CountCorrect(AccuracyKind.Binary, p, y, 2, 2));
    }

    [Fact]
    public void CategoricalAccuracy_ComparesArgmaxPerRow_FirstIndexOnTies()
    {
        float[] p = [0.1f, 0.7f, 0.2f, 0.4f, 0.4f, 0.2f, 0.3f, 0.3f, 0.4f], y = [0f, 1f, 0f, 1f, 0f, 0f, 1f, 0f, 0f];
        Assert.Equal((2L, 3L), Metrics.CountCorrect(AccuracyKind.Categorical, p, y, 3, 3));
        Assert.Equal(0, Metrics.ArgMax([2f, 2f, 1f]));
        Assert.Equal(2, Metrics.ArgMax([-3f, -2f, -1f]));
    }
}
