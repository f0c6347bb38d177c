using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>
/// The kernel paths (instruction sets) this machine can run, for theories that run a kernel on each, and
/// a way to run code on one of them (forced on the calling thread only).
/// </summary>
internal static class IsaPaths
{
    /// <summary>Every path this machine can run, natively or emulated, as names (theory data must be public).</summary>
    public static TheoryData<string> Runnable()
    {
        var data = new TheoryData<string>();
        foreach (Isa isa in Enum.GetValues<Isa>())
        {
            if (InstructionSet.CanRun(isa))
                data.Add(isa.ToString());
        }
        return data;
    }

    /// <summary>Runs <paramref name="body"/> with every kernel on this thread forced onto <paramref name="isa"/>.</summary>
    public static void On(string isa, Action body)
    {
        InstructionSet.Forced = Enum.Parse<Isa>(isa);
        try
        {
            body();
        }
        finally
        {
            InstructionSet.Forced = null;
        }
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="isa"/> and returns its result.</summary>
    public static T On<T>(Isa isa, Func<T> body)
    {
        InstructionSet.Forced = isa;
        try
        {
            return body();
        }
        finally
        {
            InstructionSet.Forced = null;
        }
    }
}
