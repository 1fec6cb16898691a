using System.Globalization;
using Clp.Client.Problems;
using Clp.Client.Tests.Support;
using Clp.Client.Watching;
using Clp.Core.Model;

namespace Clp.Client.Tests.Watching;

/// <summary>The watcher against the real API in-process: every change once and in order, resume from the last
/// id after the stream is cut, relist when the resume point is gone, terminal errors and cancellation.</summary>
public class ClpWatcherTests(ClpApiFactory factory) : IClassFixture<ClpApiFactory>
{
    private static readonly ClpWatcherOptions NoIdle = new() { IdleTimeout = Timeout.InfiniteTimeSpan };

    private static Task<long> NoRelist(CancellationToken ct) => throw new InvalidOperationException("no relist expected");

    [Fact]
    public async Task WatchCluster_ConcurrentWriters_SeesEveryChangeOnceInOrder()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var other = await client.NewClusterAsync();
        var start = (await client.Groups.ListGroupsAsync(cluster)).Metadata.Version;
        await using var pump = new WatchPump(ct => client.Watcher.WatchClusterAsync(cluster, NoRelist, start, ct));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var writer = factory.Client();
            for (var i = 0; i < 5; i++)
            {
                await writer.Groups.CreateGroupAsync(cluster, Sample.Group($"w{w}g{i}"));
                await writer.Groups.CreateGroupAsync(other, Sample.Group($"w{w}g{i}"));
            }
        })));
        var events = await pump.NextAsync(20, $"the 20 group creations in {cluster}");
        await client.Servers.CreateServerAsync(cluster, Sample.Server("sentinel", 1));
        var sentinel = await pump.NextAsync("the sentinel server");

        Assert.All(events, e => Assert.Equal((WatchEventType.Added, "Group", cluster), (e.Type, e.Kind, e.Cluster)));
        Assert.Equal(20, events.Select(e => e.Name).Distinct().Count());
        var versions = events.Select(e => e.ResourceVersion).Append(sentinel.ResourceVersion).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(("Server", "sentinel"), (sentinel.Kind, sentinel.Name));
        Assert.Equal(events[0].ResourceVersion.ToString(CultureInfo.InvariantCulture), events[0].As<Group>().Metadata.ResourceVersion);
    }

    [Fact]
    public async Task WatchCluster_StreamCut_ResumesFromTheLastIdWithoutGapOrDuplicate()
    {
        var tap = new WatchTap();
        var time = new SignalingTimeProvider();
        var client = factory.Client(time: time, watcherOptions: NoIdle, handlers: [tap]);
        var cluster = await client.NewClusterAsync();
        var start = (await client.Groups.ListGroupsAsync(cluster)).Metadata.Version;
        await using var pump = new WatchPump(ct => client.Watcher.WatchClusterAsync(cluster, NoRelist, start, ct));
        Assert.Equal($"{start}", (await tap.NextRequestAsync("the first watch request")).LastEventId);
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("g1"));
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("g2"));
        var before = await pump.NextAsync(2, "g1 and g2 before the cut");

        tap.Hold = true;
        tap.CutAll();
        var resume = await tap.NextRequestAsync("the reconnect after the cut");
        // Written while the reconnect is held: only a resume from the last id can deliver it.
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("g3"));
        resume.Release();
        var after = await pump.NextAsync("g3 after the resume");
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("g4"));
        var next = await pump.NextAsync("g4, the event after g3");

        Assert.Equal($"{before[1].ResourceVersion}", resume.LastEventId);
        Assert.Equal(["g1", "g2", "g3", "g4"], before.Append(after).Append(next).Select(e => e.Name));
        Assert.False(time.HasPendingTimer, "a stream that delivered events is resumed at once, without a backoff");
    }

    [Fact]
    public async Task WatchKind_WithoutResumePoint_RelistsFirstThenStreamsAfterTheList()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("old"));
        var listed = new List<string>();
        await using var pump = new WatchPump(ct => client.Watcher.WatchKindAsync(Kinds.Group, cluster, async c =>
        {
            var list = await client.Groups.ListGroupsAsync(cluster, cancellationToken: c);
            listed.AddRange(list.Items.Select(g => g.Metadata.Name));
            return list.Metadata.Version;
        }, cancellationToken: ct));

        var marker = await pump.NextAsync("the Relisted marker");
        await client.Servers.CreateServerAsync(cluster, Sample.Server("s1", 1));
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("new"));
        var added = await pump.NextAsync("the new group");

        Assert.Equal(WatchEventType.Relisted, marker.Type);
        Assert.Equal(["old"], listed);
        Assert.Equal((WatchEventType.Added, "new"), (added.Type, added.Name));
        Assert.True(added.ResourceVersion > marker.ResourceVersion, $"{added} comes after {marker}");
    }

    [Fact]
    public async Task WatchCluster_UnknownCluster_ThrowsNotFound()
    {
        var client = factory.Client();

        var e = await Assert.ThrowsAsync<ClpNotFoundException>(async () =>
        {
            await foreach (var _ in client.Watcher.WatchClusterAsync(Sample.Fresh("none"), NoRelist, after: 1))
            {
            }
        }).WaitAsync("the 404 of a watch of an unknown cluster");

        Assert.Contains("does not exist", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchCluster_Cancelled_EndsTheEnumerationCleanly()
    {
        var tap = new WatchTap();
        var client = factory.Client(handlers: [tap]);
        var cluster = await client.NewClusterAsync();
        var pump = new WatchPump(ct => client.Watcher.WatchClusterAsync(cluster, NoRelist, after: 1, ct));
        await tap.NextRequestAsync("the watch request");

        pump.Stop();

        await pump.Completion.WaitAsync("the end of the cancelled enumeration");
        await pump.DisposeAsync();
    }
}

/// <summary>The watcher over a store that keeps only 5 changes: a stale resume point relists.</summary>
public class ClpWatcherGoneTests(ShortHistoryApiFactory factory) : IClassFixture<ShortHistoryApiFactory>
{
    [Fact]
    public async Task WatchCluster_ResumePointCompacted_RelistsOnceAndContinuesAfterTheList()
    {
        var time = new SignalingTimeProvider();
        var client = factory.Client(time: time, watcherOptions: new() { IdleTimeout = Timeout.InfiniteTimeSpan });
        var cluster = await client.NewClusterAsync();
        var stale = (await client.Groups.ListGroupsAsync(cluster)).Metadata.Version;
        Group last = null!;
        for (var i = 0; i < 20; i++)
        {
            last = await client.Groups.CreateGroupAsync(cluster, Sample.Group($"g{i}"));
        }

        var relists = 0;
        await using var pump = new WatchPump(ct => client.Watcher.WatchClusterAsync(cluster, async c =>
        {
            Interlocked.Increment(ref relists);
            return (await client.Groups.ListGroupsAsync(cluster, cancellationToken: c)).Metadata.Version;
        }, stale, ct));

        var marker = await pump.NextAsync("the Relisted marker after the 410");
        await client.Groups.CreateGroupAsync(cluster, Sample.Group("fresh"));
        var added = await pump.NextAsync("the group created after the relist");

        Assert.Equal(WatchEventType.Relisted, marker.Type);
        Assert.True(marker.ResourceVersion >= long.Parse(last.Metadata.ResourceVersion!, CultureInfo.InvariantCulture), $"{marker} covers the last write");
        Assert.Equal(("fresh", 1), (added.Name, relists));
        Assert.False(time.HasPendingTimer, "the first 410 relists at once, without a backoff");
    }
}
