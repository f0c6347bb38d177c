using System.Globalization;
using System.Text;
using LstmLab.Data;
using LstmLab.Numerics;
using LstmLab.Training;

namespace LstmLab.Experiments.Forecasting;

/// <summary>
/// The one schema of the forecasting settings: every <see cref="ForecastOptions"/> property and every
/// <see cref="DataSource"/> property, with its experiment-file key, command-line flag, kind, default,
/// valid range and help. <c>lstmlab forecast|backtest</c> build their options from it, experiment files
/// read their keys through it, <see cref="ForecastOptions.Validate"/> checks ranges with it, and the
/// README's option list is <see cref="Markdown"/>. A new setting is one more row here (and its property).
/// </summary>
public static class ForecastSettings
{
    private static readonly string[] Forecast = ["forecast"];
    private static readonly string[] Backtest = ["backtest"];

    /// <summary>The model, training and evaluation settings.</summary>
    public static IReadOnlyList<Setting<ForecastOptions>> All { get; } =
    [
        Int("Test", "test", "Final observations forecast one step at a time by `forecast` without --horizon (the seed's protocol).", 12, 1, o => o.Test, (o, v) => o with { Test = (int)v! }, Forecast),
        Int("Horizon", "horizon", "Steps forecast from each origin; for `forecast`, the future steps after the last observation.", 1, 1, o => o.Horizon, (o, v) => o with { Horizon = (int)v! }),
        Choice("Strategy", "strategy", "Multi-step forecasts: recursive (a one-step model fed its own forecasts) or direct (one model with horizon outputs).", ["recursive", "direct"],
            o => o.Strategy.ToString().ToLowerInvariant(), (o, v) => o with { Strategy = Enum.Parse<ForecastStrategy>((string)v!, ignoreCase: true) }),
        Int("Lag", "lag", "Lagged (differenced, scaled) steps of every input column given to the model.", 1, 1, o => o.Lag, (o, v) => o with { Lag = (int)v! }),
        new Setting<ForecastOptions>("Difference", "difference", SettingKind.PerColumn, "Differencing interval: 0 none, 1 the trend (the seed's), m a season; for all columns or column=N pairs.",
            o => o.Difference, (o, v) => o with { Difference = (PerColumn)v! }) { Default = "1", Min = 0 },
        new Setting<ForecastOptions>("Scale", "scale", SettingKind.PerColumn, "Scaling, fitted on the training rows only: minmax (to [-1, 1], the seed's) or none; for all columns or column=NAME pairs.",
            o => o.Scale, (o, v) => o with { Scale = (PerColumn)v! }) { Default = "minmax", Choices = ["minmax", "none"] },
        Int("Neurons", "neurons", "Units of each recurrent layer.", 1, 1, o => o.Neurons, (o, v) => o with { Neurons = (int)v! }),
        Choice("Cell", "cell", "The recurrent layer: lstm (the seed's) or gru (Keras 3's GRU, reset_after).", ["lstm", "gru"],
            o => o.Cell, (o, v) => o with { Cell = (string)v! }),
        new Setting<ForecastOptions>("Dropout", "dropout", SettingKind.Number, "The recurrent layer's input dropout in training (Keras dropout), below 1.", o => o.Dropout, (o, v) => o with { Dropout = (double)v! })
        { Default = "0", Min = 0 },
        new Setting<ForecastOptions>("RecurrentDropout", "recurrent_dropout", SettingKind.Number, "The recurrent layer's dropout of h(t-1) in the recurrent product (Keras recurrent_dropout), below 1.", o => o.RecurrentDropout, (o, v) => o with { RecurrentDropout = (double)v! })
        { Default = "0", Min = 0 },
        Int("Layers", "layers", "Stacked recurrent layers (all but the last return sequences).", 1, 1, o => o.Layers, (o, v) => o with { Layers = (int)v! }),
        new Setting<ForecastOptions>("Bidirectional", "bidirectional", SettingKind.Flag, "Wrap each recurrent layer in Bidirectional (merge mode concat).", o => o.Bidirectional, (o, v) => o with { Bidirectional = (bool)v! })
        { Default = "false" },
        Int("Epochs", "epochs", "Training epochs.", 1000, 0, o => o.Epochs, (o, v) => o with { Epochs = (int)v! }),
        Int("BatchSize", "batch_size", "Batch size for training and forecasting.", 1, 1, o => o.BatchSize, (o, v) => o with { BatchSize = (int)v! }),
        OptionalInt("TrainRows", "train_rows", "Train on the last N training rows only (the seed's batch-12 experiment uses 12).", o => o.TrainRows, (o, v) => o with { TrainRows = (int?)v }),
        Flag("Stateful", "stateful", "Stateful LSTM, state carried across batches (the seed's); --stateless resets it every batch.", true, o => o.Stateful, (o, v) => o with { Stateful = (bool)v! }, "stateless", "Stateless LSTM: the state starts from zero every batch."),
        Flag("Shuffle", "shuffle", "Shuffle the training samples each epoch.", false, o => o.Shuffle, (o, v) => o with { Shuffle = (bool)v! }),
        Flag("ResetEachEpoch", "reset_each_epoch", "Stateful: reset the state after each training epoch.", true, o => o.ResetEachEpoch, (o, v) => o with { ResetEachEpoch = (bool)v! }, "no_reset_each_epoch", "Stateful: never reset the state during training."),
        Flag("ResetEachPrediction", "reset_each_prediction", "Stateful: reset the state after each one-step forecast.", false, o => o.ResetEachPrediction, (o, v) => o with { ResetEachPrediction = (bool)v! }),
        Flag("SeedState", "seed_state", "Stateful: predict over the training rows first, to build up state.", false, o => o.SeedState, (o, v) => o with { SeedState = (bool)v! }),
        new Setting<ForecastOptions>("Seed", "seed", SettingKind.Integer, "Random seed of the weights and shuffles (a backtest's later fits derive theirs from it).", o => o.Seed, (o, v) => o with { Seed = (long)v! })
        { Default = "1", Long = true },
        Choice("RecurrentActivation", "recurrent_activation", "Gate activation: sigmoid (Keras >= 2.3), hard_sigmoid_keras2 (Keras 2.0, the tutorials') or hard_sigmoid_keras3.",
            ["sigmoid", "hard_sigmoid_keras2", "hard_sigmoid_keras3"], o => Name(o.RecurrentActivation), (o, v) => o with { RecurrentActivation = Activations.ParseRecurrent((string)v!) }),
        new Setting<ForecastOptions>("AdamEpsilon", "adam_epsilon", SettingKind.Number, "Adam's epsilon (Keras 2.0 used 1e-8).", o => o.AdamEpsilon, (o, v) => o with { AdamEpsilon = (double)v! })
        { Default = "1e-07", Min = 0 },
        Choice("Optimizer", "optimizer", "The optimizer, with Keras's defaults (adam: the seed's; sgd learning rate 0.01; rmsprop rho 0.9; adagrad initial accumulator 0.1).",
            [.. OptimizerSettings.Names], o => o.Optimizer, (o, v) => o with { Optimizer = (string)v! }),
        OptionalNumber("LearningRate", "learning_rate", "The optimizer's learning rate (default: Keras's, 0.001; sgd 0.01).", o => o.LearningRate, (o, v) => o with { LearningRate = (double?)v }),
        OptionalNumber("ClipNorm", "clipnorm", "Keras clipnorm: rescale each weight's gradient to an L2 norm of at most this (one clipping at most).", o => o.ClipNorm, (o, v) => o with { ClipNorm = (double?)v }),
        OptionalNumber("ClipValue", "clipvalue", "Keras clipvalue: clip every gradient element to [-c, c] (one clipping at most).", o => o.ClipValue, (o, v) => o with { ClipValue = (double?)v }),
        OptionalNumber("GlobalClipNorm", "global_clipnorm", "Keras global_clipnorm: rescale all gradients together to a joint L2 norm of at most this (one clipping at most).", o => o.GlobalClipNorm, (o, v) => o with { GlobalClipNorm = (double?)v }),
        Choice("Loss", "loss", "The training loss, on the scaled values (Keras names; huber with delta 1).", ["mean_squared_error", "mean_absolute_error", "huber"],
            o => o.Loss, (o, v) => o with { Loss = (string)v! }),
        new Setting<ForecastOptions>("ValidationSplit", "validation_split", SettingKind.Number, "Hold out this last fraction of each fit's training rows (Keras validation_split, before any shuffling) and report val_loss.",
            o => o.ValidationSplit, (o, v) => o with { ValidationSplit = (double)v! }) { Default = "0", Min = 0, Max = 1 },
        OptionalInt("EarlyStopping", "early_stopping", "Stop when val_loss has not improved for this many epochs and restore the best epoch's weights (Keras EarlyStopping, restore_best_weights); needs --validation-split.",
            o => o.EarlyStopping, (o, v) => o with { EarlyStopping = (int?)v }, min: 0),
        OptionalInt("Threads", "threads", "Threads for one model's products and element-wise work (default: all cores for one model, one each when models train side by side); results are bit-identical whatever the count.",
            o => o.Threads, (o, v) => o with { Threads = (int?)v }),
        OptionalInt("Season", "season", "Season length m: the seasonal naive baseline and MASE's scale (default: none, m = 1).", o => o.Season, (o, v) => o with { Season = (int?)v }),
        OptionalInt("Windows", "windows", "Backtest forecast origins, the last ending at the series' end (backtest default 1; with `forecast`, a backtest before the future forecast).", o => o.Windows, (o, v) => o with { Windows = (int?)v }),
        OptionalInt("Stride", "stride", "Steps between backtest origins (default: the horizon).", o => o.Stride, (o, v) => o with { Stride = (int?)v }),
        new Setting<ForecastOptions>("Expanding", "expanding", SettingKind.Flag, "Train on every observation before each origin (the default, said explicitly); refused with --sliding.",
            o => o.Expanding, (o, v) => o with { Expanding = (bool)v! }) { Default = "false", Commands = Backtest },
        OptionalInt("Sliding", "sliding", "Train on the last W observations before each origin (default: all of them, an expanding window).", o => o.Sliding, (o, v) => o with { Sliding = (int?)v }, Backtest),
        Int("LossEvery", "loss_every", "Experiment files: record the training loss in the results store every N epochs and at the last (default 1: every epoch); results do not depend on it.",
            1, 1, o => o.LossEvery, (o, v) => o with { LossEvery = (int)v! }, []),
        Int("Refit", "refit", "Retrain every K backtest origins; 0 trains once, at the first origin (the seed's protocol).", 1, 0, o => o.Refit, (o, v) => o with { Refit = (int)v! }, Backtest),
    ];

