using System.Globalization;

namespace LstmLab.Numerics;

/// <summary>
/// Refuses, before allocating, a size that cannot fit in the memory this process may use (the
/// machine's memory or the container's limit, as the garbage collector sees it), so that an absurd
/// size gives a message with the size asked for instead of an out-of-memory crash partway through.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The bytes this process may use in all (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>).</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws when <paramref name="bytes"/> are more than this process may use.</summary>
    /// <param name="what">What needs the memory, for the message ("Weight 'kernel' of shape (4, 8)").</param>
    /// <exception cref="InsufficientMemoryException"><paramref name="bytes"/> exceed <see cref="AvailableBytes"/>.</exception>
    public static void Require(long bytes, string what)
    {
        long available = AvailableBytes;
        if (available > 0 && bytes > available)
            throw new InsufficientMemoryException($"{what} would need {Format(bytes)}, more than the {Format(available)} this process may use");
    }

    /// <summary>A byte count in words: "512 MB", "25.6 GB".</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:0.#} TB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
    };
}
