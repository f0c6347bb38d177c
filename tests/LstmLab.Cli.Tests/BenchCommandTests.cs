using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary>
/// <c>lstmlab bench</c>'s modes and errors, on tiny work (no timing is asserted): the JSON names the
/// instruction set and thread count, and bad sizes or counts are one error line with exit code 2.
/// </summary>
[Collection("Console")]
public sealed class BenchCommandTests
{
    [Fact]
    public void Gemm_mode_writes_one_json_line_per_shape()
    {
        (int code, string output, string err) = CliRunner.Run("bench", "--gemm", "8x16x24", "3x5x7", "--threads", "2");
        Assert.True(code == 0, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        // Provenance (hand): the shape string and the h,T,B,in point restate the command line the test gives; at least 3 timed steps is the bench protocol's minimum.
        Assert.Equal("8x16x24", first.RootElement.GetProperty("gemm").GetString());
        Assert.Equal(2, first.RootElement.GetProperty("threads").GetInt32());
        Assert.Contains(first.RootElement.GetProperty("isa").GetString(), (string[])["AVX-512", "AVX2", "scalar"]);
        Assert.True(first.RootElement.GetProperty("gflops").GetDouble() > 0);
    }

    [Fact]
    public void Sweep_mode_trains_the_point_and_reports_its_loss()
    {
        (int code, string output, string err) = CliRunner.Run("bench", "--sweep", "4,3,2,5");
        Assert.True(code == 0, err);
        using JsonDocument line = JsonDocument.Parse(output.Trim());
        JsonElement r = line.RootElement;
        // Provenance (hand): the sweep point restates the h,T,B,in the test passes; at least 3 timed steps is the bench protocol's minimum.
        Assert.Equal((4, 3, 2, 5), (r.GetProperty("h").GetInt32(), r.GetProperty("T").GetInt32(), r.GetProperty("B").GetInt32(), r.GetProperty("in").GetInt32()));
        Assert.True(r.GetProperty("steps").GetInt32() >= 3);
        Assert.True(double.IsFinite(r.GetProperty("loss").GetDouble()));
    }

    [Theory]
    [InlineData("--gemm|8x0x8", "--gemm: '8x0x8' is not MxKxN: '0' is not a positive integer.")]
    [InlineData("--gemm|8x8", "--gemm: '8x8' is not MxKxN (expected 3 positive integers, got 2).")]
    [InlineData("--sweep|4,3", "--sweep: '4,3' is not h,T,B or h,T,B,in (expected 3 or 4 positive integers, got 2).")]
    [InlineData("--threads|0", "--threads must be at least 1 (got 0).")]
    [InlineData("--copies|0", "--copies must be at least 1 (got 0).")]
    [InlineData("--gemm|8x8x8|--sweep|4,3,2", "--gemm and --sweep cannot be combined: run them one at a time.")]
    public void Bad_options_are_one_error_line(string args, string message)
    {
        (int code, string output, string err) = CliRunner.Run(["bench", .. args.Split('|')]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {message}", CliRunner.LastLine(err));
    }
}
