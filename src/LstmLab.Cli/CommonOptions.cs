using System.CommandLine;

namespace LstmLab.Cli;

/// <summary>The options several commands share, defined once so their names, defaults and help agree.</summary>
internal static class CommonOptions
{
    /// <summary><c>--recurrent-activation</c>: the LSTM's gate activation.</summary>
    public static Option<string> RecurrentActivation() => new("--recurrent-activation")
    {
        Description = "Gate activation: sigmoid (Keras >= 2.3), hard_sigmoid_keras2 (Keras 2.0, the tutorials') or hard_sigmoid_keras3.",
        DefaultValueFactory = _ => "sigmoid",
    };

    /// <summary><c>--seed</c>, default 1.</summary>
    public static Option<long> Seed(string description) => new("--seed") { Description = description, DefaultValueFactory = _ => 1 };

    /// <summary><c>--trials N</c>: run N seeds and report the success rate with a Wilson interval.</summary>
    public static Option<int> Trials(string description) => new("--trials") { Description = description, DefaultValueFactory = _ => 1 };

    /// <summary><c>--parallel N</c>, default all cores.</summary>
    public static Option<int> Parallel(string what) => new("--parallel") { Description = $"{what} run at once (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary><c>--json</c>: the last line of standard output is one JSON object.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Make the last line of standard output one JSON object with the results." };
}
