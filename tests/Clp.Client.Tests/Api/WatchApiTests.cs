using System.Net.ServerSentEvents;
using Clp.Client.Problems;
using Clp.Client.Tests.Support;

namespace Clp.Client.Tests.Api;

/// <summary>The raw change-feed methods answer the open stream, and their errors become typed exceptions
/// through <see cref="ClpResponseExtensions.EnsureClpSuccessAsync"/>.</summary>
public class WatchApiTests(ShortHistoryApiFactory factory) : IClassFixture<ShortHistoryApiFactory>
{
    [Fact]
    public async Task WatchGroups_FromRetainedVersion_StreamsTheChange()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var start = (await client.Groups.ListGroupsAsync(cluster)).Metadata.ResourceVersion;
        var group = await client.Groups.CreateGroupAsync(cluster, Sample.Group("g1"));

        using var response = await client.Watch.WatchGroupsAsync(cluster, lastEventId: start);
        await response.EnsureClpSuccessAsync();
        using var cts = new CancellationTokenSource(Bounded.Limit);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        await using var items = SseParser.Create(stream).EnumerateAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await items.MoveNextAsync(), "the stream ended before the group's event");
        Assert.Equal(("Added", group.Metadata.ResourceVersion), (items.Current.EventType, items.Current.EventId));
    }

    [Fact]
    public async Task WatchCluster_CompactedVersion_EnsureSuccessThrowsGone()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var start = (await client.Groups.ListGroupsAsync(cluster)).Metadata.ResourceVersion;
        for (var i = 0; i < 10; i++)
        {
            await client.Groups.CreateGroupAsync(cluster, Sample.Group($"g{i}"));
        }

        var response = await client.Watch.WatchClusterAsync(cluster, resourceVersion: start);

        var e = await Assert.ThrowsAsync<ClpGoneException>(() => response.EnsureClpSuccessAsync());
        Assert.Equal(Core.Problems.ProblemTypes.Gone, e.Type);
    }
}
