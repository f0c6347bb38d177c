using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (hand): the metrics written out on the test's values.

/// <summary>The metrics added beside accuracy: their values, Keras's resolution of "accuracy", weights and names.</summary>
public sealed class MetricTests
{
    private static double Value(Metric metric, float[] p, float[] y, int rows, int width, int targetWidth, float weight = 1f)
    {
        double sum = 0, count = 0;
        metric.Accumulate(p, y, rows, width, targetWidth, weight, ref sum, ref count);
        return sum / count;
    }

    [Fact]
    public void ErrorsAndAccuracies_HaveTheirDefinitions()
    {
        float[] p = [0.2f, 0.8f, 0.6f, 0.4f], y = [0f, 1f, 1f, 1f];
        Assert.Equal((0.2 + 0.2 + 0.4 + 0.6) / 4, Value(Metric.MeanAbsoluteError(), p, y, 2, 2, 2), 6);
        Assert.Equal((0.04 + 0.04 + 0.16 + 0.36) / 4, Value(Metric.MeanSquaredError(), p, y, 2, 2, 2), 6);
        Assert.Equal(0.75, Value(Metric.BinaryAccuracy(), p, y, 2, 2, 2));
        // Threshold 0.7: only 0.8 counts as 1: right on 0.2 and 0.8, wrong on 0.6 and 0.4.
        Assert.Equal(0.5, Value(Metric.BinaryAccuracy(0.7), p, y, 2, 2, 2));
        Assert.Equal(0.5, Value(Metric.SparseCategoricalAccuracy(), p, [1f, 1f], 2, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metric.BinaryAccuracy(1.5));
    }

    [Fact]
    public void Parse_ResolvesAccuracyAsKeras_AndKeepsTheGivenName()
    {
        Assert.Equal("accuracy", Metric.Parse("acc", Loss.CategoricalCrossentropy, 3).Name);
        Assert.True(Metric.Parse("accuracy", Loss.SparseCategoricalCrossentropy, 3).HigherIsBetter);
        // With a sparse loss the target is an index: accuracy compares argmax with it.
        Assert.Equal(1.0, Value(Metric.Parse("accuracy", Loss.SparseCategoricalCrossentropy, 3), [0.1f, 0.7f, 0.2f], [1f], 1, 3, 1));
        Assert.Equal("mean_absolute_error", Metric.Parse("mean_absolute_error", Loss.MeanSquaredError, 1).Name);
        Assert.False(Metric.Parse("mse", Loss.MeanSquaredError, 1).HigherIsBetter);
        Assert.Throws<ArgumentException>(() => Metric.Parse("f1", Loss.MeanSquaredError, 1));
    }

    [Fact]
    public void Compile_WithMetricObjects_ReportsEachByName()
    {
        var model = new Sequential(SampleShape.Vector(2), seed: 1);
        model.Add(new Dense(1, Activation.Sigmoid));
        model.Compile(Loss.BinaryCrossentropy, new Sgd(0.1), [Metric.BinaryAccuracy(0.7), Metric.MeanAbsoluteError()]);
        Assert.Equal(["binary_accuracy", "mae"], model.MetricNames);
        var x = new Tensor([1f, 0f, 0f, 1f, 1f, 1f], 3, 2);
        var y = new Tensor([1f, 0f, 1f], 3, 1);
        Evaluation e = model.Evaluate(x, y);
        Assert.Null(e.Accuracy);
        // Both metrics recomputed here from the model's own predictions with Keras's definitions:
        // mae = mean |y - p|; binary_accuracy = mean(y == (p > threshold)).
        float[] p = model.Predict(x).ToArray();
        float[] t = y.ToArray();
        Assert.Equal(p.Zip(t).Average(q => Math.Abs(q.First - q.Second)), e.Metrics["mae"], 6);
        Assert.Equal(p.Zip(t).Average(q => (q.First > 0.7f ? 1f : 0f) == q.Second ? 1.0 : 0.0), e.Metrics["binary_accuracy"], 12);
        Assert.Throws<ArgumentException>(() => model.Compile(Loss.BinaryCrossentropy, new Sgd(0.1), [Metric.MeanAbsoluteError(), Metric.MeanAbsoluteError()]));
    }
}
