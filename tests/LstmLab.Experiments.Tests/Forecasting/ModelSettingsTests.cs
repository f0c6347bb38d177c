using LstmLab.Data;
using LstmLab.Experiments.Forecasting;
using LstmLab.Experiments.Harness;
using LstmLab.Layers;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Experiments.Tests.Forecasting;

/// <summary>The model and training settings of the schema (layers, bidirectional, optimizer, loss, validation, early stopping) and the trained state.</summary>
public sealed class ModelSettingsTests
{
    private static readonly SeriesFrame Shampoo = SeriesFrame.From(Datasets.ShampooSales());

    [Fact]
    public void Experiment_files_take_the_model_and_training_keys()
    {
        const string yaml = """
            name: m
            data: shampoo
            base: { epochs: 5, stateless: true }
            configurations:
              deep: { layers: 2, bidirectional: true, cell: gru, optimizer: rmsprop, learning_rate: 0.01, clipnorm: 1, loss: huber, validation_split: 0.25, early_stopping: 3 }
            """;
        ForecastOptions o = ExperimentFile.Parse(yaml, "m.yaml").Configurations[0].Options;
        // Provenance (hand): the expected settings restate the YAML the test writes; 0.001 is Keras's Adam default learning rate.
        Assert.Equal((2, true, "rmsprop", 0.01, 1.0, "huber", 0.25, 3), (o.Layers, o.Bidirectional, o.Optimizer, o.LearningRate!.Value, o.ClipNorm!.Value, o.Loss, o.ValidationSplit, o.EarlyStopping!.Value));

        Sequential model = LstmForecaster.BuildModel(o, features: 1, outputs: 1, batchSize: 1, seed: 1);
        Assert.Equal(["Bidirectional", "Bidirectional", "Dense"], model.Layers.Select(l => l.TypeName));
        Assert.True(model.Layers[0].OutputShape.IsSequence);      // all but the last recurrent layer return sequences
        Assert.False(model.Layers[1].OutputShape.IsSequence);
        Assert.Equal(2 * o.Neurons, model.Layers[1].OutputShape.Features);   // concat
        RMSprop rmsprop = Assert.IsType<RMSprop>(model.Optimizer);
        Assert.Equal(0.01, rmsprop.LearningRate);
        Assert.Equal(1.0, rmsprop.ClipNorm);
        Assert.Equal("huber", model.Loss!.Name);

        // The defaults build the seed's network: LSTM(1) -> Dense(1), MSE, Adam(epsilon 1e-7).
        Sequential seed = LstmForecaster.BuildModel(new ForecastOptions(), 1, 1, 1, 1);
        Assert.Equal(["LSTM", "Dense"], seed.Layers.Select(l => l.TypeName));
        Assert.Same(Loss.MeanSquaredError, seed.Loss);
        Assert.Equal(0.001, Assert.IsType<Adam>(seed.Optimizer).LearningRate);
    }

