using System.Diagnostics;
using LstmLab.Data;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// Walk-forward (rolling) one-step forecasting of a univariate series, as seed tutorial 001 does it:
/// difference (lag 1) to remove the trend, frame as supervised learning with <c>Lag</c> lagged
/// differences as inputs, hold out the last <c>Test</c> rows, fit a MinMax scaler to [-1, 1] on the
/// training rows only, train an LSTM, then for each test step: predict, invert the scaling, invert the
/// differencing, and compare with the observation, which becomes history for the next step.
/// </summary>
public static class WalkForward
{
    /// <summary>The observations a forecast of <paramref name="test"/> steps with <paramref name="lag"/> lags needs at least.</summary>
    public static int MinimumLength(int test, int lag) => test + lag + 2;

    /// <summary>The persistence (naive) forecast: each test step is predicted by the previous observation.</summary>
    public static ForecastResult Persistence(TimeSeries series, int test)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (test < 1)
            throw new ArgumentException($"--test must be at least 1 (got {test}).");
        series.RequireLength(test + 1, $"A persistence forecast of {test} steps");
        var clock = Stopwatch.StartNew();
        double[] raw = series.Values;
        int first = raw.Length - test;
        double[] predicted = raw[(first - 1)..^1];
        double[] expected = raw[first..];
        return new ForecastResult(Labels(series, first, test), predicted, expected, clock.Elapsed.TotalSeconds, null);
    }

    /// <summary>Trains an LSTM as <paramref name="options"/> say and forecasts the last <c>Test</c> steps.</summary>
    /// <param name="onEpoch">Called after each training epoch.</param>
    /// <exception cref="ArgumentException">An option is invalid or does not fit the series.</exception>
    /// <exception cref="DataFormatException">The series is too short for the framing.</exception>
    public static ForecastResult Run(TimeSeries series, ForecastOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        series.RequireLength(MinimumLength(options.Test, options.Lag),
            $"Lag-1 differencing, lag-{options.Lag} framing and a {options.Test}-step test set (plus at least one training row)");
        var clock = Stopwatch.StartNew();

        // Data preparation: difference, frame, split, scale (fitted on the training rows only).
        double[] raw = series.Values;
        double[] diff = Differencing.Difference(raw, 1);
        double[][] rows = Supervised.Frame(diff, options.Lag);
        (double[][] train, double[][] test) = TrainTestSplit.LastRows(rows, options.Test);
        if (options.TrainRows is int keep)
        {
            if (keep > train.Length)
                throw new ArgumentException($"--train-rows {keep} is more than the {train.Length} training rows available.");
            train = train[^keep..];
        }
        if (options.Stateful && train.Length % options.BatchSize != 0)
        {
            throw new ArgumentException($"A stateful model trains in batches of exactly {options.BatchSize}, which does not divide the {train.Length} training rows; " +
                $"choose a batch size that divides {train.Length} or set --train-rows to a multiple of {options.BatchSize}.");
        }
        var scaler = new MinMaxScaler(-1, 1).Fit(train);
        double[][] trainScaled = scaler.Transform(train);
        double[][] testScaled = scaler.Transform(test);
        (double[][] trainX, double[][] trainY) = Supervised.SplitColumns(trainScaled, options.Lag);
        Tensor x = Supervised.ToSequenceTensor(trainX, 1, options.Lag);
        Tensor y = Supervised.ToMatrixTensor(trainY);

        // Model: LSTM(neurons) → Dense(1), MSE, Adam.
        var model = new Sequential(SampleShape.Sequence(1, options.Lag), options.Stateful ? options.BatchSize : null, options.Seed);
        model.Add(new Lstm(options.Neurons, stateful: options.Stateful, recurrentActivation: options.RecurrentActivation));
        model.Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Adam(epsilon: options.AdamEpsilon));

        double? finalLoss = Train(model, x, y, options, onEpoch, cancel);

        // Forecast: one step at a time at batch size 1, else all test rows in one call (their inputs are
        // observed lags, so this is the same walk forward).
        if (options.SeedState)
        {
            foreach (double[] row in trainScaled)
                PredictOne(model, row.AsSpan(0, options.Lag), options);
        }
        int count = test.Length, firstIndex = raw.Length - count;
        var predicted = new double[count];
        var expected = new double[count];
        double[] scaledForecasts = options.BatchSize == 1
            ? testScaled.Select(row => PredictOne(model, row.AsSpan(0, options.Lag), options)).ToArray()
            : PredictAll(model, testScaled, options);
        for (int i = 0; i < count; i++)
        {
            double[] row = testScaled[i];
            double yhat = scaler.InvertForecast(row.AsSpan(0, options.Lag), scaledForecasts[i]);
            predicted[i] = Differencing.InvertDifference(raw.AsSpan(0, firstIndex + i), yhat, 1);
            expected[i] = raw[firstIndex + i];
        }
        return new ForecastResult(Labels(series, firstIndex, count), predicted, expected, clock.Elapsed.TotalSeconds, finalLoss);
    }

    private static double? Train(Sequential model, Tensor x, Tensor y, ForecastOptions options, Action<EpochResult>? onEpoch, CancellationToken cancel)
    {
        double? last = null;
        if (!options.Stateful)
        {
            // Keras: one fit call over all epochs; the state starts from zero every batch.
            History h = model.Fit(x, y, options.Epochs, options.BatchSize, options.Shuffle, verbose: 0, onEpochEnd: e =>
            {
                cancel.ThrowIfCancellationRequested();
                onEpoch?.Invoke(e);
            });
            return h.Loss.Count > 0 ? h.Loss[^1] : null;
        }
        // Stateful: fit one epoch at a time so the state can be reset between epochs (the tutorial's loop).
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            History h = model.Fit(x, y, epochs: 1, batchSize: options.BatchSize, shuffle: options.Shuffle, verbose: 0);
            if (options.ResetEachEpoch)
                model.ResetStates();
            last = h.Loss[0];
            onEpoch?.Invoke(new EpochResult(epoch, options.Epochs, h.Loss[0], null));
        }
        return last;
    }

    private static double PredictOne(Sequential model, ReadOnlySpan<double> inputs, ForecastOptions options)
    {
        var x = new Tensor(1, 1, inputs.Length);
        for (int j = 0; j < inputs.Length; j++)
            x[0, 0, j] = (float)inputs[j];
        double yhat = model.Predict(x, batchSize: 1)[0, 0];
        if (options.Stateful && options.ResetEachPrediction)
            model.ResetStates();
        return yhat;
    }

    private static double[] PredictAll(Sequential model, double[][] rows, ForecastOptions options)
    {
        Tensor x = Supervised.ToSequenceTensor(rows.Select(r => r[..options.Lag]).ToArray(), 1, options.Lag);
        Tensor p = model.Predict(x, options.BatchSize);
        var result = new double[rows.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = p[i, 0];
        return result;
    }

    private static string[] Labels(TimeSeries series, int first, int count) =>
        Enumerable.Range(first, count).Select(series.LabelAt).ToArray();
}