    /// <summary>Where the series comes from and how it is read.</summary>
    public static IReadOnlyList<Setting<DataSource>> Data { get; } =
    [
        Text("Data", "data", "'shampoo', 'airpassengers', 'seattle-weather', 'treasury-10y' (shipped) or a CSV file.", "shampoo", d => d.Data, (d, v) => d with { Data = (string)v! }),
        Text("Column", "column", "The value column: a header name or a 0-based index (default: the last column).", "", d => d.Column, (d, v) => d with { Column = (string?)v }),
        Text("DateColumn", "date_column", "The date or label column: a header name or a 0-based index (optional).", "", d => d.DateColumn, (d, v) => d with { DateColumn = (string?)v }),
        new Setting<DataSource>("NoHeader", "no_header", SettingKind.Flag, "The CSV file has no header row.", d => d.NoHeader, (d, v) => d with { NoHeader = (bool)v! }) { Default = "false" },
        new Setting<DataSource>("Columns", "columns", SettingKind.List, "Input columns (covariates), comma-separated; the targets are added.", d => d.Columns, (d, v) => d with { Columns = (string[]?)v }),
        new Setting<DataSource>("Target", "target", SettingKind.List, "The column(s) to forecast, comma-separated (default: --column).", d => d.Target, (d, v) => d with { Target = (string[]?)v }),
        new Setting<DataSource>("Delimiter", "delimiter", SettingKind.Text, "The field separator: one character, or 'semicolon', 'tab'.", d => d.Delimiter.ToString(), (d, v) => d with { Delimiter = Delimiter((string)v!) }) { Default = "," },
        new Setting<DataSource>("DecimalComma", "decimal_comma", SettingKind.Flag, "Numbers use a decimal comma (1,5); needs another delimiter.", d => d.DecimalComma, (d, v) => d with { DecimalComma = (bool)v! }) { Default = "false" },
        new Setting<DataSource>("AllowUnsorted", "allow_unsorted", SettingKind.Flag, "Keep the file's order even if dates repeat or go back (else an error naming the lines).", d => d.AllowUnsorted, (d, v) => d with { AllowUnsorted = (bool)v! }) { Default = "false" },
    ];

