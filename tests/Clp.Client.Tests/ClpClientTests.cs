using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Clp.Client.Problems;
using Clp.Client.Tests.Support;
using Clp.Core.Model;

namespace Clp.Client.Tests;

/// <summary>The SDK against the real API in-process: what the calls do to the world, read back through the
/// SDK.</summary>
public class ClpClientTests(ClpApiFactory factory) : IClassFixture<ClpApiFactory>
{
    [Fact]
    public async Task CrudRoundTrip_ClusterServersGroups_ChangesTheWorldAsAsked()
    {
        var client = factory.Client();
        var name = Sample.Fresh("c");
        var cluster = await client.Clusters.CreateClusterAsync(Sample.Cluster(name), autoMonitors: false);
        Assert.Equal(("Cluster", name, 5000), (cluster.Kind, cluster.Metadata.Name, cluster.Spec.Heartbeat.TimeoutMs));
        Assert.NotNull(cluster.Metadata.Uid);

        await client.Servers.CreateServerAsync(name, Sample.Server("s1", 1));
        await client.Servers.CreateServerAsync(name, Sample.Server("s2", 2));
        await client.ServerGroups.CreateServerGroupAsync(name, new ServerGroup { Metadata = { Name = "site1" }, Spec = { Servers = ["s2", "s1"] } });
        var group = await client.Groups.CreateGroupAsync(name, new Group
        {
            Metadata = { Name = "g1" },
            Spec = { FailoverPolicy = { Kind = FailoverPolicyKind.ServerGroups, ServerGroups = ["site1"] } },
        });

        group.Spec.Description = "web tier";
        var replaced = await client.Groups.ReplaceGroupAsync(name, "g1", group, ClpETag.Of(group));
        Assert.Equal(("web tier", group.Metadata.Generation + 1), (replaced.Spec.Description, replaced.Metadata.Generation));
        var stale = await Assert.ThrowsAsync<ClpPreconditionFailedException>(() => client.Groups.ReplaceGroupAsync(name, "g1", group, ClpETag.Of(group)));
        Assert.Equal(Core.Problems.ProblemTypes.PreconditionFailed, stale.Type);

        var patched = await client.Groups.PatchGroupAsync(name, "g1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = "web" } },
            ["spec"] = new JsonObject { ["startup"] = "Manual", ["description"] = null },
        }, ClpETag.Of(replaced));
        Assert.Equal((StartupAttribute.Manual, null, "web"), (patched.Spec.Startup, patched.Spec.Description, patched.Metadata.Labels?["tier"]));

        var placed = await client.Groups.ReplaceGroupStatusAsync(name, "g1", new GroupStatus { CurrentServer = "s2", Epoch = 1, Phase = ObjectState.Online }, ClpETag.Of(patched));
        Assert.Equal(patched.Metadata.Generation, placed.Metadata.Generation);

        var read = await client.Groups.GetGroupAsync(name, "G1");
        Assert.Equal(("s2", 1L, "g1"), (read.Status?.CurrentServer, read.Status?.Epoch ?? 0, read.Metadata.Name));
        Assert.Equal(["g1"], (await client.Groups.ListGroupsAsync(name, labelSelector: "tier=web")).Items.Select(g => g.Metadata.Name));
        Assert.Empty((await client.Groups.ListGroupsAsync(name, labelSelector: "tier!=web")).Items);

        var dependents = await Assert.ThrowsAsync<ClpConflictException>(() => client.ServerGroups.DeleteServerGroupAsync(name, "site1"));
        Assert.Equal(Core.Problems.ProblemTypes.HasDependents, dependents.Type);
        Assert.Contains(dependents.Dependents, d => d.Contains("g1", StringComparison.Ordinal));

