namespace Clp.Core.Store;

/// <summary>One change in the store's history, in resourceVersion order. For a deletion
/// <see cref="Object"/> is the last state with the deletion's resourceVersion.</summary>
public sealed record WatchEvent(WatchEventType Type, long ResourceVersion, StoredObject Object);

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}
