using LstmLab.Experiments.Harness;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Experiments.Tests.Harness;

/// <summary>A report's machine line says what the engine's one instruction-set switch selected, not a second guess.</summary>
public sealed class MachineInfoTests
{
    [Fact]
    public void The_kernel_path_is_the_one_the_switch_selected_and_every_path_is_listed()
    {
        MachineInfo m = MachineInfo.Current();
        Assert.Equal(KernelPaths.Selected, m.KernelPath);
        Assert.Equal(KernelPaths.Runnable, m.RunnablePaths);
        foreach (string path in new[] { "scalar", "AVX2", "AVX-512" })
            Assert.Contains(path, m.RunnablePaths!, StringComparison.Ordinal);
        Assert.Contains(KernelPaths.Selected + " native", m.RunnablePaths!, StringComparison.Ordinal);
        string line = Provenance.Capture([], [], []).Rows().Single(r => r.Key == "instruction set").Value;
        Assert.Contains("kernels use " + KernelPaths.Selected + " (paths this machine can run: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provenance_file_from_before_the_runnable_paths_still_reads()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Provenance.Capture([], [], []).ToJson())!;
        Assert.True(json["machine"]!.AsObject().Remove("runnable_paths"));
        string old = json.ToJsonString();
        Provenance back = Provenance.FromJson(old, "old.json");
        Assert.Null(back.Machine.RunnablePaths);
        Assert.DoesNotContain("paths this machine can run", back.Rows().Single(r => r.Key == "instruction set").Value, StringComparison.Ordinal);
    }
}
