using Clp.Core.Store;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Store.Conformance.Tests;

/// <summary>The contract every <see cref="IResourceStore"/> backend is held to (DESIGN.md "Store"): one thin
/// subclass per backend supplies fresh stores, and every public scenario here runs against it.</summary>
/// <remarks>
/// <para>Modelled on Orleans' <c>MembershipTableTestsBase</c>. Scenarios see the store only through
/// <see cref="IResourceStore"/>. A backend must:</para>
/// <list type="bullet">
/// <item><see cref="CreateStoreAsync"/>: return a new, empty store (resourceVersion 0) that takes its
/// timestamps and retention clock from the given <see cref="TimeProvider"/>.</item>
/// <item><see cref="ReopenAsync"/>: close a store and open its data again (persistence scenarios).</item>
/// <item>Compact the history by the time a write returns once the clock has moved past
/// <see cref="StoreOptions.HistoryMinAge"/> (at least 30 s of fake time passes before such a write).</item>
/// </list>
/// <para>Every store made through <see cref="NewStoreAsync"/> is disposed after the scenario.</para>
/// </remarks>
public abstract partial class ResourceStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IResourceStore> _stores = [];

    /// <summary>The one clock driver of a scenario (STYLE 39); a fraction of a second shows truncation.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(678));

    /// <summary>The finest time step the backend records; retention boundaries are tested one step past.</summary>
    protected virtual TimeSpan TimeResolution => TimeSpan.FromTicks(1);

    /// <summary>Small retention for the compaction scenarios: 5 changes, 1 minute.</summary>
    protected static StoreOptions SmallRetention => new() { HistoryMinChanges = 5, HistoryMinAge = TimeSpan.FromMinutes(1) };

    /// <summary>A new, empty store using <paramref name="time"/>.</summary>
    protected abstract Task<IResourceStore> CreateStoreAsync(TimeProvider time, StoreOptions options);

    /// <summary>Closes <paramref name="store"/> and opens the same data again.</summary>
    protected virtual Task<IResourceStore> ReopenAsync(IResourceStore store, TimeProvider time, StoreOptions options) =>
        throw new NotSupportedException($"{GetType().Name} must override ReopenAsync to run the persistence scenarios.");

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    protected async Task<IResourceStore> NewStoreAsync(StoreOptions? options = null)
    {
        var store = await CreateStoreAsync(Time, options ?? new StoreOptions());
        _stores.Add(store);
        return store;
    }

    protected async Task<IResourceStore> ReopenStoreAsync(IResourceStore store, StoreOptions? options = null)
    {
        var reopened = await ReopenAsync(store, Time, options ?? new StoreOptions());
        _stores.Add(reopened);
        return reopened;
    }

    /// <summary>A fresh cluster name per scenario (STYLE 43).</summary>
    protected static string NewCluster() => "c" + Guid.NewGuid().ToString("N")[..12];

    protected static Task<StoredObject> CreateAsync(IResourceStore store, ObjectKey key, int value = 0) =>
        store.WriteAsync((tx, _) => tx.CreateAsync(key, Envelopes.Make(key, value)));

    protected static Task<StoredObject> UpdateAsync(IResourceStore store, ObjectKey key, int value, long? expected = null, bool specChanged = true) =>
        store.WriteAsync((tx, _) => tx.UpdateAsync(key, Envelopes.Make(key, value), expected, specChanged));

    protected static Task<StoredObject> DeleteAsync(IResourceStore store, ObjectKey key, long? expected = null) =>
        store.WriteAsync((tx, _) => tx.DeleteAsync(key, expected));

    /// <summary>Creates <paramref name="count"/> objects, one write each, and returns their resourceVersions.</summary>
    protected static async Task<List<long>> WriteHistoryAsync(IResourceStore store, string cluster, int count, string prefix = "h")
    {
        var versions = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var created = await CreateAsync(store, new ObjectKey("Server", cluster, $"{prefix}-{Guid.NewGuid():N}"[..20]), i);
            versions.Add(created.ResourceVersion);
        }

        return versions;
    }
}
