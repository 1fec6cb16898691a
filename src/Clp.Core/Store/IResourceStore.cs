namespace Clp.Core.Store;

/// <summary>The store port: every kind's objects, one resourceVersion sequence ordering every change of
/// every kind, and a resumable change feed. Implementations are held to the conformance suite.</summary>
/// <remarks>Writes run in <see cref="WriteAsync{T}"/>: the work sees a serializable snapshot, and its
/// writes commit together or not at all, so a validation that reads other objects holds at commit.</remarks>
public interface IResourceStore
{
    /// <summary>A uid made when the store was created; a restored or new store has another.</summary>
    string StoreUid { get; }

    Task<StoredObject?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default);

    /// <summary>One page of one kind in one cluster (all clusters for Cluster), ordered by lower-case name.</summary>
    Task<ListPage> ListAsync(ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> in one transaction; writers are serialized.</summary>
    Task<T> WriteAsync<T>(Func<IStoreTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>The resourceVersion of the last committed change (0 for an empty store).</summary>
    Task<long> GetResourceVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>The smallest resourceVersion a watch may resume from: changes after it are all retained.</summary>
    Task<long> GetOldestResumableResourceVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every change after <see cref="WatchQuery.AfterResourceVersion"/> in order, then live changes
    /// until cancelled. Throws <see cref="ResourceVersionGoneException"/> (at the start, or mid-stream if the
    /// reader fell behind the retained history).</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(WatchQuery query, CancellationToken cancellationToken = default);
}
