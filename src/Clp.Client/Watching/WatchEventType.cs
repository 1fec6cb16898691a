namespace Clp.Client.Watching;

/// <summary>What a <see cref="WatchEvent"/> reports.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Not a change: the watcher called its relist callback (at the start without a resume point, or
    /// because the resume point fell out of the server's history) and now continues after the list's
    /// resourceVersion. Changes between the last event and the list were not delivered one by one: rebuild
    /// state from what the relist read.</summary>
    Relisted,
}
