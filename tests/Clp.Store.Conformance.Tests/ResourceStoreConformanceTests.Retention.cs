using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>History retention: a change is compacted only when it is both older than the minimum age and
/// outside the newest minimum count; a watch from before the retained history is answered with Gone.</summary>
/// <remarks>Each scenario writes, advances the fake clock (the only clock driver) and writes once more so
/// the backend compacts; <see cref="SmallRetention"/> keeps 5 changes and 1 minute.</remarks>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Retention_ChangesExactlyMinAgeOld_AreKept()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var old = await WriteHistoryAsync(store, cluster, 10);
        Time.Advance(SmallRetention.HistoryMinAge);

        var trigger = await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        await using var watch = new WatchProbe(store, new WatchQuery(cluster, null, start));
        var seen = await watch.TakeAsync(11, "the whole history, none of it older than the minimum age");
        Assert.Equal(old.Append(trigger.ResourceVersion), seen.Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task Retention_ChangesOneStepPastMinAge_AreCompactedDownToMinChanges()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var old = await WriteHistoryAsync(store, cluster, 10);
        Time.Advance(SmallRetention.HistoryMinAge + TimeResolution);

        var trigger = await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        // The newest five are old[6..9] and the trigger: a watch after old[5] is whole, one after old[4] is not.
        await using (var kept = new WatchProbe(store, new WatchQuery(cluster, null, old[5])))
        {
            var seen = await kept.TakeAsync(5, "the five retained changes");
            Assert.Equal(old.Skip(6).Append(trigger.ResourceVersion), seen.Select(e => e.ResourceVersion));
        }

        await using var gone = new WatchProbe(store, new WatchQuery(cluster, null, old[4]));
        var error = await Assert.ThrowsAsync<ResourceVersionGoneException>(() => gone.NextAsync("Gone for a compacted version"));
        Assert.Equal(old[4], error.Requested);
    }

    [Fact]
    public async Task Retention_MoreThanMinChangesYoungerThanMinAge_AreAllKept()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var older = await WriteHistoryAsync(store, cluster, 10, "older");
        Time.Advance(TimeSpan.FromSeconds(30));
        var younger = await WriteHistoryAsync(store, cluster, 10, "younger");
        Time.Advance(TimeSpan.FromSeconds(30) + TimeResolution);

        var trigger = await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        await using (var kept = new WatchProbe(store, new WatchQuery(cluster, null, older[^1])))
        {
            var seen = await kept.TakeAsync(11, "the 11 changes younger than the minimum age");
            Assert.Equal(younger.Append(trigger.ResourceVersion), seen.Select(e => e.ResourceVersion));
        }

        await using var gone = new WatchProbe(store, new WatchQuery(cluster, null, older[^2]));
        await Assert.ThrowsAsync<ResourceVersionGoneException>(() => gone.NextAsync("Gone for the compacted older changes"));
    }

    [Fact]
    public async Task Watch_FromZeroAfterCompaction_ThrowsGone()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        await WriteHistoryAsync(store, cluster, 10);
        Time.Advance(TimeSpan.FromMinutes(2));
        await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        await using var watch = new WatchProbe(store, new WatchQuery(cluster, "Server", 0));

        var error = await Assert.ThrowsAsync<ResourceVersionGoneException>(() => watch.NextAsync("Gone for a watch from 0"));
        Assert.Equal(0, error.Requested);
    }

    [Fact]
    public async Task Watch_ReaderFallsBehindCompaction_ThrowsGoneMidStream()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var first = await CreateAsync(store, new ObjectKey("Server", cluster, "first"));
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, null, start));
        Assert.Equal(first.ResourceVersion, (await watch.NextAsync("the first change")).ResourceVersion);

        await WriteHistoryAsync(store, cluster, 10);
        Time.Advance(TimeSpan.FromMinutes(2));
        await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));

        await Assert.ThrowsAsync<ResourceVersionGoneException>(() => watch.NextAsync("Gone after falling behind compaction"));
    }

    [Fact]
    public async Task Watch_PerKindReadPastOtherKinds_IsNotGoneWhenTheyAreCompacted()
    {
        var store = await NewStoreAsync(SmallRetention);
        var cluster = NewCluster();
        var start = await store.GetResourceVersionAsync();
        var g1 = await CreateAsync(store, new ObjectKey("Group", cluster, "g1"));
        var servers = await WriteHistoryAsync(store, cluster, 10);
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, "Group", start));
        Assert.Equal(g1.ResourceVersion, (await watch.NextAsync("Group g1")).ResourceVersion);

        // The watch has looked at everything up to the last Server; compaction removes g1 and older Servers.
        Time.Advance(TimeSpan.FromMinutes(2));
        await CreateAsync(store, new ObjectKey("Server", cluster, "trigger"));
        var g2 = await CreateAsync(store, new ObjectKey("Group", cluster, "g2"));

        Assert.Equal(g2.ResourceVersion, (await watch.NextAsync($"Group g2 after compaction past rv {servers[5]}")).ResourceVersion);
    }
}
