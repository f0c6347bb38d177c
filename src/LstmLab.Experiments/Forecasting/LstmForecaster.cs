using LstmLab.Layers;
using Supervised = LstmLab.Data.Supervised;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// A trained LSTM forecaster: the network, the scaler fitted on its training rows, and the data layout
/// (<see cref="ForecastData"/>). <see cref="Fit"/> trains one at an origin; <see cref="Walk"/> makes the
/// seed's one-step walk-forward forecasts; <see cref="Forecast"/> makes an H-step forecast from an origin.
/// </summary>
public sealed class LstmForecaster
{
    internal LstmForecaster(ForecastData data, Sequential model, FramedScaler scaler, double? finalLoss)
    {
        Data = data;
        Model = model;
        Scaler = scaler;
        FinalLoss = finalLoss;
    }

    /// <summary>The data layout and settings.</summary>
    public ForecastData Data { get; }

    /// <summary>The trained network.</summary>
    public Sequential Model { get; }

    /// <summary>The scaler fitted on the training rows.</summary>
    public FramedScaler Scaler { get; }

    /// <summary>The training loss of the last epoch (scaled units), or null without training.</summary>
    public double? FinalLoss { get; }

    /// <summary>
    /// The network of every forecaster, in one place: <c>Layers</c> recurrent layers (<c>Cell</c>: LSTM or GRU, of
    /// <c>Neurons</c> units each; all but the last return sequences; each wrapped in Bidirectional(concat) when
    /// <c>Bidirectional</c>) on input (1 step, <paramref name="features"/>) → Dense(<paramref name="outputs"/>),
    /// compiled with <c>Loss</c> and <c>Optimizer</c> (Adam with ε = <c>AdamEpsilon</c>, the learning rate and
    /// clipping as set); stateful at <paramref name="batchSize"/> when <c>Stateful</c>. With the defaults this is
    /// the seed's LSTM(1) → Dense(1), MSE, Adam.
    /// </summary>
    public static Sequential BuildModel(ForecastOptions options, int features, int outputs, int batchSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = new Sequential(SampleShape.Sequence(1, features), options.Stateful ? batchSize : null, seed) { Threads = options.Threads };
        for (int i = 0; i < options.Layers; i++)
        {
            bool sequences = i < options.Layers - 1;
            Recurrent layer = options.Cell == "gru"
                ? new Gru(options.Neurons, returnSequences: sequences, stateful: options.Stateful, recurrentActivation: options.RecurrentActivation, dropout: options.Dropout, recurrentDropout: options.RecurrentDropout)
                : new Lstm(options.Neurons, returnSequences: sequences, stateful: options.Stateful, recurrentActivation: options.RecurrentActivation, dropout: options.Dropout, recurrentDropout: options.RecurrentDropout);
            model.Add(options.Bidirectional ? new Bidirectional(layer, MergeMode.Concat) : layer);
        }
        model.Add(new Dense(outputs));
        model.Compile(Loss.Parse(options.Loss), CreateOptimizer(options));
        return model;
    }

    /// <summary>The optimizer the settings name: Keras's defaults, Adam's ε from <c>AdamEpsilon</c>, the learning rate and clipping as set.</summary>
    public static Optimizer CreateOptimizer(ForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Optimizer optimizer = options.Optimizer == "adam"
            ? new Adam(learningRate: options.LearningRate ?? 0.001, epsilon: options.AdamEpsilon)
            : new OptimizerSettings(options.Optimizer, options.LearningRate).Create();
        optimizer.ClipNorm = options.ClipNorm;
        optimizer.ClipValue = options.ClipValue;
        optimizer.GlobalClipNorm = options.GlobalClipNorm;
        return optimizer;
    }

