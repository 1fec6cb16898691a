using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Clp.Api.Tests;

/// <summary>The SSE change feed: wire format, resume from any retained resourceVersion, exactly once and in
/// order, and 410 for a compacted one.</summary>
public class WatchTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    internal static async Task<List<SseItem<string>>> ReadEventsAsync(HttpClient client, string path, int count, string? lastEventId = null)
    {
        using var cts = new CancellationTokenSource(Bound);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var items = new List<SseItem<string>>();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cts.Token))
            {
                items.Add(item);
                if (items.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"watch {path}: got {items.Count} of {count} events within {Bound.TotalSeconds} s");
        }

        return items;
    }

    [Fact]
    public async Task ClusterWatch_FromAnyRetainedVersion_SeesEveryLaterChangeOnceInOrder()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var c = $"{Http.Base}/clusters/{cluster}";
        var start = (string)(await client.GetAsync($"{c}/groups").Ok())["metadata"]!["resourceVersion"]!;
        await client.PostJson($"{c}/groups", """{"metadata":{"name":"g1"}}""").Ok(HttpStatusCode.Created);
        await client.PostJson($"{c}/servergroups", """{"metadata":{"name":"sg1"},"spec":{"servers":[]}}"""); // invalid: no change
        await client.NewServerAsync(cluster, "s1", 1);
        await client.Patch($"{c}/groups/g1", """{"spec":{"startup":"Manual"}}""").Ok();
        await client.DeleteAsync($"{c}/groups/g1").Ok();

        var all = await ReadEventsAsync(client, $"{Http.Base}/watch/clusters/{cluster}?resourceVersion={start}", 4);
        Assert.Equal(["Added", "Added", "Modified", "Deleted"], all.Select(e => e.EventType));
        Assert.Equal(["Group", "Server", "Group", "Group"], all.Select(e => (string)JsonNode.Parse(e.Data)!["object"]!["kind"]!));
        var ids = all.Select(e => long.Parse(e.EventId!)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.All(all, e => Assert.Equal(e.EventId, (string)JsonNode.Parse(e.Data)!["object"]!["metadata"]!["resourceVersion"]!));

        // Resume from each retained point: exactly the rest, in order (Last-Event-ID and the query agree).
        for (var i = 0; i < ids.Count - 1; i++)
        {
            var rest = await ReadEventsAsync(client, $"{Http.Base}/watch/clusters/{cluster}", ids.Count - i - 1, lastEventId: ids[i].ToString());
            Assert.Equal(ids.Skip(i + 1), rest.Select(e => long.Parse(e.EventId!)));
        }
    }

    [Fact]
    public async Task KindWatch_WithConcurrentWriters_SeesOnlyThatKindOnceInOrder()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var c = $"{Http.Base}/clusters/{cluster}";
        var start = (string)(await client.GetAsync($"{c}/groups").Ok())["metadata"]!["resourceVersion"]!;
        var watch = ReadEventsAsync(factory.Client(), $"{Http.Base}/watch/clusters/{cluster}/groups?resourceVersion={start}", 40);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var writer = factory.Client();
            for (var i = 0; i < 10; i++)
            {
                await writer.PostJson($"{c}/groups", $$$$"""{"metadata":{"name":"w{{{{w}}}}g{{{{i}}}}"}}""").Ok(HttpStatusCode.Created);
                await writer.PostJson($"{c}/events", """{"spec":{"module":"t","message":"noise"}}""").Ok(HttpStatusCode.Created);
            }
        }));
        await Task.WhenAll(writers);
        var seen = await watch;
        Assert.All(seen, e => Assert.Equal("Group", (string)JsonNode.Parse(e.Data)!["object"]!["kind"]!));
        var names = seen.Select(e => (string)JsonNode.Parse(e.Data)!["object"]!["metadata"]!["name"]!).ToList();
        Assert.Equal(40, names.Distinct().Count());
        var ids = seen.Select(e => long.Parse(e.EventId!)).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task Watch_BadResourceVersion_Answers400()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var response = await client.GetAsync($"{Http.Base}/watch/clusters/{cluster}?resourceVersion=abc");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

/// <summary>A store that keeps only 5 changes of history and compacts after every commit.</summary>
public sealed class ShortHistoryApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Store:HistoryMinChanges", "5");
        builder.UseSetting("Store:HistoryMinAge", "00:00:00");
        builder.UseSetting("Store:CompactionInterval", "00:00:00");
    }
}

public class WatchGoneTests(ShortHistoryApiFactory factory) : IClassFixture<ShortHistoryApiFactory>
{
    [Fact]
    public async Task Watch_FromCompactedVersion_Answers410Problem()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var start = (string)(await client.GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok())["metadata"]!["resourceVersion"]!;
        for (var i = 0; i < 20; i++)
        {
            await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", $$$$"""{"metadata":{"name":"g{{{{i}}}}"}}""").Ok(HttpStatusCode.Created);
        }

        var response = await client.GetAsync($"{Http.Base}/watch/clusters/{cluster}?resourceVersion={start}");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:clp:problem:resource-version-gone", (string?)(await response.ReadJson())["type"]);

        // An SSE client that accepts only text/event-stream still gets the problem body.
        using var sseOnly = new HttpRequestMessage(HttpMethod.Get, $"{Http.Base}/watch/clusters/{cluster}?resourceVersion={start}");
        sseOnly.Headers.Accept.ParseAdd("text/event-stream");
        var refused = await client.SendAsync(sseOnly);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("urn:clp:problem:resource-version-gone", (string?)(await refused.ReadJson())["type"]);

        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"{Http.Base}/watch/clusters/no-such-cluster");
        unknown.Headers.Accept.ParseAdd("text/event-stream");
        var missing = await client.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("urn:clp:problem:not-found", (string?)(await missing.ReadJson())["type"]);

        // A recent version still resumes.
        var current = (string)(await client.GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok())["metadata"]!["resourceVersion"]!;
        await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"late"}}""").Ok(HttpStatusCode.Created);
        var events = await WatchTests.ReadEventsAsync(client, $"{Http.Base}/watch/clusters/{cluster}?resourceVersion={current}", 1);
        Assert.Equal("late", (string)JsonNode.Parse(events[0].Data)!["object"]!["metadata"]!["name"]!);
    }
}
