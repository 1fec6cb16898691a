using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>fipw in namespace a checks a floating address held by a's device; faults: the address removed, the
/// link lost (peer down), the address on another device than the fip names.</summary>
[Trait("Category", "System")]
public class FipwProbeTests
{
    [SystemFact]
    public async Task Probe_AddressHeldAndLinkUp_IsHealthy_AddressRemoved_Fails()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var fip = f.Net.Free(1);
        var target = new JsonObject { ["ip"] = fip, ["interface"] = f.Net.IfA };
        await TestNet.Ip("-n", f.Net.A, "addr", "add", fip + "/24", "dev", f.Net.IfA);

        ProbeKit.AssertHealthy(await f.MonitorAsync("fipw", [], "fip1", target));

        await TestNet.Ip("-n", f.Net.A, "addr", "del", fip + "/24", "dev", f.Net.IfA);
        ProbeKit.AssertFailed(await f.MonitorAsync("fipw", [], "fip1", target), $"{fip} is not on any device here");
    }

    [SystemFact]
    public async Task Probe_LinkLost_Fails()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var fip = f.Net.Free(2);
        await TestNet.Ip("-n", f.Net.A, "addr", "add", fip + "/24", "dev", f.Net.IfA);
        var target = new JsonObject { ["ip"] = fip };
        ProbeKit.AssertHealthy(await f.MonitorAsync("fipw", [], "fip1", target));

        await TestNet.Ip("-n", f.Net.B, "link", "set", f.Net.IfB, "down");

        ProbeKit.AssertFailed(await f.MonitorAsync("fipw", [], "fip1", target), "its link is down");
    }

    [SystemFact]
    public async Task Probe_AddressOnAnotherDeviceThanTheFipNames_Fails()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var fip = f.Net.Free(3);
        await TestNet.Ip("-n", f.Net.A, "addr", "add", fip + "/32", "dev", "lo");

        ProbeKit.AssertFailed(await f.MonitorAsync("fipw", [], "fip1", new JsonObject { ["ip"] = fip, ["interface"] = f.Net.IfA }), $"is on lo, not on {f.Net.IfA}");
    }
}