    /// <summary>
    /// Trains on the rows whose inputs start at or after <paramref name="start"/> and whose outputs end
    /// before <paramref name="origin"/> (the last <c>TrainRows</c> of them if set), with the scaler fitted on them.
    /// </summary>
    /// <exception cref="SettingException">Too few rows, or a stateful batch size that does not divide them.</exception>
    public static LstmForecaster Fit(ForecastData data, int start, int origin, long seed, ICollection<string> warnings,
        Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ForecastOptions o = data.Options;
        (int first, int last) = data.TrainingRows(start, origin);
        if (last < first)
            throw new SettingException("The training window before an origin holds no full row: {0}, {1}, {2} and the differencing need more observations before the first origin.", "Lag", "Horizon", "Windows");
        double[][] train = [.. Enumerable.Range(first, last - first + 1).Select(t => data.Row(t, data.Z))];
        if (o.TrainRows is int keep)
        {
            if (keep > train.Length)
                throw new SettingException($"{{0}} {keep} is more than the {train.Length} training rows available.", "TrainRows");
            train = train[^keep..];
        }
        if (o.Stateful && train.Length % o.BatchSize != 0)
        {
            throw new SettingException($"A stateful model trains in batches of exactly {{0}} ({o.BatchSize}), which does not divide the {train.Length} training rows; " +
                $"choose a batch size that divides {train.Length} or set {{1}} to a multiple of {o.BatchSize}.", "BatchSize", "TrainRows");
        }
        if (o.ValidationSplit > 0)
        {
            int kept = (int)Math.Floor(train.Length * (1 - o.ValidationSplit)), held = train.Length - kept;
            if (kept < 1 || held < 1)
                throw new SettingException($"{{0}} {o.ValidationSplit} of the {train.Length} training rows leaves {kept} to train on and {held} to validate; both need at least one.", "ValidationSplit");
            if (o.Stateful && (kept % o.BatchSize != 0 || held % o.BatchSize != 0))
            {
                throw new SettingException($"A stateful model trains and validates in whole batches of {{1}} ({o.BatchSize}), but {{0}} {o.ValidationSplit} splits the {train.Length} training rows into {kept} and {held}; " +
                    "choose a split or batch size that divides both, or a stateless model.", "ValidationSplit", "BatchSize");
            }
        }
        FramedScaler scaler = FramedScaler.Fit(data, train, warnings);
        double[][] scaled = [.. train.Select(r => scaler.Transform(data, r))];
        Tensor x = Supervised.ToSequenceTensor([.. scaled.Select(r => r[..data.Inputs])], 1, data.Inputs);
        Tensor y = Supervised.ToMatrixTensor([.. scaled.Select(r => r[data.Inputs..])]);
        Sequential model = BuildModel(o, data.Inputs, data.Outputs, o.BatchSize, seed);
        (double? loss, IReadOnlyList<Tensor> endState) = Train(model, x, y, o, onEpoch, cancel);
        var fitted = new LstmForecaster(data, model, scaler, loss);
        if (o.SeedState && o.Stateful)
        {
            foreach (double[] row in scaled)
                fitted.PredictOne(model, row.AsSpan(0, data.Inputs));
            endState = model.GetStates();
        }
        if (o.Stateful)
        {
            // The last training row is the last sample of the last batch: its slot's state is the state at the end of the history.
            fitted.TrainedState = [.. endState.Select(LastRow)];
            fitted.TrainedThrough = last;
        }
        return fitted;
    }

    /// <summary>
    /// A stateful forecaster's state at the end of its training history, for one sample (each (1, units); h, then c
    /// for an LSTM, layer by layer): the carried state after the last training epoch, before the per-epoch reset (with
    /// <c>SeedState</c>, after the replay of the training rows). Multi-step forecasts start from it, as a Keras user's
    /// stateful model forecasts from the state its training left. Null for a stateless network.
    /// </summary>
    public IReadOnlyList<Tensor>? TrainedState { get; internal set; }

    /// <summary>The last framed row <see cref="TrainedState"/> has seen (the last training row); -1 when none.</summary>
    public int TrainedThrough { get; internal set; } = -1;

    private static Tensor LastRow(Tensor state)
    {
        int batch = state.Shape[0], units = state.Shape[1];
        return new Tensor(state.Span.Slice((batch - 1) * units, units).ToArray(), 1, units);
    }

