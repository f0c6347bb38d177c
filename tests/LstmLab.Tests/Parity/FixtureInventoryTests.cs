using Xunit;

namespace LstmLab.Tests.Parity;

/// <summary>Every fixture the generator writes is read by a test, and every fixture a test reads is there.</summary>
public sealed class FixtureInventoryTests
{
    private static readonly string[] OtherCases = ["lstm_stateful_two_batches", "adam_three_steps", "adam_stateful_three_batches"];

    [Fact]
    public void EveryFixtureIsTestedAndPresent()
    {
        var tested = new SortedSet<string>(LstmParityTests.GradientCaseNames.Concat(OtherCases), StringComparer.Ordinal);
        var present = new SortedSet<string>(
            Directory.EnumerateFiles(PyTorchFixture.Directory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)), StringComparer.Ordinal);

        Assert.Equal(tested, present);
    }
}
