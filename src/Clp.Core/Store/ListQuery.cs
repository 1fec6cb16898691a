namespace Clp.Core.Store;

/// <summary>What to list. <see cref="Filter"/> runs before paging, so pages are full.</summary>
/// <param name="Cluster">Empty for Clusters.</param>
/// <param name="Limit">Page size; null for all.</param>
/// <param name="After">The lower-case name the previous page ended with (the continue token).</param>
public sealed record ListQuery(
    string Kind,
    string Cluster,
    int? Limit = null,
    string? After = null,
    Func<StoredObject, bool>? Filter = null);

/// <param name="ResourceVersion">The store's resourceVersion when the page was read: a watch from it
/// misses nothing.</param>
/// <param name="Continue">The continue token for the next page, or null on the last page.</param>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue);

/// <summary>What to watch: one cluster (all kinds when <see cref="Kind"/> is null), or Clusters when
/// <see cref="Cluster"/> is empty and <see cref="Kind"/> is Cluster.</summary>
public sealed record WatchQuery(string Cluster, string? Kind, long AfterResourceVersion);
