using System.Net;

namespace Clp.Api.Tests;

public class ListTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task List_PagesWithContinue_AndFiltersByLabel()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        for (var i = 0; i < 7; i++)
        {
            var tier = i % 2 == 0 ? "web" : "db";
            await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", $$$$"""{"metadata":{"name":"g{{{{i}}}}","labels":{"tier":"{{{{tier}}}}"}}}""").Ok(HttpStatusCode.Created);
        }

        var names = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var url = $"{Http.Base}/clusters/{cluster}/groups?limit=3&labelSelector=tier%3Dweb" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            var page = await client.GetAsync(url).Ok();
            names.AddRange(page["items"]!.AsArray().Select(g => (string)g!["metadata"]!["name"]!));
            next = (string?)page["metadata"]!["continue"];
            pages++;
        }
        while (next is not null && pages < 10);

        Assert.Equal(["g0", "g2", "g4", "g6"], names);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task Events_AreQueryableBySeverityObjectServerAndTime()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var events = $"{Http.Base}/clusters/{cluster}/events";
        await client.PostJson(events, """{"spec":{"module":"rc","eventId":10,"severity":"Info","message":"started","object":{"kind":"Group","name":"failover1"},"server":"server1","time":"2026-01-01T00:00:00Z"}}""").Ok(HttpStatusCode.Created);
        await client.PostJson(events, """{"spec":{"module":"rm","eventId":20,"severity":"Error","message":"monitor error","object":{"kind":"Monitor","name":"ipw1"},"server":"server2","time":"2026-01-02T00:00:00Z"}}""").Ok(HttpStatusCode.Created);
        await client.PostJson(events, """{"spec":{"module":"rc","eventId":11,"severity":"Warning","message":"slow","object":{"kind":"Group","name":"failover1"},"server":"server2","time":"2026-01-03T00:00:00Z"}}""").Ok(HttpStatusCode.Created);

        async Task<List<int>> Ids(string query) =>
            (await client.GetAsync($"{events}?{query}").Ok())["items"]!.AsArray().Select(e => (int)e!["spec"]!["eventId"]!).Order().ToList();

        Assert.Equal([10, 11, 20], await Ids(""));
        Assert.Equal([20], await Ids("severity=Error"));
        Assert.Equal([11, 20], await Ids("severity=Warning,Error"));
        Assert.Equal([10, 11], await Ids("objectKind=Group&objectName=failover1"));
        Assert.Equal([11, 20], await Ids("server=server2"));
        Assert.Equal([11, 20], await Ids("since=2026-01-02T00:00:00Z"));
        Assert.Equal([10], await Ids("until=2026-01-02T00:00:00Z"));
    }

    [Fact]
    public async Task Operation_WithSameClientRequestId_IsCreatedOnce()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var body = $$$$"""{"spec":{"verb":"ClusterSuspend","target":{"kind":"Cluster","name":"{{{{cluster}}}}"},"clientRequestId":"req-1"}}""";
        var first = await client.PostJson($"{Http.Base}/clusters/{cluster}/operations", body).Ok(HttpStatusCode.Created);
        var second = await client.PostJson($"{Http.Base}/clusters/{cluster}/operations", body).Ok(HttpStatusCode.OK);
        Assert.Equal((string)first["metadata"]!["uid"]!, (string)second["metadata"]!["uid"]!);
        Assert.Equal("Pending", (string)first["status"]!["phase"]!);
        var list = await client.GetAsync($"{Http.Base}/clusters/{cluster}/operations").Ok();
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task DeleteResource_TakesItsAutoMonitors()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.NewServerAsync(cluster, "s1", 1);
        var c = $"{Http.Base}/clusters/{cluster}";
        await client.PostJson($"{c}/groups", """{"metadata":{"name":"g1"}}""").Ok(HttpStatusCode.Created);
        await client.PostJson($"{c}/resources", """{"metadata":{"name":"fip1"},"spec":{"group":"g1","type":"fip","parameters":{"ip":"10.231.3.1"}}}""").Ok(HttpStatusCode.Created);
        var monitors = await client.GetAsync($"{c}/monitors").Ok();
        Assert.Equal(["fipw-fip1"], monitors["items"]!.AsArray().Select(m => (string)m!["metadata"]!["name"]!));

        await client.DeleteAsync($"{c}/resources/fip1").Ok();
        Assert.Empty((await client.GetAsync($"{c}/monitors").Ok())["items"]!.AsArray());
        await client.DeleteAsync($"{c}/groups/g1").Ok();
        await client.DeleteAsync($"{c}/servers/s1").Ok();
        await client.DeleteAsync(c).Ok();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(c)).StatusCode);
    }

    [Fact]
    public async Task ClusterNames_InPaths_CompareCaseInsensitively()
    {
        var client = factory.Client();
        var cluster = "Mixed" + Http.Fresh("Case");
        await client.NewClusterAsync(cluster);
        await client.NewServerAsync(cluster.ToLowerInvariant(), "s1", 1);
        var server = await client.GetAsync($"{Http.Base}/clusters/{cluster.ToUpperInvariant()}/servers/S1").Ok();
        Assert.Equal("s1", (string)server["metadata"]!["name"]!);
        var list = await client.GetAsync($"{Http.Base}/clusters/{cluster}/servers").Ok();
        Assert.Single(list["items"]!.AsArray());
    }
}
