using System.Net;
using System.Text.Json.Nodes;

namespace Clp.Api.Tests;

/// <summary>The guide's 2-server sample cluster, from the same files the README's walk-through posts.</summary>
public class SampleClusterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string SampleDirectory = Path.Combine(RepoRoot.Path, "docs", "examples", "sample-cluster");

    [Fact]
    public async Task SampleCluster_CreatedFromReadmeFiles_ReadsBackComplete()
    {
        var client = factory.Client();
        var cluster = Http.Fresh("sample");
        foreach (var file in Directory.GetFiles(SampleDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            var plural = Path.GetFileName(file).Split('-')[1];
            var body = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            var path = plural == "clusters" ? $"{Http.Base}/clusters" : $"{Http.Base}/clusters/{cluster}/{plural}";
            if (plural == "clusters")
            {
                body["metadata"]!["name"] = cluster;
            }

            await client.PostAsync(path, Http.Json(body)).Ok(HttpStatusCode.Created);
        }

        var servers = await client.GetAsync($"{Http.Base}/clusters/{cluster}/servers").Ok();
        Assert.Equal(["server1", "server2"], servers["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));

        var groups = await client.GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok();
        Assert.Equal(["failover1", "ManagementGroup"], groups["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));

        var appli = await client.GetAsync($"{Http.Base}/clusters/{cluster}/resources/appli1").Ok();
        Assert.Equal("failover1", (string)appli["spec"]!["group"]!);
        Assert.Equal(["fip1", "sd1"], appli["spec"]!["dependsOn"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("SIGTERM", (string)appli["spec"]!["parameters"]!["stopSignal"]!); // catalog default filled in
        Assert.Equal(1L, (long)appli["metadata"]!["generation"]!);

        // Auto-created monitors: userw with the cluster, fipw per fip, sdw for sd1, appliw for the resident appli1.
        var monitors = await client.GetAsync($"{Http.Base}/clusters/{cluster}/monitors").Ok();
        var types = monitors["items"]!.AsArray().Select(m => (string)m!["spec"]!["type"]!).Order().ToList();
        Assert.Equal(["appliw", "diskw", "fipw", "fipw", "ipw", "sdw", "userw"], types);

        var clusterObject = await client.GetAsync($"{Http.Base}/clusters/{cluster}").Ok();
        Assert.Equal(30000, (int)clusterObject["spec"]!["heartbeat"]!["timeoutMs"]!);
        Assert.Equal("Ping", (string)clusterObject["spec"]!["npResolvers"]![0]!["type"]!);
    }

    [Fact]
    public async Task ClusterDefaults_MatchClusterpro()
    {
        var client = factory.Client();
        var cluster = Http.Fresh("defaults");
        var created = await client.PostJson($"{Http.Base}/clusters", $$$$"""
            {"metadata":{"name":"{{{{cluster}}}}"},"spec":{"interconnects":[{"name":"lan1"}]}}
            """).Ok(HttpStatusCode.Created);
        Assert.Equal(3000, (int)created["spec"]!["heartbeat"]!["intervalMs"]!);
        Assert.Equal(30000, (int)created["spec"]!["heartbeat"]!["timeoutMs"]!);
        Assert.Equal("Server", (string)created["spec"]!["failoverCountUnit"]!);
        Assert.False((bool)created["spec"]!["suppressMonitorRecovery"]!);
    }

    [Fact]
    public async Task FortyServers_AreAllowed()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        for (var i = 1; i <= 40; i++)
        {
            await client.NewServerAsync(cluster, $"node{i}", i);
        }

        var servers = await client.GetAsync($"{Http.Base}/clusters/{cluster}/servers").Ok();
        Assert.Equal(40, servers["items"]!.AsArray().Count);
    }
}
