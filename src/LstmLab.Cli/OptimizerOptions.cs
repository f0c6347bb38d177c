using System.CommandLine;
using LstmLab.Training;

namespace LstmLab.Cli;

/// <summary>
/// <c>--optimizer</c>, <c>--learning-rate</c>, <c>--clipnorm</c>, <c>--clipvalue</c>, <c>--global-clipnorm</c>:
/// the optimizer options every training command shares, with Keras's names, read into an <see cref="OptimizerSettings"/>.
/// </summary>
internal sealed class OptimizerOptions
{
    private readonly Option<string> _name = new("--optimizer")
    {
        Description = "adam (default), sgd, rmsprop or adagrad, as Keras (rmsprop: rho 0.9, epsilon 1e-7; adagrad: initial accumulator 0.1, epsilon 1e-7).",
        DefaultValueFactory = _ => "adam",
    };

    private readonly Option<double?> _learningRate;

    private readonly Option<double?> _clipNorm = new("--clipnorm") { Description = "Keras clipnorm: rescale each weight's gradient to an L2 norm of at most this." };

    private readonly Option<double?> _clipValue = new("--clipvalue") { Description = "Keras clipvalue: clip every gradient element to [-c, c]." };

    private readonly Option<double?> _globalClipNorm = new("--global-clipnorm") { Description = "Keras global_clipnorm: rescale all gradients together to a joint L2 norm of at most this." };

    /// <param name="defaults">What the command uses when neither a learning rate nor a clipping is given (for the help text).</param>
    public OptimizerOptions(string defaults = "Keras's: 0.001, sgd 0.01; no clipping")
    {
        _learningRate = new("--learning-rate") { Description = $"The optimizer's learning rate (default: {defaults})." };
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_name, _learningRate, _clipNorm, _clipValue, _globalClipNorm];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in All)
            command.Options.Add(option);
    }

    /// <summary>The settings given; throws <see cref="ArgumentException"/> naming the option when one is invalid.</summary>
    public OptimizerSettings Read(ParseResult parse)
    {
        var settings = new OptimizerSettings(parse.GetValue(_name) ?? "adam", parse.GetValue(_learningRate), parse.GetValue(_clipNorm), parse.GetValue(_clipValue), parse.GetValue(_globalClipNorm));
        Check("--learning-rate", settings.LearningRate);
        Check("--clipnorm", settings.ClipNorm);
        Check("--clipvalue", settings.ClipValue);
        Check("--global-clipnorm", settings.GlobalClipNorm);
        if (new[] { settings.ClipNorm, settings.ClipValue, settings.GlobalClipNorm }.Count(c => c is not null) > 1)
            throw new ArgumentException("Only one of --clipnorm, --clipvalue and --global-clipnorm can be given (as in Keras).");
        if (!OptimizerSettings.Names.Contains(settings.Name.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown --optimizer '{settings.Name}': expected one of {string.Join(", ", OptimizerSettings.Names)}.");
        return settings;
    }

    private static void Check(string option, double? value)
    {
        if (value is double v && (!(v > 0) || double.IsInfinity(v)))
            throw new ArgumentException(FormattableString.Invariant($"{option} must be a positive number (got {v})."));
    }
}
