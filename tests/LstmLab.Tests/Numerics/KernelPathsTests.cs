using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>KernelPaths describes the one switch (Isa.cs) in words: what it selected, and what this machine can run.</summary>
public sealed class KernelPathsTests
{
    [Fact]
    public void Selected_names_the_detected_path_and_current_follows_a_forced_one()
    {
        string detected = InstructionSet.Detected switch { Isa.Avx512 => "AVX-512", Isa.Avx2 => "AVX2", _ => "scalar" };
        Assert.Equal(detected, KernelPaths.Selected);
        Assert.Equal(detected, KernelPaths.Current);
        InstructionSet.Forced = Isa.Scalar;
        try
        {
            Assert.Equal("scalar", KernelPaths.Current);
            Assert.Equal(detected, KernelPaths.Selected);
        }
        finally
        {
            InstructionSet.Forced = null;
        }
    }

    [Fact]
    public void Runnable_lists_each_path_as_the_switch_judges_it()
    {
        string[] parts = KernelPaths.Runnable.Split("; ");
        Assert.Equal(3, parts.Length);
        Assert.Equal("scalar native", parts[0]);
        Assert.StartsWith("AVX2 " + (InstructionSet.CanRun(Isa.Avx2) ? "native" : "not runnable"), parts[1], StringComparison.Ordinal);
        string avx512 = !InstructionSet.CanRun(Isa.Avx512) ? "not runnable" : InstructionSet.IsEmulated(Isa.Avx512) ? "emulated" : "native";
        Assert.StartsWith("AVX-512 " + avx512, parts[2], StringComparison.Ordinal);
    }
}
