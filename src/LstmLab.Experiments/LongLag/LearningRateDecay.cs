using LstmLab.Training;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Keras's <c>ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)</c> for the long-lag
/// and memory runs: before each training call the optimizer's rate is set to
/// lr = initial · rate^(step / steps), with step the optimizer's updates so far and the exponent floored when
/// <see cref="Staircase"/> (step decay: the rate times <see cref="Rate"/> every <see cref="Steps"/> updates).
/// The initial rate is the optimizer's own. Formula: keras/src/optimizers/schedules/learning_rate_schedule.py
/// (Keras 3.6, class ExponentialDecay); the engine's <see cref="ExponentialDecay"/> computes it.
/// </summary>
/// <param name="Steps">decay_steps: updates per factor <see cref="Rate"/>; at least 1.</param>
/// <param name="Rate">decay_rate, in (0, 1).</param>
/// <param name="Staircase">Floor step / steps (a step every <see cref="Steps"/> updates) instead of a smooth decay.</param>
public sealed record LearningRateDecay(long Steps, double Rate, bool Staircase = false)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the CLI option.</summary>
    public void Validate()
    {
        if (Steps < 1 || Steps > int.MaxValue)
            throw new ArgumentException(FormattableString.Invariant($"--lr-decay-steps must be a whole number from 1 to {int.MaxValue} (got {Steps})."));
        if (!(Rate > 0 && Rate < 1))
            throw new ArgumentException(FormattableString.Invariant($"--lr-decay-rate must be a number between 0 and 1, both excluded (got {Rate})."));
    }

    /// <summary>The schedule from <paramref name="initialLearningRate"/> (the optimizer's rate before any update).</summary>
    public ExponentialDecay Schedule(double initialLearningRate) => new(initialLearningRate, (int)Steps, Rate, Staircase);

    /// <summary>A short description, e.g. <c>exponential decay 0.5 every 1000 updates (staircase)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"exponential decay {Rate:G6} per {Steps:N0} updates{(Staircase ? " (staircase)" : "")}");
}