    /// <summary>
    /// The seed's one-step walk-forward: every step from the first to the last of <paramref name="origins"/>
    /// is predicted in order from observed inputs (a stateful network carries its state through all of
    /// them); returns the level forecast of each origin, <c>[origin][target]</c>.
    /// </summary>
    public double[][] Walk(IReadOnlyList<int> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        ForecastOptions o = Data.Options;
        int from = origins[0], to = origins[^1];
        int[] steps = o.Stateful ? [.. Enumerable.Range(from, to - from + 1)] : [.. origins];
        double[][] rows = [.. steps.Select(t => Scaler.Transform(Data, Data.Row(t, Data.Z)))];
        double[][] outputs;
        if (o.BatchSize == 1)
        {
            outputs = [.. rows.Select(r => PredictOne(Model, r.AsSpan(0, Data.Inputs)))];
        }
        else
        {
            if (o.Stateful && rows.Length % o.BatchSize != 0)
                throw new SettingException($"A stateful model forecasts in batches of exactly {{0}} ({o.BatchSize}): the {rows.Length} one-step forecasts are not a multiple of it.", "BatchSize");
            Tensor p = Model.Predict(Supervised.ToSequenceTensor([.. rows.Select(r => r[..Data.Inputs])], 1, Data.Inputs), o.BatchSize);
            outputs = [.. Enumerable.Range(0, rows.Length).Select(i => Enumerable.Range(0, Data.Outputs).Select(j => (double)p[i, j]).ToArray())];
        }
        var result = new double[origins.Count][];
        for (int i = 0; i < origins.Count; i++)
        {
            int k = Array.IndexOf(steps, origins[i]);
            result[i] = [.. Data.Targets.Select(c => LevelOf(outputs[k], c, origins[i]))];
        }
        return result;
    }

    /// <summary>
    /// Forecasts <paramref name="horizon"/> steps from <paramref name="origin"/> (observations before it
    /// known); returns <c>[target][h]</c> in the series' units. A stateful network runs on a batch-1 copy of
    /// itself that starts from <see cref="TrainedState"/> (the state at the end of the training history) and walks
    /// it over the observed rows between the training and the origin; without a trained state (a forecaster bound
    /// to other data) the state is built up from zero over every row before the origin.
    /// </summary>
    public double[][] Forecast(int origin, int horizon)
    {
        ForecastOptions o = Data.Options;
        if (o.Strategy == ForecastStrategy.Direct && horizon > o.Horizon)
            throw new SettingException($"A direct forecaster trained for {{0}} {o.Horizon} cannot forecast {horizon} steps.", "Horizon");
        Sequential net = o.Stateful ? Model.WithBatchSize(1) : Model;
        double[][] z = [.. Data.Z.Select(c => Extend(c, origin, horizon))];
        double[][] levels = [.. Data.Frame.Columns.Select(c => Extend(c, origin, horizon))];
        if (o.Stateful)
        {
            int from = Data.FirstRow;
            if (TrainedState is not null && TrainedThrough < origin)
            {
                net.ResetStates(TrainedState);
                from = TrainedThrough + 1;
            }
            for (int t = from; t < origin; t++)
                PredictOne(net, Scaler.Transform(Data, Data.Row(t, z)).AsSpan(0, Data.Inputs));
        }
        int stepsPerCall = o.Strategy == ForecastStrategy.Direct ? horizon : 1;
        for (int h = 0; h < horizon; h += stepsPerCall)
        {
            double[] scaled = Scaler.Transform(Data, Data.Row(origin + h, z));
            double[] output = PredictOne(net, scaled.AsSpan(0, Data.Inputs));
            for (int j = 0; j < Data.Outputs; j++)
            {
                int c = Data.ColumnOf(Data.Inputs + j);
                int t = o.Strategy == ForecastStrategy.Direct ? origin + j / Data.Targets.Length : origin + h;
                if (t >= origin + horizon)
                    continue;
                z[c][t] = Scaler.Invert(Data.Inputs + j, output[j]);
            }
            int end = Math.Min(origin + h + stepsPerCall, origin + horizon);
            for (int t = origin + h; t < end; t++)
            {
                foreach (int c in o.Strategy == ForecastStrategy.Direct ? Data.Targets : Enumerable.Range(0, z.Length))
                    levels[c][t] = Data.Level(c, z[c][t], levels[c], t);
            }
        }
        return [.. Data.Targets.Select(c => levels[c][origin..(origin + horizon)])];
    }

