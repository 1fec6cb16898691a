using System.Text.Json.Nodes;
using Clp.Client.Problems;
using Clp.Core.Model;

namespace Clp.Cluster.Tests;

/// <summary>SIMULATION: an agent reports what its server cannot run (AgentOptions.UnsupportedTypes) in its
/// status, and the API then refuses such resources in groups that may run there.</summary>
public class CapabilitiesTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string NoSystemd = "service resources need systemd as PID 1; this server runs tini";
    private readonly SimulatedCluster _cluster = new();

    public async Task InitializeAsync() => await _cluster.CreateAsync("s1", "s2");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task AgentReportedUnsupportedType_RefusesAServiceResourceInItsGroups()
    {
        await _cluster.StartAgentAsync("s1");
        await _cluster.StartAgentAsync("s2", new Dictionary<string, string> { ["service"] = NoSystemd });
        await SimulatedCluster.WaitForAsync(async () =>
                (await _cluster.Admin.Servers.GetServerAsync(SimulatedCluster.Name, "s2")).Status?.Capabilities?.UnsupportedTypes?.GetValueOrDefault("service") == NoSystemd,
            "s2 to report that it cannot run service resources", Bound);
        Assert.Null((await _cluster.Admin.Servers.GetServerAsync(SimulatedCluster.Name, "s1")).Status?.Capabilities);

        var refused = await Assert.ThrowsAsync<ClpValidationException>(() => _cluster.Admin.Resources.CreateResourceAsync(SimulatedCluster.Name, new Resource
        {
            Metadata = new ObjectMeta { Name = "svc1" },
            Spec = new ResourceSpec { Group = "g1", Type = "service", Parameters = new JsonObject { ["unit"] = "nginx.service" } },
        }, autoMonitors: false));

        var violation = Assert.Single(refused.Violations, v => v.Rule == "type-unsupported-on-server");
        Assert.Equal("spec.type", violation.Field);
        Assert.Equal($"server s2 cannot run service resources: {NoSystemd}", violation.Message);
    }
}