        var deleted = await client.Groups.DeleteGroupAsync(name, "g1", ClpETag.Of(placed));
        Assert.Equal("g1", deleted.Metadata.Name);
        await Assert.ThrowsAsync<ClpNotFoundException>(() => client.Groups.GetGroupAsync(name, "g1"));
        await client.ServerGroups.DeleteServerGroupAsync(name, "site1");
        var holding = await Assert.ThrowsAsync<ClpConflictException>(() => client.Clusters.DeleteClusterAsync(name));
        Assert.Equal(Core.Problems.ProblemTypes.HasDependents, holding.Type);
        await client.Servers.DeleteServerAsync(name, "s1");
        await client.Servers.DeleteServerAsync(name, "s2");
        await client.Clusters.DeleteClusterAsync(name);
        await Assert.ThrowsAsync<ClpNotFoundException>(() => client.Servers.ListServersAsync(name));
    }

    [Fact]
    public async Task ListServers_WithLimit_PagesThroughEveryItemOnce()
    {
        var client = factory.Client();
        var name = await client.NewClusterAsync();
        for (var i = 1; i <= 5; i++)
        {
            await client.Servers.CreateServerAsync(name, Sample.Server($"s{i}", i));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.Servers.ListServersAsync(name, limit: 2, continueToken: token);
            Assert.Equal("ServerList", page.Kind);
            Assert.True(page.Metadata.Version > 0, "a list names the resourceVersion it was read at");
            seen.AddRange(page.Items.Select(s => s.Metadata.Name));
            token = page.Metadata.Continue;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["s1", "s2", "s3", "s4", "s5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task CreateOperation_SameClientRequestId_AnswersTheFirstOperation()
    {
        var client = factory.Client();
        var name = await client.NewClusterAsync();
        var request = new Operation
        {
            Spec = { Verb = OperationVerb.ClusterSuspend, Target = { Kind = "Cluster", Name = name }, ClientRequestId = Sample.Fresh("req") },
        };

        var first = await client.Operations.CreateOperationAsync(name, request);
        var again = await client.Operations.CreateOperationAsync(name, request);

        Assert.StartsWith("op-", first.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal((first.Metadata.Name, first.Metadata.Uid), (again.Metadata.Name, again.Metadata.Uid));
        Assert.Single((await client.Operations.ListOperationsAsync(name)).Items);
    }

    [Fact]
    public async Task ListEvents_WithFilters_AnswersOnlyMatchingEvents()
    {
        var client = factory.Client();
        var name = await client.NewClusterAsync();
        var at = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(9));
        await client.Events.CreateEventAsync(name, new Event { Spec = { Module = "rm", Message = "early", Severity = EventSeverity.Error, Server = "s1", Time = at } });
        await client.Events.CreateEventAsync(name, new Event { Spec = { Module = "rm", Message = "late", Severity = EventSeverity.Error, Server = "s1", Time = at.AddHours(1) } });
        await client.Events.CreateEventAsync(name, new Event { Spec = { Module = "rc", Message = "info", Severity = EventSeverity.Info, Server = "s2", Time = at } });

        var errors = await client.Events.ListEventsAsync(name, severity: "Warning,Error", server: "s1", since: at.AddMinutes(30));

        Assert.Equal(["late"], errors.Items.Select(e => e.Spec.Message));
        var info = await client.Events.ListEventsAsync(name, severity: "Info", until: at.AddSeconds(1));
        Assert.Equal(["info"], info.Items.Select(e => e.Spec.Message));
    }

    [Fact]
    public async Task CreateApiKey_AnswersAKeyThatAuthenticatesWithItsRole()
    {
        var admin = factory.Client();
        var name = await admin.NewClusterAsync();
        var created = await admin.ApiKeys.CreateApiKeyAsync(name, new ApiKey { Metadata = { Name = "viewer1" }, Spec = { Role = ApiKeyRole.Viewer } });
        Assert.StartsWith($"clp.{name}.viewer1.", created.Key, StringComparison.Ordinal);
        Assert.Equal(ApiKeyRole.Viewer, created.ApiKey.Spec.Role);

        var viewer = factory.Client(created.Key);
        Assert.Equal(name, (await viewer.Clusters.GetClusterAsync(name)).Metadata.Name);
        await Assert.ThrowsAsync<ClpForbiddenException>(() => viewer.Groups.CreateGroupAsync(name, Sample.Group("g1")));

        await admin.ApiKeys.DeleteApiKeyAsync(name, "viewer1");
        await Assert.ThrowsAsync<ClpUnauthorizedException>(() => viewer.Clusters.GetClusterAsync(name));
    }

    [Fact]
    public async Task Catalog_ReadsTypesWithTheirSchemas()
    {
        var client = factory.Client();

        var catalog = await client.Catalog.GetCatalogAsync();
        var fip = await client.Catalog.GetResourceTypeAsync("fip");
        var fipw = await client.Catalog.GetMonitorTypeAsync("fipw");

        Assert.Contains(catalog.ResourceTypes, t => t.Type == "fip" && t.Supported);
        Assert.Contains(catalog.MonitorTypes, t => t.Type == "psw");
        Assert.NotNull(fip.FindParameter("ip"));
        Assert.Contains(fip.AutoMonitors, a => a.MonitorType == "fipw");
        Assert.NotEmpty(fipw.Timings);
        await Assert.ThrowsAsync<ClpNotFoundException>(() => client.Catalog.GetMonitorTypeAsync("nosuchw"));
    }

    [Fact]
    public async Task ServerAndResourceStatus_ReadBackComputedPerServerView()
    {
        var client = factory.Client();
        var name = await client.NewClusterAsync();
        await client.Servers.CreateServerAsync(name, Sample.Server("s1", 1));
        await client.Groups.CreateGroupAsync(name, Sample.Group("g1"));
        await client.Resources.CreateResourceAsync(name, new Resource
        {
            Metadata = { Name = "fip1" },
            Spec = { Group = "g1", Type = "fip", Parameters = new JsonObject { ["ip"] = "10.231.1.100" } },
        });
        Assert.Contains((await client.Monitors.ListMonitorsAsync(name)).Items, m => m.Spec.Type == "fipw");

        await client.Servers.ReplaceServerStatusAsync(name, "s1", new ServerStatus
        {
            Phase = ObjectState.Online,
            Resources = new() { ["fip1"] = new ObjectStateOnServer { State = ObjectState.Online, Epoch = 1 } },
        });

        var resource = await client.Resources.GetResourceAsync(name, "fip1");
        Assert.Equal(ObjectState.Online, resource.Status?.Servers?["s1"].State);
    }

    [Fact]
    public async Task GetCluster_AnswerWithMembersANewerServerAdded_IsReadTolerantly()
    {
        var script = new ScriptedHandler();
        script.Reply(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("""
                {"apiVersion":"clp/v1","kind":"Cluster","metadata":{"name":"c1","resourceVersion":"3","shard":7},
                 "spec":{"heartbeat":{"intervalMs":500,"timeoutMs":2000,"jitterMs":5},"newSetting":{"a":1}},"extra":[1]}
                """, System.Text.Encoding.UTF8, "application/json"),
        });

        var cluster = await new ClpClient(script.Client()).Clusters.GetClusterAsync("c1");

        Assert.Equal(("c1", 500, "\"3\""), (cluster.Metadata.Name, cluster.Spec.Heartbeat.IntervalMs, ClpETag.Of(cluster)));
    }

    [Fact]
    public async Task AnyCall_TransportFails_ThrowsTheHttpClientsOwnException()
    {
        var script = new ScriptedHandler();
        script.Reply(_ => throw new HttpRequestException("connection refused"));
        var client = new ClpClient(script.Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.Clusters.ListClustersAsync());

        Assert.Equal("connection refused", e.Message);
    }

    [Fact]
    public async Task PatchGroup_AnyPatch_SendsMergePatchContentTypeIfMatchAndKey()
    {
        var capture = new CaptureHandler();
        var client = factory.Client(handlers: [capture]);
        var cluster = await client.NewClusterAsync();
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("g1"));

        await client.Groups.PatchGroupAsync(cluster, "g1", new() { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["startup"] = "Manual" } }, ifMatch: "*");

        var patch = Assert.Single(capture.Requests, r => r.Method == HttpMethod.Patch);
        Assert.Equal("application/merge-patch+json", patch.ContentType?.MediaType);
        Assert.Equal("*", patch.IfMatch);
        Assert.Equal("Bearer", patch.Authorization?.Scheme);
    }

    private sealed record Captured(HttpMethod Method, MediaTypeHeaderValue? ContentType, string? IfMatch, AuthenticationHeaderValue? Authorization);

    private sealed class CaptureHandler : DelegatingHandler
    {
        public List<Captured> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(new Captured(request.Method, request.Content?.Headers.ContentType,
                    request.Headers.TryGetValues("If-Match", out var m) ? m.Single() : null, request.Headers.Authorization));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
