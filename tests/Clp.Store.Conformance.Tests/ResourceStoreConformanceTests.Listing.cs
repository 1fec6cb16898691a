using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Listing: scope, order by lower-case name, filter before paging, continue tokens.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task List_MixedKindsAndClusters_ReturnsOneKindInOneClusterOrderedByLowerCaseName()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        string[] names = ["beta", "Alpha", "gamma_1", "Gamma-2", "delta", "b9"];
        foreach (var name in names)
        {
            await CreateAsync(store, new ObjectKey("Server", cluster, name));
        }

        await CreateAsync(store, new ObjectKey("Group", cluster, "aaa"));
        await CreateAsync(store, new ObjectKey("Server", NewCluster(), "aaa"));

        var page = await store.ListAsync(new ListQuery("Server", cluster));

        // Ordinal order of the lower-case names: '-' < digits < '_' < letters.
        var expected = names.OrderBy(n => n.ToLowerInvariant(), StringComparer.Ordinal).ToList();
        Assert.Equal(expected, page.Items.Select(i => i.Key.Name));
        Assert.Null(page.Continue);
        Assert.Equal(await store.GetResourceVersionAsync(), page.ResourceVersion);
    }

    [Fact]
    public async Task List_EmptyScope_ReturnsNoItemsAndNoContinue()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, new ObjectKey("Server", NewCluster(), "node1"));

        var page = await store.ListAsync(new ListQuery("Server", NewCluster(), Limit: 10));

        Assert.Empty(page.Items);
        Assert.Null(page.Continue);
        Assert.Equal(await store.GetResourceVersionAsync(), page.ResourceVersion);
    }

    [Fact]
    public async Task List_Clusters_AreListedAtTopLevel()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, new ObjectKey("Cluster", "", "prod"));
        await CreateAsync(store, new ObjectKey("Cluster", "", "Dev"));
        await CreateAsync(store, new ObjectKey("Server", "prod", "node1"));

        var page = await store.ListAsync(new ListQuery("Cluster", ""));

        Assert.Equal(["Dev", "prod"], page.Items.Select(i => i.Key.Name));
    }

    [Theory]
    [InlineData(25, 4, 3)]
    [InlineData(25, 1, 2)]
    [InlineData(24, 6, 2)]
    [InlineData(12, 4, 1)]
    [InlineData(12, 100, 5)]
    public async Task List_PagesWithFilterAndContinue_CoverEveryMatchExactlyOnce(int count, int limit, int modulus)
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        for (var i = 0; i < count; i++)
        {
            await CreateAsync(store, new ObjectKey("Resource", cluster, $"Item-{i:00}"), i);
        }

        await CreateAsync(store, new ObjectKey("Monitor", cluster, "Item-00"), 0);
        var expected = Enumerable.Range(0, count).Where(i => i % modulus == 0).Select(i => $"Item-{i:00}").ToList();

        var pages = new List<ListPage>();
        string? after = null;
        do
        {
            var page = await store.ListAsync(new ListQuery("Resource", cluster, limit, after, o => Envelopes.SpecValue(o) % modulus == 0));
            pages.Add(page);
            after = page.Continue;
            Assert.True(pages.Count <= expected.Count + 1, "paging terminates");
        }
        while (after is not null);

        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(i => i.Key.Name));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(limit, p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(p.Items[^1].Key.Name.ToLowerInvariant(), p.Continue));
        Assert.Equal(Math.Max(1, (expected.Count + limit - 1) / limit), pages.Count);
        Assert.NotEmpty(pages[^1].Items);
    }

    [Fact]
    public async Task List_WithoutFilterLastPageExactlyFull_ContinueIsNull()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(store, new ObjectKey("Server", cluster, $"n{i}"));
        }

        var first = await store.ListAsync(new ListQuery("Server", cluster, Limit: 3));
        var second = await store.ListAsync(new ListQuery("Server", cluster, Limit: 3, After: first.Continue));

        Assert.Equal(("n2", 3), (first.Continue, first.Items.Count));
        Assert.Equal(["n3", "n4", "n5"], second.Items.Select(i => i.Key.Name));
        Assert.Null(second.Continue);
    }

    [Fact]
    public async Task List_ResourceVersion_IsTheStoreVersionWhenRead()
    {
        var store = await NewStoreAsync();
        var cluster = NewCluster();
        await CreateAsync(store, new ObjectKey("Server", cluster, "node1"));
        var last = await CreateAsync(store, new ObjectKey("Group", NewCluster(), "other"));

        var page = await store.ListAsync(new ListQuery("Server", cluster));

        Assert.Equal(last.ResourceVersion, page.ResourceVersion);
    }
}
