namespace LstmLab.Experiments.Reproduce;

/// <summary>A pandas describe() column as a tutorial printed it: count, mean, std, min, 25%, 50%, 75%, max.</summary>
public sealed record TutorialColumn(string Name, double[] Describe)
{
    /// <summary>The printed mean.</summary>
    public double Mean => Describe[1];

    /// <summary>The printed standard deviation.</summary>
    public double Std => Describe[2];
}

/// <summary>
/// The figures the three seed tutorials printed, to hold ours against. Provenance: copied by hand from the
/// seed documents in <c>../shared/seeds/</c> (000: "Demonstration of Memory with an LSTM"; 001: "Stateful and
/// Stateless LSTM for Time Series Forecasting", its describe() tables under "Stateful vs Stateless LSTMs" and
/// "Stateful Resetting vs Stateless", and the persistence RMSE under "Data Split"; 002: "How to Learn to Echo
/// Random Integers with LSTMs"). The tutorials ran Keras 2.0 (hard-sigmoid gates, Adam ε 1e-8).
/// </summary>
public static class TutorialFigures
{
    /// <summary>Seed 000 shows one run, which predicts all 8 steps correctly.</summary>
    public const string Memory = "one run shown, all 8 steps right (\"the LSTM correctly learned each sequence\")";

    /// <summary>Seed 000's extension, stated without a run (its "Extensions" list and the paragraph before it).</summary>
    public const string LongSequences = "stated, not run: \"LSTMs are able to demonstrate this same capability across 100s, and even 1000s, of time steps\"";

    /// <summary>
    /// Hochreiter &amp; Schmidhuber (1997), "Long Short-Term Memory", Neural Computation 9(8), Section 5.2 (Experiment 2):
    /// task 2a (noise-free sequences with long time lags, p = 100), LSTM solved 18 of 18 trials.
    /// The same figure as <c>LongLag/Task2a.cs</c>.
    /// </summary>
    public const int PaperLongLagTrials = 18;

    /// <summary>The same experiment: 5,040 training sequences until solved, on average.</summary>
    public const int PaperLongLagSequences = 5040;

    /// <summary>Seed 000 says, without a run, that an MLP cannot learn it.</summary>
    public const string Mlp = "not run; the tutorial states \"a multilayer Perceptron and other non-recurrent neural networks cannot learn\" it";

    /// <summary>Seed 001: the persistence forecast's RMSE on the last 12 months.</summary>
    public const double PersistenceRmse = 136.761;

    /// <summary>Seed 001, "Stateful vs Stateless LSTMs": 10 repeats each.</summary>
    public static IReadOnlyList<TutorialColumn> StatefulVsStateless { get; } =
    [
        new("stateful", [10, 103.142903, 7.109461, 94.052380, 96.765985, 104.376252, 107.753516, 114.958430]),
        new("stateless", [10, 95.661773, 1.924133, 94.097259, 94.290720, 95.098050, 96.092609, 100.334725]),
        new("stateless_shuffle", [10, 96.206332, 2.138610, 93.678941, 94.548002, 95.804411, 97.076086, 99.870445]),
    ];

    /// <summary>Seed 001, "Stateful Resetting vs Stateless": 10 repeats each.</summary>
    public static IReadOnlyList<TutorialColumn> ResetRegimes { get; } =
    [
        new("noseed_1", [10, 103.142903, 7.109461, 94.052380, 96.765985, 104.376252, 107.753516, 114.958430]),
        new("noseed_2", [10, 101.757034, 14.584442, 91.264712, 93.218929, 96.144883, 105.657586, 138.752321]),
        new("noseed_3", [10, 110.441021, 24.539690, 87.262549, 94.610724, 99.483971, 121.586508, 166.527902]),
        new("seed_1", [10, 105.468200, 5.206674, 97.683535, 100.974693, 106.036240, 109.829793, 112.691046]),
        new("seed_2", [10, 100.093551, 4.157095, 95.913385, 96.721924, 98.779770, 103.082791, 108.070145]),
        new("seed_3", [10, 98.766432, 11.573366, 90.005843, 91.203879, 95.079716, 100.500867, 128.261354]),
    ];

    /// <summary>Seed 002's three outcomes, one run each, by variant name.</summary>
    public static IReadOnlyDictionary<string, string> Echo { get; } = new Dictionary<string, string>
    {
        ["current"] = "one run: 25/25 echoed (100%)",
        ["lag-no-context"] = "one run: 0/24 echoed (0%), the beginner's mistake",
        ["lag-context"] = "one run: 20/20 echoed (100%)",
    };
}
