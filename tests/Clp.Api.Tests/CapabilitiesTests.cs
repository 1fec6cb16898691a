using System.Net;
using System.Text.Json.Nodes;

namespace Clp.Api.Tests;

/// <summary>Server capabilities: what an agent reported its server cannot run refuses such resources in
/// groups that may run there, naming the field, the server and its reason.</summary>
public class CapabilitiesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string NoSystemd = "service resources need systemd as PID 1; this server runs tini";
    private const string Service = """{"metadata":{"name":"svc1"},"spec":{"group":"g1","type":"service","parameters":{"unit":"nginx.service"}}}""";

    private static string ServerStatus(string? unsupported) => unsupported is null
        ? """{"phase":"Online"}"""
        : $$$$"""{"phase":"Online","capabilities":{"unsupportedTypes":{"service":"{{{{unsupported}}}}"}}}""";

    private async Task<(HttpClient Client, string Base)> NewClusterAsync(string policy)
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.NewServerAsync(cluster, "s1", 1);
        await client.NewServerAsync(cluster, "s2", 2);
        var c = $"{Http.Base}/clusters/{cluster}";
        await client.PostJson($"{c}/groups", $$$$"""{"metadata":{"name":"g1"},"spec":{"failoverPolicy":{{{{policy}}}}}}""").Ok(HttpStatusCode.Created);
        return (client, c);
    }

    [Fact]
    public async Task ServiceResource_OnAServerWithoutSystemd_IsRefused_UntilTheCapabilityIsCleared()
    {
        var (client, c) = await NewClusterAsync("""{"kind":"Servers","servers":["s1","s2"]}""");
        var status = await client.PutJson($"{c}/servers/s2/status", ServerStatus(NoSystemd)).Ok();
        Assert.Equal(NoSystemd, (string?)status["status"]!["capabilities"]!["unsupportedTypes"]!["service"]);

        var refused = await client.PostJson($"{c}/resources", Service);
        var problem = await AssertRefusedAsync(refused, "spec.type");
        Assert.Contains($"server s2 cannot run service resources: {NoSystemd}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("server s1", problem, StringComparison.Ordinal);

        await client.PutJson($"{c}/servers/s2/status", ServerStatus(null)).Ok();
        await client.PostJson($"{c}/resources", Service).Ok(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ServiceResource_InAnAllServersGroup_IsRefusedForAnyReportingServer()
    {
        var (client, c) = await NewClusterAsync("""{"kind":"AllServers"}""");
        await client.PutJson($"{c}/servers/s1/status", ServerStatus(NoSystemd)).Ok();

        var problem = await AssertRefusedAsync(await client.PostJson($"{c}/resources", Service), "spec.type");
        Assert.Contains("server s1 cannot run service resources", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceResource_WithServersThatHaveNotReported_IsAccepted()
    {
        var (client, c) = await NewClusterAsync("""{"kind":"AllServers"}""");
        await client.PostJson($"{c}/resources", Service).Ok(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AddingAServerWithoutSystemd_ToAGroupWithAServiceResource_IsRefused_AnUnrelatedEditIsNot()
    {
        var (client, c) = await NewClusterAsync("""{"kind":"Servers","servers":["s1"]}""");
        await client.PostJson($"{c}/resources", Service).Ok(HttpStatusCode.Created);
        await client.PutJson($"{c}/servers/s2/status", ServerStatus(NoSystemd)).Ok();

        var refused = await client.PutJson($"{c}/groups/g1", """{"metadata":{"name":"g1"},"spec":{"failoverPolicy":{"kind":"Servers","servers":["s1","s2"]}}}""");
        var problem = await AssertRefusedAsync(refused, "spec.failoverPolicy.servers");
        Assert.Contains("server s2 cannot run service resources (resource svc1 of group g1)", problem, StringComparison.Ordinal);

        await client.PutJson($"{c}/groups/g1", """{"metadata":{"name":"g1"},"spec":{"description":"still s1 only","failoverPolicy":{"kind":"Servers","servers":["s1"]}}}""").Ok();
    }

    [Fact]
    public async Task AddingAServerWithoutSystemd_ToAServerGroupOfThePolicy_IsRefused()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.NewServerAsync(cluster, "s1", 1);
        await client.NewServerAsync(cluster, "s2", 2);
        var c = $"{Http.Base}/clusters/{cluster}";
        await client.PostJson($"{c}/servergroups", """{"metadata":{"name":"site1"},"spec":{"servers":["s1"]}}""").Ok(HttpStatusCode.Created);
        await client.PostJson($"{c}/groups", """{"metadata":{"name":"g1"},"spec":{"failoverPolicy":{"kind":"ServerGroups","serverGroups":["site1"]}}}""").Ok(HttpStatusCode.Created);
        await client.PostJson($"{c}/resources", Service).Ok(HttpStatusCode.Created);
        await client.PutJson($"{c}/servers/s2/status", ServerStatus(NoSystemd)).Ok();

        await AssertRefusedAsync(await client.PutJson($"{c}/servergroups/site1", """{"metadata":{"name":"site1"},"spec":{"servers":["s1","s2"]}}"""), "spec.servers");
    }

    /// <summary>Asserts a 400 validation problem naming <paramref name="field"/> with the capability rule; returns the body.</summary>
    private static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!;
        Assert.Equal("urn:clp:problem:validation-failed", (string?)problem["type"]);
        Assert.Contains(problem["violations"]!.AsArray(), v => (string?)v!["field"] == field && (string?)v["rule"] == "type-unsupported-on-server");
        return text;
    }
}
