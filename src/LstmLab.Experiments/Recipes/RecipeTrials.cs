namespace LstmLab.Experiments.Recipes;

/// <summary>Runs one recipe under several seeds at once.</summary>
public static class RecipeTrials
{
    /// <summary>
    /// Runs <paramref name="run"/>(i) for i = 0 .. <paramref name="trials"/>-1, at most <paramref name="parallel"/>
    /// at a time (Parallel.For), and returns the results in index order. Each trial derives everything random
    /// from its own seed, so the results do not depend on the number of threads or their timing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="trials"/> or <paramref name="parallel"/> is below 1.</exception>
    public static T[] Run<T>(int trials, int parallel, Func<int, T> run, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (trials < 1)
            throw new ArgumentException($"Trials must be at least 1 (got {trials}).", nameof(trials));
        if (parallel < 1)
            throw new ArgumentException($"Parallel must be at least 1 (got {parallel}).", nameof(parallel));
        var results = new T[trials];
        Parallel.For(0, trials, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel }, i =>
        {
            // Trials side by side take one core each, as repeats do (Harness/RepeatRunner).
            using LstmLab.Numerics.EngineThreads.Scope threads = LstmLab.Numerics.EngineThreads.UseDefault(parallel > 1 ? 1 : null);
            results[i] = run(i);
        });
        return results;
    }
}
