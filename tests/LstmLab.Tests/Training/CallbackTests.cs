using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Tests.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Tests.Training;

// Provenance (whole file) (cited + hand): the early-stopping and reduce-on-plateau cases port Keras's own tests as
// the comments beside them name (keras/src/callbacks/early_stopping_test.py, reduce_lr_on_plateau_test.py), their
// inputs and expected epochs and rates copied; the decay schedules are the formula lr·rate^(step/steps) written out;
// file names and epoch counts restate the fits.

/// <summary>
/// The callbacks, with cases ported from Keras's own tests — keras-team/keras
/// <c>keras/src/callbacks/early_stopping_test.py</c> (commit 136da6b4) and
/// <c>reduce_lr_on_plateau_test.py</c> (commit 1cbb88bc); the expected epochs and learning rates are those
/// files' — plus ModelCheckpoint, the schedules and the stop flag.
/// </summary>
public sealed class CallbackTests
{
    private static Sequential Model(string loss = "mse", params string[] metrics)
    {
        var model = new Sequential(SampleShape.Vector(3), seed: 1);
        model.Add(new Dense(2));
        model.Compile(Loss.Parse(loss), new Adam(0.1), metrics);
        return model;
    }

    // early_stopping_test.py test_early_stopping_patience: losses [10, 9, 8, 9, 8.9, 8.8, 8.7, 8.6, 8.5] stop at max(patience, 1) + 2.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EarlyStopping_Patience_AsKeras(int patience)
    {
        double[] losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5];
        var stopper = new EarlyStopping(monitor: "loss", patience: patience) { Model = Model() };
        stopper.OnTrainBegin();
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            stopper.OnEpochEnd(epoch, new Dictionary<string, double> { ["loss"] = losses[epoch] });
            if (stopper.Model!.StopTraining)
                break;
        }
        Assert.Equal(Math.Max(patience, 1) + 2, stopper.StoppedEpoch);
    }

    // early_stopping_test.py test_early_stopping_final_weights_when_restoring_model_weights: the weights "are" the epoch.
    [Theory]
    [InlineData(2, null, false, new[] { 0.2, 0.15, 0.1, 0.11, 0.12 }, 5, 2)]
    [InlineData(5, 0.5, false, new[] { 0.9, 0.8, 0.7, 0.71, 0.72, 0.73 }, 5, 2)]
    [InlineData(5, 0.5, true, new[] { 0.9, 0.8, 0.7, 0.71, 0.72, 0.73 }, 4, 2)]
    public void EarlyStopping_RestoresTheBestEpochsWeights_AsKeras(int patience, double? baseline, bool otherStopsAtThree, double[] losses, int expectedEpochs, int expectedWeights)
    {
        Sequential model = Model();
        var stopper = new EarlyStopping(monitor: "val_loss", patience: patience, baseline: baseline, restoreBestWeights: true) { Model = model };
        stopper.OnTrainBegin();
        int trained = 0;
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            trained++;
            foreach (Parameter p in model.Parameters)
                p.Value.Span.Fill(epoch);
            stopper.OnEpochEnd(epoch, new Dictionary<string, double> { ["val_loss"] = losses[epoch] });
            if (otherStopsAtThree && epoch == 3)
                model.StopTraining = true;
            if (model.StopTraining)
                break;
        }
        stopper.OnTrainEnd();
        Assert.Equal(expectedEpochs, trained);
        Assert.All(model.Parameters, p => Assert.All(p.Value.ToArray(), v => Assert.Equal(expectedWeights, v)));
    }

    // early_stopping_test.py test_early_stopping: mode "auto" picks min for losses and errors, max for accuracies; unknown names fail.
    [Theory]
    [InlineData("max", "val_mse", true)]
    [InlineData("min", "val_loss", false)]
    [InlineData("auto", "val_mse", false)]
    [InlineData("auto", "loss", false)]
    [InlineData("auto", "acc", true)]
    [InlineData("auto", "val_accuracy", true)]
    public void EarlyStopping_ModeAuto_AsKeras(string mode, string monitor, bool maximise)
    {
        var model = new Sequential(SampleShape.Vector(5), seed: 2);
        model.Add(new Dense(1, Activation.Relu)).Add(new Dense(1, Activation.Relu));
        model.Compile(Loss.MeanAbsoluteError, new Adam(), "mse", "acc");
        var stopper = new EarlyStopping(monitor: monitor == "acc" ? "accuracy" : monitor, mode: mode, patience: 0) { Model = model };
        stopper.OnTrainBegin();
        string key = monitor == "acc" ? "accuracy" : monitor;
        stopper.OnEpochEnd(0, new Dictionary<string, double> { [key] = 1.0 });
        stopper.OnEpochEnd(1, new Dictionary<string, double> { [key] = 2.0 });
        // Going from 1 to 2 improves a maximised quantity (no stop) and worsens a minimised one (stop).
        Assert.Equal(!maximise, model.StopTraining);
        Assert.Throws<ArgumentException>(() =>
        {
            var unknown = new EarlyStopping(monitor: "unknown") { Model = model };
            unknown.OnTrainBegin();
            unknown.OnEpochEnd(0, new Dictionary<string, double> { ["unknown"] = 1 });
        });
    }

    [Fact]
    public void EarlyStopping_InFit_StopsAndRestores_WithAValidationSplit()
    {
        var random = new RandomGenerator(5);
        Tensor x = TestData.Tensor(random, -1, 1, 40, 3);
        Tensor y = TestData.Tensor(random, -1, 1, 40, 2);   // noise: validation loss soon stops improving
        Sequential model = Model();
        var stopper = new EarlyStopping(patience: 3, restoreBestWeights: true);
        History history = model.Fit(x, y, epochs: 200, batchSize: 8, verbose: 0, validationSplit: 0.25, callbacks: [stopper]);
        Assert.True(history.Epochs < 200, "it never stopped");
        Assert.Equal(stopper.StoppedEpoch + 1, history.Epochs);
        Assert.Equal(history.Epochs - 1 - 3, stopper.BestEpoch);
        Assert.Equal(history.ValidationLoss.Min(), history.ValidationLoss[stopper.BestEpoch]);
        // The restored weights give the best epoch's validation loss again.
        Tensor xv = Slice(x, 30, 10), yv = Slice(y, 30, 10);
        Assert.Equal(history.ValidationLoss[stopper.BestEpoch], model.Evaluate(xv, yv, batchSize: 8).Loss, 10);
    }

    // reduce_lr_on_plateau_test.py: Adam(0.1), patience 1, factor 0.1, monitor val_loss.
    [Theory]
    [InlineData(100.0, 0.0, 0, 2, 0.01)]    // test_reduces_lr_with_model_fit
    [InlineData(10.0, 0.005, 0, 4, 0.005)]  // test_honors_min_lr
    [InlineData(100.0, 0.0, 2, 4, 0.001)]   // test_cooldown
    public void ReduceLROnPlateau_AsKeras(double minDelta, double minLr, int cooldown, int epochs, double expected)
    {
        var random = new RandomGenerator(6);
        Tensor x = TestData.Tensor(random, -1, 1, 10, 3), y = TestData.Tensor(random, 0, 1, 10, 2);
        Tensor xv = TestData.Tensor(random, -1, 1, 10, 3), yv = TestData.Tensor(random, 0, 1, 10, 2);
        Sequential model = Model();
        var reduce = new ReduceLROnPlateau(patience: 1, factor: 0.1, monitor: "val_loss", minDelta: minDelta, minLearningRate: minLr, cooldown: cooldown);
        History history = model.Fit(x, y, epochs: epochs, verbose: 0, validationData: (xv, yv), callbacks: [reduce]);
        Assert.Equal(expected, model.Optimizer!.LearningRate, 12);
        Assert.Equal(epochs, history.Epochs);
    }

    [Fact]
    public void ModelCheckpoint_SaveBestOnly_WritesOnlyImprovingEpochs()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lstmlab-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            Sequential model = Model();
            var checkpoint = new ModelCheckpoint(Path.Combine(directory, "model-{epoch:02d}.json"), monitor: "val_loss", saveBestOnly: true) { Model = model };
            checkpoint.OnTrainBegin();
            double[] losses = [0.5, 0.4, 0.45, 0.3, 0.3];
            for (int epoch = 0; epoch < losses.Length; epoch++)
                checkpoint.OnEpochEnd(epoch, new Dictionary<string, double> { ["val_loss"] = losses[epoch] });
            Assert.Equal(["model-01.json", "model-02.json", "model-04.json"], checkpoint.Saved.Select(Path.GetFileName));
            Assert.True(File.Exists(Path.Combine(directory, "model-04.json")));
            Sequential loaded = Sequential.Load(Path.Combine(directory, "model-04.json"));
            TestData.AssertBitEqual(model.Parameters[0].Value.Span, loaded.Parameters[0].Value.Span, "saved kernel");

            var every = new ModelCheckpoint(Path.Combine(directory, "last.json")) { Model = model };
            every.OnTrainBegin();
            every.OnEpochEnd(0, new Dictionary<string, double> { ["loss"] = 1 });
            every.OnEpochEnd(1, new Dictionary<string, double> { ["loss"] = 2 });
            Assert.Equal(2, every.Saved.Count);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Schedules_SetTheLearningRate_PerEpochAndPerUpdate()
    {
        var random = new RandomGenerator(7);
        Tensor x = TestData.Tensor(random, -1, 1, 12, 3), y = TestData.Tensor(random, 0, 1, 12, 2);
        Sequential model = Model();
        var seen = new List<double>();
        model.Fit(x, y, epochs: 5, batchSize: 4, verbose: 0, callbacks: [LearningRateScheduler.StepDecay(0.1, 0.5, 2)],
            onEpochEnd: e => seen.Add(e.Logs["learning_rate"]));
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025], seen);

        Sequential other = Model();
        var decay = new ExponentialDecay(0.1, decaySteps: 3, decayRate: 0.5);
        other.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, callbacks: [decay]);
        // Six updates; the last was made at step 5: 0.1 · 0.5^(5/3).
        Assert.Equal(0.1 * Math.Pow(0.5, 5.0 / 3), other.Optimizer!.LearningRate, 12);
        Assert.Equal(0.1 * 0.5, new ExponentialDecay(0.1, 3, 0.5, staircase: true).At(5), 12);
    }

    [Fact]
    public void TheEpochHook_CanStopTraining()
    {
        var random = new RandomGenerator(8);
        Tensor x = TestData.Tensor(random, -1, 1, 8, 3), y = TestData.Tensor(random, 0, 1, 8, 2);
        Sequential model = Model();
        History history = model.Fit(x, y, epochs: 50, verbose: 0, onEpochEnd: e => model.StopTraining = e.Epoch == 4);
        Assert.Equal(4, history.Epochs);
        // The flag is cleared by the next Fit.
        Assert.Equal(2, model.Fit(x, y, epochs: 2, verbose: 0).Epochs);
    }

    private static Tensor Slice(Tensor t, int start, int count)
    {
        int width = t.Shape[1];
        return new Tensor(t.Span.Slice(start * width, count * width).ToArray(), count, width);
    }
}
