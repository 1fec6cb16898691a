using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Create, get, update and delete of single objects, and the metadata the store owns.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Create_CallerSetsStoreOwnedMetadata_StoreOverwritesItAndKeepsTheRest()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "Server1");
        var json = new JsonObject
        {
            ["kind"] = "Server",
            ["metadata"] = new JsonObject
            {
                ["name"] = "wrong", ["cluster"] = "other", ["uid"] = "caller-uid", ["resourceVersion"] = "999",
                ["generation"] = 42, ["creationTimestamp"] = "1999-01-01T00:00:00Z", ["labels"] = new JsonObject { ["role"] = "db" },
            },
            ["spec"] = new JsonObject { ["address"] = "10.0.0.1", ["weights"] = new JsonArray(1, 2.5) },
        }.ToJsonString();

        var created = await store.WriteAsync((tx, _) => tx.CreateAsync(key, json));

        Assert.Equal(key, created.Key);
        Assert.True(Guid.TryParse(created.Uid, out _), $"uid '{created.Uid}' is a GUID");
        Assert.True(created.ResourceVersion > 0);
        Assert.Equal(1, created.Generation);
        Assert.Equal(Time.GetUtcNow(), created.CreatedAt);
        var metadata = Envelopes.Metadata(created);
        Assert.Equal("Server1", Envelopes.Text(metadata, "name"));
        Assert.Equal(key.Cluster, Envelopes.Text(metadata, "cluster"));
        Assert.Equal(created.Uid, Envelopes.Text(metadata, "uid"));
        Assert.Equal(JsonValueKind.String, metadata["resourceVersion"]!.GetValueKind());
        Assert.Equal(Envelopes.Rv(created.ResourceVersion), Envelopes.Text(metadata, "resourceVersion"));
        Assert.Equal(1, (long)metadata["generation"]!);
        Assert.Equal(Time.GetUtcNow(), DateTimeOffset.Parse(Envelopes.Text(metadata, "creationTimestamp"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("db", (string)metadata["labels"]!["role"]!);
        var spec = JsonNode.Parse(created.Json)!["spec"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"address":"10.0.0.1","weights":[1,2.5]}"""), spec), spec.ToJsonString());
        Assert.Equal(created, await store.GetAsync(key));
    }

    [Fact]
    public async Task Create_Cluster_LivesAtTopLevelWithoutMetadataCluster()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Cluster", "", "Prod");

        var created = await CreateAsync(store, key);

        var metadata = Envelopes.Metadata(created);
        Assert.True(metadata["cluster"] is null, $"metadata.cluster of a Cluster is omitted: {created.Json}");
        Assert.Equal("Prod", Envelopes.Text(metadata, "name"));
        Assert.Equal(created, await store.GetAsync(key));
    }

    [Fact]
    public async Task Create_SecretHash_IsKeptBesideTheJson()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("ApiKey", NewCluster(), "agent-1");

        var created = await store.WriteAsync((tx, _) => tx.CreateAsync(key, Envelopes.Make(key), "sha256:abc"));
        var updated = await UpdateAsync(store, key, 1, specChanged: false);

        Assert.Equal("sha256:abc", created.SecretHash);
        Assert.DoesNotContain("sha256:abc", created.Json, StringComparison.Ordinal);
        Assert.Equal("sha256:abc", updated.SecretHash);
        Assert.Equal("sha256:abc", (await store.GetAsync(key))!.SecretHash);
    }

    [Fact]
    public async Task Create_NameDiffersOnlyInCase_ThrowsAlreadyExists()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        await CreateAsync(store, new ObjectKey("Server", cluster, "Web1"));

        var error = await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => CreateAsync(store, new ObjectKey("Server", cluster, "WEB1")));

        Assert.Equal("WEB1", error.Key.Name);
        Assert.Contains("Web1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SameNameInAnotherKindOrCluster_Succeeds()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var other = NewCluster();

        var server = await CreateAsync(store, new ObjectKey("Server", cluster, "node1"), 1);
        var group = await CreateAsync(store, new ObjectKey("Group", cluster, "node1"), 2);
        var elsewhere = await CreateAsync(store, new ObjectKey("Server", other, "node1"), 3);

        Assert.Equal(1, Envelopes.SpecValue((await store.GetAsync(server.Key))!));
        Assert.Equal(2, Envelopes.SpecValue((await store.GetAsync(group.Key))!));
        Assert.Equal(3, Envelopes.SpecValue((await store.GetAsync(elsewhere.Key))!));
    }

    [Fact]
    public async Task Get_NameInOtherCase_ReturnsObjectWithStoredName()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var created = await CreateAsync(store, new ObjectKey("Server", cluster, "Web1"));

        var found = await store.GetAsync(new ObjectKey("Server", cluster, "wEB1"));

        Assert.Equal(created, found);
        Assert.Equal("Web1", found!.Key.Name);
    }

    [Fact]
    public async Task Get_MissingObject_ReturnsNull()
    {
        var store = await NewStoreAsync();

        Assert.Null(await store.GetAsync(new ObjectKey("Server", NewCluster(), "absent")));
    }

    [Fact]
    public async Task Update_SpecChanged_IncrementsGenerationAndKeepsIdentity()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        var created = await CreateAsync(store, new ObjectKey("Server", cluster, "Web1"), 1);
        Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await UpdateAsync(store, new ObjectKey("Server", cluster, "WEB1"), 2, specChanged: true);

        Assert.Equal(created.Key, updated.Key);
        Assert.Equal(created.Uid, updated.Uid);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(2, updated.Generation);
        Assert.True(updated.ResourceVersion > created.ResourceVersion);
        var metadata = Envelopes.Metadata(updated);
        Assert.Equal("Web1", Envelopes.Text(metadata, "name"));
        Assert.Equal(Envelopes.Rv(updated.ResourceVersion), Envelopes.Text(metadata, "resourceVersion"));
        Assert.Equal(Envelopes.Text(Envelopes.Metadata(created), "creationTimestamp"), Envelopes.Text(metadata, "creationTimestamp"));
        Assert.Equal(2, (long)metadata["generation"]!);
        Assert.Equal(2, Envelopes.SpecValue(updated));
        Assert.Equal(updated, await store.GetAsync(created.Key));
    }

    [Fact]
    public async Task Update_SpecUnchanged_KeepsGeneration()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Group", NewCluster(), "failover1");
        var created = await CreateAsync(store, key);

        var updated = await store.WriteAsync((tx, _) => tx.UpdateAsync(key, Envelopes.Make(key, 0, phase: "Online"), null, specChanged: false));

        Assert.Equal(1, updated.Generation);
        Assert.Equal(1, (long)Envelopes.Metadata(updated)["generation"]!);
        Assert.True(updated.ResourceVersion > created.ResourceVersion);
        Assert.Equal("Online", Envelopes.Phase((await store.GetAsync(key))!));
    }

    [Fact]
    public async Task Update_MissingObject_ThrowsNotFound()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "absent");

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => UpdateAsync(store, key, 1));

        Assert.Equal(key, error.Key);
        Assert.Equal(0, await store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Delete_ExistingObject_RemovesItAndReturnsLastState()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Resource", NewCluster(), "fip1");
        var updated = await store.WriteAsync(async (tx, _) =>
        {
            await tx.CreateAsync(key, Envelopes.Make(key, 1));
            return await tx.UpdateAsync(key, Envelopes.Make(key, 7), null, specChanged: true);
        });

        var deleted = await DeleteAsync(store, key);

        Assert.True(deleted.ResourceVersion > updated.ResourceVersion);
        Assert.Equal(await store.GetResourceVersionAsync(), deleted.ResourceVersion);
        Assert.Equal((updated.Uid, updated.Generation, updated.CreatedAt), (deleted.Uid, deleted.Generation, deleted.CreatedAt));
        Assert.Equal(7, Envelopes.SpecValue(deleted));
        Assert.Equal(Envelopes.Rv(deleted.ResourceVersion), Envelopes.Text(Envelopes.Metadata(deleted), "resourceVersion"));
        Assert.Null(await store.GetAsync(key));
        Assert.Empty((await store.ListAsync(new ListQuery(key.Kind, key.Cluster))).Items);
    }

    [Fact]
    public async Task Delete_MissingObject_ThrowsNotFound()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "absent");

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => DeleteAsync(store, key));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public async Task Create_AfterDelete_GetsNewUidAndFirstGeneration()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "node1");
        var first = await CreateAsync(store, key);
        await UpdateAsync(store, key, 1);
        await DeleteAsync(store, key);

        var second = await CreateAsync(store, key);

        Assert.NotEqual(first.Uid, second.Uid);
        Assert.Equal(1, second.Generation);
    }

    [Fact]
    public async Task StoreUid_TwoNewStores_AreSetAndDiffer()
    {
        var one = await NewStoreAsync();
        var two = await NewStoreAsync();

        Assert.False(string.IsNullOrWhiteSpace(one.StoreUid));
        Assert.NotEqual(one.StoreUid, two.StoreUid);
    }
}
