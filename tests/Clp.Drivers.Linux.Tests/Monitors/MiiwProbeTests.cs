using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>miiw in namespace a reads its veth's link; faults: the peer set down (carrier lost), the device
/// itself set down, a device that does not exist.</summary>
[Trait("Category", "System")]
public class MiiwProbeTests
{
    [SystemFact]
    public async Task Probe_LinkUp_IsHealthy_PeerDownAndDeviceDown_Fail()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var parameters = new JsonObject { ["interface"] = f.Net.IfA };

        ProbeKit.AssertHealthy(await f.MonitorAsync("miiw", parameters));

        await TestNet.Ip("-n", f.Net.B, "link", "set", f.Net.IfB, "down");
        ProbeKit.AssertFailed(await f.MonitorAsync("miiw", parameters), "carrier 0");

        await TestNet.Ip("-n", f.Net.A, "link", "set", f.Net.IfA, "down");
        ProbeKit.AssertFailed(await f.MonitorAsync("miiw", parameters), "operstate down");

        ProbeKit.AssertFailed(await f.MonitorAsync("miiw", new JsonObject { ["interface"] = "nosuchdev0" }), "no network device nosuchdev0");
    }
}
