namespace LstmLab.Numerics;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) that every
/// initializer, shuffle and data generator in LstmLab draws from. The algorithm is ours and
/// fixed, so the same seed gives the same bits on every machine and .NET version.
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public RandomGenerator(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// Derives an independent seed from a parent seed and a label, e.g. (experiment seed,
    /// "layer 0") or (seed, configuration name, repeat index). Stable across runs and platforms.
    /// </summary>
    public static long DeriveSeed(long seed, string label, long index = 0)
    {
        // FNV-1a over the label's UTF-16 code units, then mixed with the seed and index.
        ulong h = 14695981039346656037UL;
        foreach (char ch in label)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        ulong x = unchecked((ulong)seed) ^ (h * 0x9E3779B97F4A7C15UL) ^ (unchecked((ulong)index) * 0xD1B54A32D192ED03UL);
        return unchecked((long)SplitMix64(ref x));
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The generator's whole state (saved in model files so that shuffling resumes where it stopped).</summary>
    internal (ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal) State
    {
        get => (_s0, _s1, _s2, _s3, _spareNormal);
        set => (_s0, _s1, _s2, _s3, _spareNormal) = value;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A double uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>An integer uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift with rejection.
        ulong range = (ulong)maxExclusive;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong m = r * range;
            uint low = (uint)m;
            if (low >= (uint)((0x1_0000_0000UL - range) % range))
                return (int)(m >> 32);
        }
    }

    /// <summary>An integer uniform in [<paramref name="minInclusive"/>, <paramref name="maxInclusive"/>], like Python's randint.</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive), $"maxInclusive ({maxInclusive}) is below minInclusive ({minInclusive}).");
        return minInclusive + NextInt(maxInclusive - minInclusive + 1);
    }

    /// <summary>A standard normal draw (Box-Muller in double precision).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle of <paramref name="values"/> in place.</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
