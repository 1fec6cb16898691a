using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>tcpw connects from namespace a to a listener in b; the fault is the listener's death.</summary>
[Trait("Category", "System")]
public class TcpwProbeTests
{
    [SystemFact("python3")]
    public async Task Probe_ListenerUp_IsHealthy_ListenerKilled_Fails()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        await using var server = await NamespaceHttpServer.StartAsync(f.Net.B, f.Net.AddressB, 8080);
        var parameters = new JsonObject { ["host"] = f.Net.AddressB, ["port"] = 8080 };

        ProbeKit.AssertHealthy(await f.MonitorAsync("tcpw", parameters));

        server.Kill();
        ProbeKit.AssertFailed(await f.MonitorAsync("tcpw", parameters), "ConnectionRefused");
    }

    [SystemFact]
    public async Task Probe_PeerLinkDown_TimesOut()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        await TestNet.Ip("-n", f.Net.B, "link", "set", f.Net.IfB, "down");

        // No answer at all: the caller's deadline cancels the connect (the runner reports the cancellation).
        var answer = await f.Runner.MonitorAsync("tcpw", new JsonObject { ["host"] = f.Net.AddressB, ["port"] = 8080 }, timeoutMs: 1500);

        Assert.False(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Contains("Cancel", (string?)answer["exception"], StringComparison.Ordinal);
    }
}
