using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Persistence across close and reopen: objects, the resourceVersion sequence, the history, the
/// compaction bound and the store uid.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Reopen_AfterDispose_KeepsObjectsHistoryVersionAndStoreUid()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var kept = await CreateAsync(store, new ObjectKey("Server", cluster, "Kept"), 1);
        var gone = await CreateAsync(store, new ObjectKey("Group", cluster, "gone"));
        kept = await UpdateAsync(store, kept.Key, 2);
        await DeleteAsync(store, gone.Key);
        var top = await CreateAsync(store, new ObjectKey("Cluster", "", cluster));
        var (uid, version) = (store.StoreUid, await store.GetResourceVersionAsync());

        var reopened = await ReopenStoreAsync(store);

        Assert.Equal(uid, reopened.StoreUid);
        Assert.Equal(version, await reopened.GetResourceVersionAsync());
        Assert.Equal(kept, await reopened.GetAsync(kept.Key));
        Assert.Equal(top, await reopened.GetAsync(top.Key));
        Assert.Null(await reopened.GetAsync(gone.Key));
        await using var watch = new WatchProbe(reopened, new WatchQuery(cluster, null, start));
        Assert.Equal(4, (await watch.TakeAsync(4, "the history written before the reopen")).Count);
        var next = await CreateAsync(reopened, new ObjectKey("Server", cluster, "next"));
        Assert.True(next.ResourceVersion > version, $"{next.ResourceVersion} > {version}");
        Assert.Equal(next.ResourceVersion, (await watch.NextAsync("the first write after the reopen")).ResourceVersion);
    }

    [Fact]
    public async Task Reopen_After200SequentialWrites_KeepsEveryWrite()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var written = new List<StoredObject>();
        for (var i = 0; i < 200; i++)
        {
            var kind = (i % 3) switch { 0 => "Server", 1 => "Group", _ => "Resource" };
            written.Add(await CreateAsync(store, new ObjectKey(kind, cluster, $"o{i:000}"), i));
        }

        var reopened = await ReopenStoreAsync(store);

        foreach (var expected in written)
        {
            Assert.Equal(expected, await reopened.GetAsync(expected.Key));
        }

        Assert.Equal(written[^1].ResourceVersion, await reopened.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Reopen_AfterCompaction_KeepsTheBoundAndNeverReusesVersions()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var old = await WriteHistoryAsync(store, cluster, 10);
        Time.Advance(TimeSpan.FromMinutes(2));
        var trigger = await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        var reopened = await ReopenStoreAsync(store, SmallRetention);

        await using (var gone = new WatchProbe(reopened, new WatchQuery(cluster, null, old[4])))
        {
            await Assert.ThrowsAsync<ResourceVersionGoneException>(() => gone.NextAsync("Gone for a version compacted before the reopen"));
        }

        await using var kept = new WatchProbe(reopened, new WatchQuery(cluster, null, old[5]));
        Assert.Equal(5, (await kept.TakeAsync(5, "the retained history after the reopen")).Count);
        var next = await CreateAsync(reopened, new ObjectKey("Server", cluster, "next"));
        Assert.True(next.ResourceVersion > trigger.ResourceVersion, $"{next.ResourceVersion} > {trigger.ResourceVersion}");
    }
}