    /// <summary>The row named <paramref name="name"/> in either table, or null.</summary>
    public static Setting? Find(string name) =>
        (Setting?)All.FirstOrDefault(s => s.Name == name) ?? Data.FirstOrDefault(s => s.Name == name);

    /// <summary>The command-line flag of a setting named in a <see cref="SettingException"/>.</summary>
    public static string FlagOf(string name) => Find(name) switch
    {
        Setting { Kind: SettingKind.Flag, Negation: string neg } => "--" + neg.Replace('_', '-'),
        Setting s => s.Flag,
        _ => name,
    };

    /// <summary>The experiment-file key of a setting named in a <see cref="SettingException"/>.</summary>
    public static string KeyOf(string name) => Find(name) is Setting s ? s.Key : name;

    /// <summary>The README's option list: a Markdown table of every row offered by <paramref name="command"/>.</summary>
    public static string Markdown(string command)
    {
        var sb = new StringBuilder();
        sb.Append("| option | experiment key | default | valid | what |\n| --- | --- | --- | --- | --- |\n");
        foreach (Setting s in Data.Cast<Setting>().Concat(All).Where(s => s.Commands.Contains(command)))
        {
            string flag = s.Negation is string neg ? $"`--{neg.Replace('_', '-')}`" : $"`{s.Flag}`";
            string key = s.Negation is string n ? $"`{s.Key}` / `{n}`" : $"`{s.Key}`";
            sb.Append(CultureInfo.InvariantCulture, $"| {flag} | {key} | {(s.Default.Length == 0 ? "—" : "`" + s.Default + "`")} | {s.Range} | {s.Help.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        return sb.ToString();
    }

    private static char Delimiter(string text) => text.ToLowerInvariant() switch
    {
        "semicolon" or ";" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "comma" or "," => ',',
        { Length: 1 } t when t[0] is not '"' and not '\n' and not '\r' => t[0],
        _ => throw new SettingException($"{{0}} expects one character, 'semicolon' or 'tab'; got '{text}'.", "Delimiter"),
    };

    private static string Name(RecurrentActivation a) => a switch
    {
        RecurrentActivation.HardSigmoidKeras2 => "hard_sigmoid_keras2",
        RecurrentActivation.HardSigmoidKeras3 => "hard_sigmoid_keras3",
        _ => "sigmoid",
    };

    private static Setting<ForecastOptions> Int(string name, string key, string help, int def, int min, Func<ForecastOptions, object?> get, Func<ForecastOptions, object?, ForecastOptions> set, string[]? commands = null) =>
        new(name, key, SettingKind.Integer, help, get, set) { Default = def.ToString(CultureInfo.InvariantCulture), Min = min, Commands = commands ?? ["forecast", "backtest"] };

    private static Setting<ForecastOptions> OptionalInt(string name, string key, string help, Func<ForecastOptions, object?> get, Func<ForecastOptions, object?, ForecastOptions> set, string[]? commands = null, int min = 1) =>
        new(name, key, SettingKind.Integer, help, get, set) { Min = min, Commands = commands ?? ["forecast", "backtest"] };

    private static Setting<ForecastOptions> OptionalNumber(string name, string key, string help, Func<ForecastOptions, object?> get, Func<ForecastOptions, object?, ForecastOptions> set) =>
        new(name, key, SettingKind.Number, help, get, set) { Positive = true };

    private static Setting<ForecastOptions> Flag(string name, string key, string help, bool def, Func<ForecastOptions, object?> get, Func<ForecastOptions, object?, ForecastOptions> set, string? negation = null, string? negationHelp = null) =>
        new(name, key, SettingKind.Flag, help, get, set) { Default = def ? "true" : "false", Negation = negation, NegationHelp = negationHelp };

    private static Setting<ForecastOptions> Choice(string name, string key, string help, string[] choices, Func<ForecastOptions, object?> get, Func<ForecastOptions, object?, ForecastOptions> set) =>
        new(name, key, SettingKind.Choice, help, get, set) { Default = choices[0], Choices = choices };

    private static Setting<DataSource> Text(string name, string key, string help, string def, Func<DataSource, object?> get, Func<DataSource, object?, DataSource> set) =>
        new(name, key, SettingKind.Text, help, get, set) { Default = def };
}
