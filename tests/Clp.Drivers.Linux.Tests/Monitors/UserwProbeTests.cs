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

/// <summary>userw in a real process that is frozen (SIGSTOP) while its timer runs.</summary>
[Trait("Category", "System")]
public class UserwStallTests
{
    [SystemFact("kill")]
    public async Task Probe_ProcessFrozenForTwoSeconds_ReportsTheStall()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var parameters = new JsonObject { ["stallThresholdSeconds"] = 1 };
        ProbeKit.AssertHealthy(await f.MonitorAsync("userw", parameters));
        var pid = f.RunnerPid().ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The probe's 100 ms timer starts within a few ms of the request on the warmed-up runner; the freeze
        // starts 40 ms in and lasts 2 s, so the timer comes back about 1.9 s late.
        var answer = f.MonitorAsync("userw", parameters);
        await Task.Delay(40);
        await ProbeKit.Sh("kill", "-STOP", pid);
        try
        {
            await Task.Delay(2000);
        }
        finally
        {
            await ProbeKit.Sh("kill", "-CONT", pid);
        }

        ProbeKit.AssertFailed(await answer, "the agent stalled");
    }
}
