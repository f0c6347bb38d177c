using System.CommandLine;
using LstmLab.Experiments.LongLag;

namespace LstmLab.Cli;

/// <summary>
/// <c>--lr-decay-steps N --lr-decay-rate R [--lr-staircase]</c>: Keras's ExponentialDecay of the learning rate,
/// lr = initial · R^(updates / N) (exponent floored with <c>--lr-staircase</c>), read into a <see cref="LearningRateDecay"/>.
/// </summary>
internal sealed class LearningRateDecayOptions
{
    private readonly Option<long?> _steps = new("--lr-decay-steps")
    {
        Description = "Keras ExponentialDecay decay_steps: the learning rate is multiplied by --lr-decay-rate every N updates, lr = initial * rate^(updates / N) (default: no decay).",
    };

    private readonly Option<double?> _rate = new("--lr-decay-rate") { Description = "Keras ExponentialDecay decay_rate, in (0, 1); needs --lr-decay-steps." };

    private readonly Option<bool> _staircase = new("--lr-staircase") { Description = "Keras staircase=True: floor updates / N, so the rate drops in steps every N updates." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_steps);
        command.Options.Add(_rate);
        command.Options.Add(_staircase);
    }

    /// <summary>The decay given, or null for none; throws <see cref="ArgumentException"/> naming the option when they are invalid or incomplete.</summary>
    public LearningRateDecay? Read(ParseResult parse)
    {
        long? steps = parse.GetValue(_steps);
        double? rate = parse.GetValue(_rate);
        bool staircase = parse.GetValue(_staircase);
        if (steps is null && rate is null)
        {
            if (staircase)
                throw new ArgumentException("--lr-staircase needs --lr-decay-steps and --lr-decay-rate.");
            return null;
        }
        if (steps is null || rate is null)
            throw new ArgumentException("--lr-decay-steps and --lr-decay-rate go together: give both or neither.");
        var decay = new LearningRateDecay(steps.Value, rate.Value, staircase);
        decay.Validate();
        return decay;
    }
}
