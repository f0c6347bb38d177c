using LstmLab.Layers;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Tests.Numerics;

/// <summary>Absurd sizes are refused before anything is allocated, with the size asked for and never an overflowed number.</summary>
public sealed class SizeLimitTests
{
    [Fact]
    public void A_shape_too_large_shows_its_true_element_count()
    {
        // 100000^4 = 10^20 overflows a long; the message must show it exactly.
        var e = Assert.Throws<ArgumentException>(() => new Shape(100000, 100000, 100000, 100000));
        Assert.Contains("100000000000000000000 elements", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lstm_units_whose_gate_columns_overflow_are_refused_without_negative_numbers()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(1_000_000_000));
        Assert.Contains("536870911", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-", e.Message.Split('(')[0], StringComparison.Ordinal);
    }

    // Provenance (hand): 2^60 bytes = 1.1529215e18 B = 1,152,921.5 TB (decimal units, as the formatter's 25.6e9 B =
    // 25.6 GB).
    [Fact]
    public void The_memory_budget_refuses_more_than_the_process_may_use_and_names_the_size()
    {
        var e = Assert.Throws<InsufficientMemoryException>(() => MemoryBudget.Require(1L << 60, "Weight 'kernel' of shape (big)"));
        Assert.Contains("1152921.5 TB", e.Message, StringComparison.Ordinal);
        Assert.Contains("Weight 'kernel'", e.Message, StringComparison.Ordinal);
        MemoryBudget.Require(1024, "a small weight");
        Assert.Equal("25.6 GB", MemoryBudget.Format(25_600_000_000));
    }
}
