namespace Clp.Core.Store;

/// <summary>Reads and writes inside one store transaction. Each write takes the next resourceVersion.</summary>
public interface IStoreTransaction
{
    Task<StoredObject?> GetAsync(ObjectKey key);

    /// <summary>Every object of <paramref name="kind"/> in <paramref name="cluster"/>, ordered by lower-case name.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string cluster);

    /// <summary>Creates the object; the store stamps uid, resourceVersion, generation 1 and creation time
    /// into the envelope's metadata. Throws <see cref="ObjectAlreadyExistsException"/>.</summary>
    Task<StoredObject> CreateAsync(ObjectKey key, string json, string? secretHash = null);

    /// <summary>Replaces the object's JSON (store-owned metadata is re-stamped). Throws
    /// <see cref="ObjectNotFoundException"/>, and <see cref="ResourceVersionConflictException"/> when
    /// <paramref name="expectedResourceVersion"/> is given and stale.</summary>
    /// <param name="specChanged">Increments the generation.</param>
    Task<StoredObject> UpdateAsync(ObjectKey key, string json, long? expectedResourceVersion, bool specChanged);

    /// <summary>Deletes the object and records the deletion. Same exceptions as <see cref="UpdateAsync"/>.</summary>
    Task<StoredObject> DeleteAsync(ObjectKey key, long? expectedResourceVersion);
}
