using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>The resourceVersion sequence, transaction atomicity and isolation, and optimistic concurrency.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task ResourceVersion_EmptyStore_IsZero()
    {
        var store = await NewStoreAsync();

        Assert.Equal(0, await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task ResourceVersion_WritesAcrossKindsAndClusters_IncreasesStrictly()
    {
        var store = await NewStoreAsync();
        var versions = new List<long>();
        foreach (var cluster in new[] { NewCluster(), NewCluster(), NewCluster() })
        {
            foreach (var kind in new[] { "Server", "Group", "Monitor" })
            {
                var key = new ObjectKey(kind, cluster, "x1");
                versions.Add((await CreateAsync(store, key)).ResourceVersion);
                versions.Add((await UpdateAsync(store, key, 1)).ResourceVersion);
            }

            versions.Add((await DeleteAsync(store, new ObjectKey("Group", cluster, "x1"))).ResourceVersion);
        }

        versions.Add((await CreateAsync(store, new ObjectKey("Cluster", "", "top"))).ResourceVersion);

        Assert.All(versions.Zip(versions.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.First} < {pair.Second}"));
        Assert.Equal(versions[^1], await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Write_SeveralWritesInOneTransaction_EachTakesANewerVersion()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();

        var results = await store.WriteAsync(async (tx, _) =>
        {
            var a = await tx.CreateAsync(new ObjectKey("Server", cluster, "a"), Envelopes.Make(new ObjectKey("Server", cluster, "a")));
            var b = await tx.CreateAsync(new ObjectKey("Group", cluster, "b"), Envelopes.Make(new ObjectKey("Group", cluster, "b")));
            var a2 = await tx.UpdateAsync(a.Key, Envelopes.Make(a.Key, 1), a.ResourceVersion, specChanged: true);
            return new[] { a.ResourceVersion, b.ResourceVersion, a2.ResourceVersion };
        });

        Assert.True(results[0] < results[1] && results[1] < results[2], string.Join(", ", results));
        Assert.Equal(results[2], await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Write_ReadsInsideTransaction_SeeItsOwnWrites()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var key = new ObjectKey("Server", cluster, "Node1");

        await store.WriteAsync(async (tx, _) =>
        {
            var created = await tx.CreateAsync(key, Envelopes.Make(key, 1));
            Assert.Equal(created, await tx.GetAsync(key with { Name = "NODE1" }));
            Assert.Equal(new[] { created }, await tx.ListAsync("Server", cluster));
            var updated = await tx.UpdateAsync(key, Envelopes.Make(key, 2), created.ResourceVersion, specChanged: true);
            Assert.Equal(updated, await tx.GetAsync(key));
            await tx.DeleteAsync(key, updated.ResourceVersion);
            Assert.Null(await tx.GetAsync(key));
            Assert.Empty(await tx.ListAsync("Server", cluster));
            return 0;
        });

        Assert.Null(await store.GetAsync(key));
    }

    [Fact]
    public async Task Write_UncommittedWrites_AreInvisibleToOtherReaders()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "node1");
        var before = await store.GetResourceVersionAsync();

        var (found, listed, version) = await store.WriteAsync(async (tx, _) =>
        {
            await tx.CreateAsync(key, Envelopes.Make(key));
            return (await store.GetAsync(key), (await store.ListAsync(new ListQuery(key.Kind, key.Cluster))).Items.Count, await store.GetResourceVersionAsync());
        });

        Assert.Null(found);
        Assert.Equal(0, listed);
        Assert.Equal(before, version);
        Assert.NotNull(await store.GetAsync(key));
    }

    [Fact]
    public async Task Write_WorkThrows_RollsBackEveryWrite()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var kept = await CreateAsync(store, new ObjectKey("Server", cluster, "kept"), 1);
        var doomed = new ObjectKey("Group", cluster, "doomed");
        var failure = new InvalidOperationException("work failed on purpose");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(async (tx, _) =>
        {
            await tx.CreateAsync(doomed, Envelopes.Make(doomed));
            await tx.UpdateAsync(kept.Key, Envelopes.Make(kept.Key, 2), kept.ResourceVersion, specChanged: true);
            await tx.DeleteAsync(doomed, null);
            await tx.CreateAsync(doomed, Envelopes.Make(doomed));
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Null(await store.GetAsync(doomed));
        Assert.Equal(kept, await store.GetAsync(kept.Key));
        Assert.Equal(kept.ResourceVersion, await store.GetResourceVersionAsync());
        await using var watch = new WatchProbe(store, new WatchQuery(cluster, null, kept.ResourceVersion));
        var next = await CreateAsync(store, new ObjectKey("Server", cluster, "after"));
        var seen = await watch.NextAsync("the first change after the rolled-back write");
        Assert.Equal((WatchEventType.Added, next.ResourceVersion), (seen.Type, seen.ResourceVersion));
    }

    [Fact]
    public async Task Write_WorkCatchesAFailedWrite_CommitsTheOtherWrites()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var a = new ObjectKey("Server", cluster, "a");
        var b = new ObjectKey("Server", cluster, "b");

        await store.WriteAsync(async (tx, _) =>
        {
            await tx.CreateAsync(a, Envelopes.Make(a, 1));
            await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => tx.CreateAsync(a with { Name = "A" }, Envelopes.Make(a, 2)));
            await Assert.ThrowsAsync<ObjectNotFoundException>(() => tx.UpdateAsync(b, Envelopes.Make(b), null, true));
            return await tx.CreateAsync(b, Envelopes.Make(b, 3));
        });

        Assert.Equal(1, Envelopes.SpecValue((await store.GetAsync(a))!));
        Assert.Equal(3, Envelopes.SpecValue((await store.GetAsync(b))!));
    }

    [Fact]
    public async Task Write_CancelledToken_ThrowsAndWritesNothing()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "node1");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.WriteAsync((tx, _) => tx.CreateAsync(key, Envelopes.Make(key)), cancelled.Token));

        Assert.Null(await store.GetAsync(key));
        Assert.Equal(0, await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Update_StaleExpectedVersion_ThrowsConflictAndKeepsObject()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "node1");
        var created = await CreateAsync(store, key);
        var current = await UpdateAsync(store, key, 1, created.ResourceVersion);

        var error = await Assert.ThrowsAsync<ResourceVersionConflictException>(() => UpdateAsync(store, key, 2, created.ResourceVersion));

        Assert.Equal((key, created.ResourceVersion, current.ResourceVersion), (error.Key, error.Expected, error.Actual));
        Assert.Equal(current, await store.GetAsync(key));
    }

    [Fact]
    public async Task Delete_StaleExpectedVersion_ThrowsConflictAndKeepsObject()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "node1");
        var created = await CreateAsync(store, key);
        var current = await UpdateAsync(store, key, 1);

        var error = await Assert.ThrowsAsync<ResourceVersionConflictException>(() => DeleteAsync(store, key, created.ResourceVersion));

        Assert.Equal((created.ResourceVersion, current.ResourceVersion), (error.Expected, error.Actual));
        Assert.Equal(current, await store.GetAsync(key));
        Assert.NotNull(await DeleteAsync(store, key, current.ResourceVersion));
    }

    [Fact]
    public async Task Update_ParallelWritersWithSameExpectedVersion_ExactlyOneSucceeds()
    {
        const int Writers = 32;
        var store = await NewStoreAsync();
        var key = new ObjectKey("Group", NewCluster(), "failover1");
        var created = await CreateAsync(store, key);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(1, Writers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                return (Winner: (StoredObject?)await UpdateAsync(store, key, i, created.ResourceVersion), Conflict: (ResourceVersionConflictException?)null);
            }
            catch (ResourceVersionConflictException conflict)
            {
                return (Winner: null, Conflict: conflict);
            }
        })).ToList();
        start.SetResult();
        var outcomes = await Bounded.Within(Task.WhenAll(attempts), $"{Writers} parallel compare-and-swap updates of {key}");

        var winner = Assert.Single(outcomes, o => o.Winner is not null).Winner!;
        var conflicts = outcomes.Where(o => o.Conflict is not null).Select(o => o.Conflict!).ToList();
        Assert.Equal(Writers - 1, conflicts.Count);
        Assert.All(conflicts, c => Assert.Equal((created.ResourceVersion, winner.ResourceVersion), (c.Expected, c.Actual)));
        Assert.Equal(winner, await store.GetAsync(key));
        Assert.Equal(2, winner.Generation);
        Assert.Equal(winner.ResourceVersion, await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Create_ParallelWritersOfDistinctObjects_AllCommitWithDistinctVersions()
    {
        const int Writers = 32;
        var store = await NewStoreAsync();
        var cluster = NewCluster();

        var created = await Bounded.Within(
            Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => CreateAsync(store, new ObjectKey("Server", cluster, $"n{i:00}"), i)))),
            $"{Writers} parallel creates");

        Assert.Equal(Writers, created.Select(c => c.ResourceVersion).Distinct().Count());
        Assert.Equal(created.Max(c => c.ResourceVersion), await store.GetResourceVersionAsync());
        Assert.Equal(Writers, (await store.ListAsync(new ListQuery("Server", cluster))).Items.Count);
    }
}
