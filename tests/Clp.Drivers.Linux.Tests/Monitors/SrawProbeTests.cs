using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>sraw on the real /proc and statvfs; faults: a full file system, memory use above a threshold set
/// below what this machine uses.</summary>
[Trait("Category", "System")]
public class SrawProbeTests
{
    [Fact]
    public async Task Probe_EverythingUnderItsThreshold_IsHealthy_WithACpuFigureFromTheSecondProbe()
    {
        var probe = ProbeKit.Probe("sraw");
        var context = ProbeKit.Context("sraw", new JsonObject { ["cpuPercent"] = 100, ["memoryPercent"] = 100, ["diskPercent"] = 100 });

        var first = await ProbeKit.RunAsync(probe, context);
        await Task.Delay(50);
        var second = await ProbeKit.RunAsync(probe, context);

        ProbeKit.AssertHealthy(first);
        Assert.Contains("CPU n/a", first.Message, StringComparison.Ordinal);
        ProbeKit.AssertHealthy(second);
        Assert.DoesNotContain("CPU n/a", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MemoryAboveThreshold_Fails() =>
        ProbeKit.AssertFailed(
            await ProbeKit.RunAsync(ProbeKit.Probe("sraw"), ProbeKit.Context("sraw", new JsonObject { ["memoryPercent"] = 1 })),
            "% > 1%");

    [SystemFact("mount", "dd")]
    public async Task Probe_FullFileSystem_Fails()
    {
        await using var fs = await TinyFileSystem.MountAsync();
        var probe = ProbeKit.Probe("sraw");
        var context = ProbeKit.Context("sraw", new JsonObject { ["diskPath"] = fs.Path, ["cpuPercent"] = 100, ["memoryPercent"] = 100 });
        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, context));

        await fs.FillAsync();

        // The window averages: a fresh monitor name sees the full disk alone.
        ProbeKit.AssertFailed(
            await ProbeKit.RunAsync(probe, ProbeKit.Context("sraw", context.Parameters)),
            "disk 100.0% > 90%");
    }

    [Fact]
    public async Task Probe_MissingDiskPath_Fails() =>
        ProbeKit.AssertFailed(
            await ProbeKit.RunAsync(ProbeKit.Probe("sraw"), ProbeKit.Context("sraw", new JsonObject { ["diskPath"] = "/nonexistent-" + Guid.NewGuid() })),
            "statvfs /nonexistent-");
}
