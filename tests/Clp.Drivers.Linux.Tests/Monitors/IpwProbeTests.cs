using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>ipw pings from namespace a to b; the fault is b's link going down.</summary>
[Trait("Category", "System")]
public class IpwProbeTests
{
    [SystemFact("ping")]
    public async Task Probe_TargetAnswers_IsHealthy_LinkDown_Fails()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        var parameters = new JsonObject { ["targets"] = new JsonArray(f.Net.AddressB) };

        ProbeKit.AssertHealthy(await f.MonitorAsync("ipw", parameters));

        await TestNet.Ip("-n", f.Net.B, "link", "set", f.Net.IfB, "down");
        ProbeKit.AssertFailed(await f.MonitorAsync("ipw", parameters), "no target answers: " + f.Net.AddressB);
    }

    [SystemFact("ping")]
    public async Task Probe_OneOfTwoTargetsAnswers_IsHealthy_AsTheCatalogSays()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();

        var result = await f.MonitorAsync("ipw", new JsonObject { ["targets"] = new JsonArray(f.Net.Free(7), f.Net.AddressB) });

        ProbeKit.AssertHealthy(result);
        Assert.Contains(f.Net.AddressB, result.Message, StringComparison.Ordinal);
    }
}
