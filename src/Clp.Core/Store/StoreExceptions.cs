namespace Clp.Core.Store;

/// <summary>Base of the store's expected failures; each maps to one HTTP status.</summary>
public abstract class StoreException(string message) : Exception(message);

/// <summary>The object does not exist (404).</summary>
public sealed class ObjectNotFoundException(ObjectKey key) : StoreException($"{key} not found")
{
    public ObjectKey Key { get; } = key;
}

/// <summary>An object of that kind and name (case-insensitively) exists already (409).</summary>
public sealed class ObjectAlreadyExistsException(ObjectKey key, string existingName)
    : StoreException($"{key.Kind} '{existingName}' already exists")
{
    public ObjectKey Key { get; } = key;
}

/// <summary>The expected resourceVersion is not the current one (412 for If-Match, 409 for a body
/// resourceVersion).</summary>
public sealed class ResourceVersionConflictException(ObjectKey key, long expected, long actual)
    : StoreException($"{key} is at resourceVersion {actual}, not {expected}")
{
    public ObjectKey Key { get; } = key;

    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}

/// <summary>The requested resourceVersion is older than the retained history (410).</summary>
public sealed class ResourceVersionGoneException(long requested, long oldestRetained)
    : StoreException($"resourceVersion {requested} is older than the retained history (oldest {oldestRetained})")
{
    public long Requested { get; } = requested;

    public long OldestRetained { get; } = oldestRetained;
}