    private double LevelOf(double[] output, int column, int t)
    {
        int j = Data.Options.Strategy == ForecastStrategy.Direct ? Array.IndexOf(Data.Targets, column) : column;
        double zhat = Scaler.Invert(Data.Inputs + j, output[j]);
        return Data.Level(column, zhat, Data.Frame.Columns[column], t);
    }

    private double[] PredictOne(Sequential net, ReadOnlySpan<double> inputs)
    {
        var x = new Tensor(1, 1, inputs.Length);
        for (int j = 0; j < inputs.Length; j++)
            x[0, 0, j] = (float)inputs[j];
        Tensor p = net.Predict(x, batchSize: 1);
        if (Data.Options.Stateful && Data.Options.ResetEachPrediction)
            net.ResetStates();
        var result = new double[Data.Outputs];
        for (int j = 0; j < result.Length; j++)
            result[j] = p[0, j];
        return result;
    }

    private static double[] Extend(double[] values, int origin, int horizon)
    {
        var result = new double[origin + horizon];
        values.AsSpan(0, origin).CopyTo(result);
        result.AsSpan(origin).Fill(double.NaN);
        return result;
    }

    /// <summary>Trains; returns the last epoch's loss and the carried state the training ended with (before any reset).</summary>
    private static (double? Loss, IReadOnlyList<Tensor> EndState) Train(Sequential model, Tensor x, Tensor y, ForecastOptions options, Action<EpochResult>? onEpoch, CancellationToken cancel)
    {
        // Keras EarlyStopping(monitor="val_loss", patience=N, restore_best_weights=True); min_delta 0.
        EarlyStopping? stopper = options.EarlyStopping is int patience ? new EarlyStopping(patience: patience, restoreBestWeights: true) : null;
        if (!options.Stateful)
        {
            // Keras: one fit call over all epochs; the state starts from zero every batch.
            History h = model.Fit(x, y, options.Epochs, options.BatchSize, options.Shuffle, verbose: 0, validationSplit: options.ValidationSplit,
                callbacks: stopper is null ? null : [stopper], onEpochEnd: e =>
                {
                    cancel.ThrowIfCancellationRequested();
                    onEpoch?.Invoke(e);
                });
            return (h.Loss.Count > 0 ? h.Loss[^1] : null, []);
        }
        // Stateful: fit one epoch at a time so the state can be reset between epochs (the tutorial's loop); early stopping is kept across the calls.
        double? last = null;
        IReadOnlyList<Tensor> endState = model.GetStates();
        if (stopper is not null)
        {
            stopper.Model = model;
            stopper.OnTrainBegin();
        }
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            IReadOnlyDictionary<string, double>? logs = null;
            History h = model.Fit(x, y, epochs: 1, batchSize: options.BatchSize, shuffle: options.Shuffle, verbose: 0, validationSplit: options.ValidationSplit,
                onEpochEnd: e => logs = e.Logs);
            endState = model.GetStates();
            if (options.ResetEachEpoch)
                model.ResetStates();
            last = h.Loss[0];
            onEpoch?.Invoke(new EpochResult(epoch, options.Epochs, h.Loss[0], null));
            if (stopper is not null)
            {
                stopper.OnEpochEnd(epoch - 1, logs!);
                if (model.StopTraining)
                    break;
            }
        }
        stopper?.OnTrainEnd();
        return (last, endState);
    }
}
