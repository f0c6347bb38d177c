using System.Globalization;

namespace LstmLab.Numerics;

/// <summary>
/// What the engine's one instruction-set switch (<c>Numerics/Isa.cs</c>) selected on this machine, in words, for
/// reports and diagnostics: the path every kernel (matrix products, LSTM gates, activations, optimizers) runs
/// with, and which of the three paths this machine can run at all.
/// </summary>
public static class KernelPaths
{
    /// <summary>
    /// The path the kernels use by default in this process: <c>AVX-512</c>, <c>AVX2</c> or <c>scalar</c>
    /// (the widest the CPU has, as the environment allows: <c>DOTNET_EnableAVX512=0</c> gives <c>AVX2</c> on .NET 10).
    /// </summary>
    public static string Selected => Name(InstructionSet.Detected);

    /// <summary>The path the kernels use on the calling thread (the selected one unless a test forced another).</summary>
    public static string Current => Name(InstructionSet.Current);

    /// <summary>
    /// Each path and whether this machine can run it, e.g.
    /// <c>scalar native; AVX2 native; AVX-512 emulated (no AVX-512F: …)</c>.
    /// </summary>
    public static string Runnable => string.Join("; ", Enum.GetValues<Isa>().Select(isa =>
        !InstructionSet.CanRun(isa) ? string.Create(CultureInfo.InvariantCulture, $"{Name(isa)} not runnable ({InstructionSet.WhyNot(isa)})")
        : InstructionSet.IsEmulated(isa) ? Name(isa) + " emulated in software"
        : Name(isa) + " native"));

    private static string Name(Isa isa) => isa switch
    {
        Isa.Avx512 => "AVX-512",
        Isa.Avx2 => "AVX2",
        _ => "scalar",
    };
}