    [Theory]
    [InlineData("early_stopping: 3", "a.early_stopping watches the validation loss: set validation_split too.")]
    [InlineData("clipnorm: 1, clipvalue: 1", "Only one of clipnorm, clipvalue and global_clipnorm can be set (as in Keras).")]
    [InlineData("learning_rate: 0", "a.learning_rate must be a number above 0 (got 0).")]
    [InlineData("validation_split: 1", "a.validation_split must be at least 0 and below 1 (got 1).")]
    [InlineData("layers: 0", "a.layers must be at least 1 (got 0).")]
    [InlineData("optimizer: adamw", "a.optimizer expects one of adam, sgd, rmsprop, adagrad; got 'adamw'.")]
    [InlineData("loss: binary_crossentropy", "a.loss expects one of mean_squared_error, mean_absolute_error, huber; got 'binary_crossentropy'.")]
    public void Bad_model_settings_are_named(string settings, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => ExperimentFile.Parse($"name: x\nconfigurations:\n  a: {{ {settings} }}\n", "bad.yaml"));
        Assert.Contains(message.Replace("a.", "", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yaml", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Early_stopping_ends_training_on_the_validation_loss(bool stateful)
    {
        var o = new ForecastOptions { Stateful = stateful, Epochs = 300, ValidationSplit = 0.25, EarlyStopping = 0, LearningRate = 0.05 };
        var data = new ForecastData(Shampoo, 1, o);
        int epochs = 0;
        LstmForecaster.Fit(data, 0, Shampoo.Length - 12, 1, new List<string>(), _ => epochs++);
        // Provenance (hand): early stopping must end before the 300 epochs the test gives (299 at most).
        Assert.InRange(epochs, 2, 299);
        // A stateful split must give whole batches: 23 training rows, batch 2.
        var e = Assert.Throws<SettingException>(() => LstmForecaster.Fit(new ForecastData(Shampoo, 1, o with { Stateful = true, BatchSize = 2, TrainRows = 22, ValidationSplit = 0.3 }), 0, Shampoo.Length - 12, 1, new List<string>()));
        Assert.Equal(["ValidationSplit", "BatchSize"], e.Settings);
    }

    [Fact]
    public void A_stateful_multi_step_forecast_starts_from_the_state_training_ended_with()
    {
        int origin = Shampoo.Length - 6;
        // Without the per-epoch reset the model's own state is the trained state, so a horizon-1 forecast from the
        // end of training is exactly the seed's first walk-forward step.
        var carry = new ForecastOptions { Epochs = 30, ResetEachEpoch = false };
        LstmForecaster a = LstmForecaster.Fit(new ForecastData(Shampoo, 1, carry), 0, origin, 1, new List<string>());
        double forecast = a.Forecast(origin, 1)[0][0];
        Assert.Equal(a.Walk([origin])[0][0], forecast);

        // With the reset after each epoch, the trained state is the one before the last reset: it differs from a
        // state rebuilt from zero over the history with the final weights (the old behaviour, without a trained state) ...
        var reset = new ForecastOptions { Epochs = 30 };
        LstmForecaster b = LstmForecaster.Fit(new ForecastData(Shampoo, 1, reset), 0, origin, 1, new List<string>());
        double[] carried = b.Forecast(origin, 6)[0];
        IReadOnlyList<LstmLab.Numerics.Tensor> trained = b.TrainedState!;
        b.TrainedState = null;
        double[] rebuilt = b.Forecast(origin, 6)[0];
        Assert.NotEqual(carried, rebuilt);
        b.TrainedState = trained;
        Assert.Equal(carried, b.Forecast(origin, 6)[0]);   // forecasting leaves the trained state as it was

        // ... except with seed_state, where the trained state is that rebuilt state, bit for bit.
        LstmForecaster c = LstmForecaster.Fit(new ForecastData(Shampoo, 1, reset with { SeedState = true }), 0, origin, 1, new List<string>());
        double[] seeded = c.Forecast(origin, 6)[0];
        c.TrainedState = null;
        Assert.Equal(seeded, c.Forecast(origin, 6)[0]);
    }

    [Fact]
    public void The_backtest_names_the_network_by_its_cell()
    {
        var o = new ForecastOptions { Cell = "gru", Epochs = 3, Horizon = 3, Windows = 1 };
        BacktestResult r = Backtest.Run(Shampoo, 1, o, parallel: 1);
        Assert.Equal("gru", r.Model);
        Assert.Equal(["gru", "naive", "seasonal_naive", "drift", "mean"], r.Models);
        Assert.StartsWith("gru ", BacktestReport.Table(r).Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("gru", ((Dictionary<string, Dictionary<string, double?>>)BacktestReport.Json(r)["models"]!).Keys);
        Assert.Equal("lstm", Backtest.Run(Shampoo, 1, o with { Cell = "lstm" }, parallel: 1).Model);
    }
}
