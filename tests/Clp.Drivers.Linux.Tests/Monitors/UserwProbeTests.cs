using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Monitors;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>userw measures the lateness of its own 100 ms timer on the injected clock.</summary>
[Trait("Category", "Unit")]
public class UserwProbeTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(10);

    private static async Task<ProbeResult> ProbeWithLatenessAsync(TimeSpan advance, string method = "timer")
    {
        var time = new FakeTimeProvider();
        var probe = ProbeKit.Probe("userw", ProbeKit.Options(time: time));
        var run = probe.ProbeAsync(ProbeKit.Context("userw", new JsonObject { ["method"] = method }), CancellationToken.None);
        Assert.False(run.IsCompleted, "the probe answered before its timer fired");

        // The only driver of the clock: the timer fires at 100 ms, the probe reads the clock after the jump.
        time.Advance(advance);
        return await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Probe_OnTime_IsHealthy() =>
        ProbeKit.AssertHealthy(await ProbeWithLatenessAsync(UserwProbe.Interval));

    [Fact]
    public async Task Probe_LateByExactlyTheThreshold_IsHealthy() =>
        ProbeKit.AssertHealthy(await ProbeWithLatenessAsync(UserwProbe.Interval + Threshold));

    [Fact]
    public async Task Probe_LateByOneTickPastTheThreshold_Fails() =>
        ProbeKit.AssertFailed(await ProbeWithLatenessAsync(UserwProbe.Interval + Threshold + TimeSpan.FromTicks(1)), "the agent stalled");

    [Fact]
    public async Task Probe_MethodNone_ReportsTheStallWithoutFailing()
    {
        var result = await ProbeWithLatenessAsync(UserwProbe.Interval + TimeSpan.FromSeconds(30), "none");

        ProbeKit.AssertHealthy(result);
        Assert.Contains("30000 ms late", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Cancelled_ThrowsInsteadOfAnswering()
    {
        var probe = ProbeKit.Probe("userw", ProbeKit.Options(time: new FakeTimeProvider()));
        using var cts = new CancellationTokenSource();
        var run = probe.ProbeAsync(ProbeKit.Context("userw", []), cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
