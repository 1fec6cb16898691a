using System.Collections.Concurrent;
using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Watches: every change after the start, once, in resourceVersion order, scoped to a cluster
/// (and kind), first from history and then live.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Watch_FromEachRetainedVersion_YieldsEveryLaterChangeOnceInOrder()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var other = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var server = new ObjectKey("Server", cluster, "node1");
        var group = new ObjectKey("Group", cluster, "failover1");
        var expected = new List<(WatchEventType Type, StoredObject Object)>
        {
            (WatchEventType.Added, await CreateAsync(store, server, 1)),
            (WatchEventType.Added, await CreateAsync(store, group, 1)),
        };
        await CreateAsync(store, new ObjectKey("Server", other, "node1"));
        expected.Add((WatchEventType.Modified, await UpdateAsync(store, server, 2)));
        await UpdateAsync(store, new ObjectKey("Server", other, "node1"), 2);
        expected.Add((WatchEventType.Deleted, await DeleteAsync(store, group)));
        expected.Add((WatchEventType.Added, await CreateAsync(store, new ObjectKey("Server", cluster, "node2"))));
        var starts = new[] { start }.Concat(expected.Select(e => e.Object.ResourceVersion)).ToList();

        var probes = starts.Select(after => new WatchProbe(store, new WatchQuery(cluster, null, after))).ToList();
        try
        {
            for (var i = 0; i < probes.Count; i++)
            {
                var seen = await probes[i].TakeAsync(expected.Count - i, $"history after rv {starts[i]}");
                Assert.Equal(expected.Skip(i).Select(e => (e.Type, e.Object.ResourceVersion, e.Object)), seen.Select(e => (e.Type, e.ResourceVersion, e.Object)));
            }

            var sentinel = await CreateAsync(store, new ObjectKey("Server", cluster, "sentinel"));
            foreach (var probe in probes)
            {
                Assert.Equal(sentinel.ResourceVersion, (await probe.NextAsync("the live sentinel change")).ResourceVersion);
            }
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Watch_LongHistoryFromOneTransaction_YieldsEveryChangeInOrder()
    {
        const int Count = 600;
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var written = await store.WriteAsync(async (tx, _) =>
        {
            var versions = new List<long>();
            for (var i = 0; i < Count; i++)
            {
                var key = new ObjectKey(i % 2 == 0 ? "Server" : "Event", cluster, $"o{i:000}");
                versions.Add((await tx.CreateAsync(key, Envelopes.Make(key, i))).ResourceVersion);
            }

            return versions;
        });
        await using var all = new WatchProbe(store, new WatchQuery(cluster, null, start));
        await using var servers = new WatchProbe(store, new WatchQuery(cluster, "Server", start));

        Assert.Equal(written, (await all.TakeAsync(Count, "the long history")).Select(e => e.ResourceVersion));
        Assert.Equal(written.Where((_, i) => i % 2 == 0), (await servers.TakeAsync(Count / 2, "the Servers of the long history")).Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task Watch_Delete_CarriesLastStateWithTheDeletionVersion()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Resource", NewCluster(), "fip1");
        var updated = await store.WriteAsync(async (tx, _) =>
        {
            await tx.CreateAsync(key, Envelopes.Make(key, 1));
            return await tx.UpdateAsync(key, Envelopes.Make(key, 5), null, specChanged: true);
        });
        await using var watch = new WatchProbe(store, new WatchQuery(key.Cluster, key.Kind, updated.ResourceVersion));

        var deleted = await DeleteAsync(store, key);
        var seen = await watch.NextAsync("the deletion of fip1");

        Assert.Equal((WatchEventType.Deleted, deleted.ResourceVersion, deleted.ResourceVersion), (seen.Type, seen.ResourceVersion, seen.Object.ResourceVersion));
        Assert.Equal((updated.Uid, updated.Generation, 5), (seen.Object.Uid, seen.Object.Generation, Envelopes.SpecValue(seen.Object)));
        Assert.Equal(Envelopes.Rv(deleted.ResourceVersion), Envelopes.Text(Envelopes.Metadata(seen.Object), "resourceVersion"));
    }

    [Fact]
    public async Task Watch_PerKind_YieldsOnlyThatKind()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        await CreateAsync(store, new ObjectKey("Group", cluster, "g1"));
        var s1 = await CreateAsync(store, new ObjectKey("Server", cluster, "s1"));
        await CreateAsync(store, new ObjectKey("Server", NewCluster(), "s1"));
        await UpdateAsync(store, new ObjectKey("Group", cluster, "g1"), 1);
        var s1Deleted = await DeleteAsync(store, s1.Key);
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, "Server", start));

        var seen = await watch.TakeAsync(2, "Server changes");
        var live = await CreateAsync(store, new ObjectKey("Server", cluster, "s2"));
        await CreateAsync(store, new ObjectKey("Group", cluster, "g2"));
        var last = await CreateAsync(store, new ObjectKey("Server", cluster, "s3"));

        Assert.Equal([s1.ResourceVersion, s1Deleted.ResourceVersion], seen.Select(e => e.ResourceVersion));
        Assert.Equal(live.ResourceVersion, (await watch.NextAsync("the live Server s2")).ResourceVersion);
        Assert.Equal(last.ResourceVersion, (await watch.NextAsync("the live Server s3, skipping Group g2")).ResourceVersion);
    }

    [Fact]
    public async Task Watch_Clusters_YieldsTopLevelChanges()
    {
        var store = await NewStoreAsync();
        var start = await store.GetResourceVersionAsync();
        var prod = await CreateAsync(store, new ObjectKey("Cluster", "", "prod"));
        await CreateAsync(store, new ObjectKey("Server", "prod", "node1"));
        var dev = await CreateAsync(store, new ObjectKey("Cluster", "", "dev"));
        await using var watch = new WatchProbe(store, new WatchQuery("", "Cluster", start));

        var seen = await watch.TakeAsync(2, "Cluster changes");

        Assert.Equal([prod.ResourceVersion, dev.ResourceVersion], seen.Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task Watch_FromCurrentVersion_YieldsOnlyLaterChanges()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        await WriteHistoryAsync(store, cluster, 3);
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, null, await store.GetResourceVersionAsync()));

        var next = await CreateAsync(store, new ObjectKey("Server", cluster, "later"));

        Assert.Equal(next.ResourceVersion, (await watch.NextAsync("the first change after the current version")).ResourceVersion);
    }

    [Fact]
    public async Task Watch_CancelledByCaller_EndsWithCancellation()
    {
        var store = await NewStoreAsync();
        using var cancel = new CancellationTokenSource();
        var enumerator = store.WatchAsync(new WatchQuery(NewCluster(), null, 0), cancel.Token).GetAsyncEnumerator(cancel.Token);
        var pending = enumerator.MoveNextAsync().AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded.Within(pending, "the cancelled watch to end"));
        await enumerator.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Server")]
    public async Task Watch_ConcurrentWriters_SeesEveryChangeExactlyOnceInOrder(string? kind)
    {
        const int Writers = 4;
        const int Rounds = 15;
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var other = NewCluster();
        var committed = new ConcurrentBag<StoredObject>();
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, kind, await store.GetResourceVersionAsync()));
        var consumer = Task.Run(async () =>
        {
            var seen = new List<WatchEvent>();
            while (seen.Count == 0 || seen[^1].Object.Key.Name != "sentinel")
            {
                seen.Add(await watch.NextAsync($"change {seen.Count + 1} while {Writers} writers run"));
            }

            return seen;
        });

        await Bounded.Within(Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var server = new ObjectKey("Server", cluster, $"s{w}-{round}");
                var group = new ObjectKey("Group", cluster, $"g{w}-{round}");
                var pair = await store.WriteAsync(async (tx, _) =>
                    new[] { await tx.CreateAsync(server, Envelopes.Make(server)), await tx.CreateAsync(group, Envelopes.Make(group)) });
                Array.ForEach(pair, committed.Add);
                committed.Add(await UpdateAsync(store, server, round));
                committed.Add(await DeleteAsync(store, group));
                await CreateAsync(store, new ObjectKey("Server", other, $"s{w}-{round}"));
            }
        }))), $"{Writers} writers", TimeSpan.FromSeconds(60));
        var sentinel = await CreateAsync(store, new ObjectKey("Server", cluster, "sentinel"));
        var events = await Bounded.Within(consumer, "the watcher to reach the sentinel", TimeSpan.FromSeconds(60));

        var expected = committed.Where(o => kind is null || o.Key.Kind == kind).Select(o => o.ResourceVersion).Append(sentinel.ResourceVersion).Order().ToList();
        Assert.Equal(expected, events.Select(e => e.ResourceVersion));
        Assert.All(events, e => Assert.Equal(cluster, e.Object.Key.Cluster));
    }
}
