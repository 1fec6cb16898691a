using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>httpw requests from namespace a a server in b; faults: an unexpected status, the server's death.</summary>
[Trait("Category", "System")]
public class HttpwProbeTests
{
    [SystemFact("python3")]
    public async Task Probe_ServerAnswers200_IsHealthy_WrongStatusAndDeadServer_Fail()
    {
        await using var f = await NetworkProbeFixture.CreateAsync();
        await using var server = await NamespaceHttpServer.StartAsync(f.Net.B, f.Net.AddressB, 8080);
        var url = $"http://{f.Net.AddressB}:8080/";

        ProbeKit.AssertHealthy(await f.MonitorAsync("httpw", new JsonObject { ["url"] = url }));
        ProbeKit.AssertHealthy(await f.MonitorAsync("httpw", new JsonObject { ["url"] = url, ["method"] = "HEAD" }));
        ProbeKit.AssertFailed(await f.MonitorAsync("httpw", new JsonObject { ["url"] = url + "missing" }), "status 404");
        ProbeKit.AssertHealthy(await f.MonitorAsync("httpw", new JsonObject { ["url"] = url + "missing", ["expectedStatus"] = 404 }));

        server.Kill();
        ProbeKit.AssertFailed(await f.MonitorAsync("httpw", new JsonObject { ["url"] = url }), "failed: Connection refused");
    }
}
