using System.Runtime.Intrinsics.X86;

namespace LstmLab.Numerics;

/// <summary>The instruction set a kernel runs with (matrix products, LSTM gates, activations, optimizers).</summary>
internal enum Isa
{
    /// <summary>Plain scalar loops: the reference the vector paths are tested against.</summary>
    Scalar,

    /// <summary>256-bit vectors with FMA3.</summary>
    Avx2,

    /// <summary>512-bit vectors (emulated in software by .NET on a CPU without AVX-512F).</summary>
    Avx512,
}

/// <summary>
/// The one instruction-set switch every kernel of the engine reads. By default the widest set the CPU
/// has (AVX-512F, else AVX2 with FMA, else scalar), chosen once; tests force another one on their own
/// thread to run every path on one machine.
/// <para>
/// The AVX-512 path is written with the cross-platform <c>Vector512</c> API, so it also runs, slowly and in
/// software, on a CPU without AVX-512F: its few raw intrinsics (masked loads and stores, <c>vscalefps</c>)
/// then fall back to element-wise code with the same results. It needs AVX2 there, for the packing code it
/// shares with the AVX2 path. The AVX2 path uses raw AVX intrinsics and needs the hardware.
/// </para>
/// </summary>
internal static class InstructionSet
{
    /// <summary>The best instruction set of this CPU.</summary>
    public static readonly Isa Detected =
        Avx512F.IsSupported ? Isa.Avx512 : HasAvx2 ? Isa.Avx2 : Isa.Scalar;

    [ThreadStatic]
    private static Isa? t_forced;

    // Set once any thread forces an instruction set, so that normally no thread-local read is needed.
    private static volatile bool s_anyForced;

    private static bool HasAvx2 => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>The instruction set kernels on this thread use.</summary>
    public static Isa Current => s_anyForced ? t_forced ?? Detected : Detected;

    /// <summary>
    /// Forces an instruction set on the calling thread only (tests use it to exercise every path on one
    /// machine); null restores the detected one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">This machine cannot run the requested path (<see cref="CanRun"/>).</exception>
    public static Isa? Forced
    {
        get => t_forced;
        set
        {
            if (value is { } isa && !CanRun(isa))
                throw new ArgumentOutOfRangeException(nameof(value), $"This CPU cannot run the {isa} path ({WhyNot(isa)}).");
            t_forced = value;
            if (value is not null)
                s_anyForced = true;
        }
    }

    /// <summary>Whether this machine can run <paramref name="isa"/>'s path, natively or emulated.</summary>
    public static bool CanRun(Isa isa) => isa switch
    {
        Isa.Scalar => true,
        Isa.Avx2 => HasAvx2,
        Isa.Avx512 => Avx512F.IsSupported || HasAvx2,
        _ => false,
    };

    /// <summary>Whether <paramref name="isa"/>'s path runs in software here (AVX-512 code on a CPU without AVX-512F).</summary>
    public static bool IsEmulated(Isa isa) => isa == Isa.Avx512 && !Avx512F.IsSupported;

    /// <summary>Why <paramref name="isa"/> cannot run or runs emulated here, in words; empty when it runs natively.</summary>
    public static string WhyNot(Isa isa) => isa switch
    {
        Isa.Avx2 when !HasAvx2 => "no AVX2 with FMA",
        Isa.Avx512 when !CanRun(Isa.Avx512) => "no AVX-512F, and no AVX2 to emulate it on",
        Isa.Avx512 when IsEmulated(Isa.Avx512) =>
            "no AVX-512F: the path runs emulated, with element-wise stand-ins for Avx512F.MaskLoad, Avx512F.MaskStore and Avx512F.Scale",
        _ => "",
    };
}

/// <summary>The instruction set the engine's kernels run with on the calling thread, in words, for reports and benchmarks.</summary>
public static class KernelInstructionSet
{
    /// <summary><c>AVX-512</c>, <c>AVX-512 (emulated)</c>, <c>AVX2</c> (256-bit vectors with FMA3) or <c>scalar</c>.</summary>
    public static string Name => InstructionSet.Current switch
    {
        Isa.Avx512 => InstructionSet.IsEmulated(Isa.Avx512) ? "AVX-512 (emulated)" : "AVX-512",
        Isa.Avx2 => "AVX2",
        _ => "scalar",
    };
}
