using Clp.Client;
using Clp.Client.Watching;
using Clp.Core.Model;

namespace Clp.Agent.View;

/// <summary>Keeps a <see cref="ClusterView"/> current from a list and the cluster's change feed (STYLE 23:
/// resume from the last resourceVersion, relist on 410). Changes older than what an object already
/// shows are ignored, so the overlap between a list and the watch that follows it is harmless. Of the
/// alert log it keeps only the newest external messages (for the mrw monitors).</summary>
public sealed class ClusterViewCache(IClpClient client, string cluster)
{
    /// <summary>The most external messages the view keeps; older ones are dropped (an mrw monitor that
    /// falls this far behind loses the oldest).</summary>
    public const int MaxMessages = 256;

    private readonly object _gate = new();
    private readonly List<Event> _messages = [];
    private long _version;
    private Cluster? _cluster;
    private readonly Dictionary<string, Server> _servers = ClusterView.Map<Server>();
    private readonly Dictionary<string, Group> _groups = ClusterView.Map<Group>();
    private readonly Dictionary<string, Resource> _resources = ClusterView.Map<Resource>();
    private readonly Dictionary<string, Monitor> _monitors = ClusterView.Map<Monitor>();
    private readonly Dictionary<string, Operation> _operations = ClusterView.Map<Operation>();

    public ClusterView Current
    {
        get
        {
            lock (_gate)
            {
                return new ClusterView(_cluster, new Dictionary<string, Server>(_servers, StringComparer.OrdinalIgnoreCase),
                    new Dictionary<string, Group>(_groups, StringComparer.OrdinalIgnoreCase),
                    new Dictionary<string, Resource>(_resources, StringComparer.OrdinalIgnoreCase),
                    new Dictionary<string, Monitor>(_monitors, StringComparer.OrdinalIgnoreCase),
                    new Dictionary<string, Operation>(_operations, StringComparer.OrdinalIgnoreCase))
                {
                    Messages = [.. _messages],
                    Version = _version,
                };
            }
        }
    }

    /// <summary>Lists everything the agent tracks afresh; returns the resourceVersion to watch from (the
    /// oldest of the lists, so no change between them is missed).</summary>
    public async Task<long> RelistAsync(CancellationToken cancellationToken)
    {
        var clusterObject = await client.Clusters.GetClusterAsync(cluster, cancellationToken);
        var servers = await client.Servers.ListServersAsync(cluster, cancellationToken: cancellationToken);
        var groups = await client.Groups.ListGroupsAsync(cluster, cancellationToken: cancellationToken);
        var resources = await client.Resources.ListResourcesAsync(cluster, cancellationToken: cancellationToken);
        var monitors = await client.Monitors.ListMonitorsAsync(cluster, cancellationToken: cancellationToken);
        var operations = await client.Operations.ListOperationsAsync(cluster, cancellationToken: cancellationToken);
        var events = await client.Events.ListEventsAsync(cluster, cancellationToken: cancellationToken);
        var since = new[] { servers.Metadata.Version, groups.Metadata.Version, resources.Metadata.Version, monitors.Metadata.Version, operations.Metadata.Version, events.Metadata.Version }.Min();
        lock (_gate)
        {
            _cluster = clusterObject;
            Reset(_servers, servers.Items);
            Reset(_groups, groups.Items);
            Reset(_resources, resources.Items);
            Reset(_monitors, monitors.Items);
            Reset(_operations, operations.Items);
            _messages.Clear();
            _messages.AddRange(events.Items.Where(IsExternal).OrderBy(Version).TakeLast(MaxMessages));
            _version = since;
        }

        return since;
    }

    /// <summary>Reads this cluster's own object afresh (the per-cluster change feed carries every kind IN the
    /// cluster, not the Cluster itself: its phase, e.g. Suspended, and spec edits come from the clusters feed);
    /// returns the resourceVersion to watch that feed from.</summary>
    public async Task<long> RelistClusterAsync(CancellationToken cancellationToken)
    {
        var list = await client.Clusters.ListClustersAsync(cancellationToken: cancellationToken);
        var mine = list.Items.FirstOrDefault(c => string.Equals(c.Metadata.Name, cluster, StringComparison.OrdinalIgnoreCase))
                   ?? await client.Clusters.GetClusterAsync(cluster, cancellationToken);
        lock (_gate)
        {
            if (_cluster is null || Version(_cluster) < Version(mine))
            {
                _cluster = mine;
            }
        }

        return long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies one change of the clusters feed (only this cluster's object); returns whether the view changed.</summary>
    public bool ApplyClusterObject(WatchEvent change)
    {
        if (change.Kind != "Cluster" || !string.Equals(change.Name, cluster, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        lock (_gate)
        {
            return ApplyCluster(change);
        }
    }

    /// <summary>Applies one change; returns whether the view changed.</summary>
    public bool Apply(WatchEvent change)
    {
        lock (_gate)
        {
            _version = Math.Max(_version, change.ResourceVersion);
            return change.Kind switch
            {
                "Cluster" => ApplyCluster(change),
                "Server" => Apply(_servers, change),
                "Group" => Apply(_groups, change),
                "Resource" => Apply(_resources, change),
                "Monitor" => Apply(_monitors, change),
                "Operation" => Apply(_operations, change),
                "Event" => ApplyMessage(change),
                _ => false,
            };
        }
    }

    private bool ApplyCluster(WatchEvent change)
    {
        if (_cluster is not null && Version(_cluster) >= change.ResourceVersion)
        {
            return false;
        }

        _cluster = change.Type == WatchEventType.Deleted ? null : change.As<Cluster>();
        return true;
    }

    /// <summary>Keeps an external message; returns false, since a message changes nothing to reconcile (the
    /// mrw monitors read the messages on their own schedule).</summary>
    private bool ApplyMessage(WatchEvent change)
    {
        var index = _messages.FindIndex(m => string.Equals(m.Metadata.Name, change.Name, StringComparison.OrdinalIgnoreCase));
        if (change.Type == WatchEventType.Deleted)
        {
            if (index >= 0)
            {
                _messages.RemoveAt(index);
            }

            return false;
        }

        var message = change.As<Event>();
        if (index >= 0 || !IsExternal(message) || (_messages.Count > 0 && Version(_messages[^1]) >= change.ResourceVersion))
        {
            return false;
        }

        _messages.Add(message);
        if (_messages.Count > MaxMessages)
        {
            _messages.RemoveAt(0);
        }

        return false;
    }

    /// <summary>An event from outside CLP: its module is not the controller's (<c>ctl</c>) nor an agent's (<c>agent</c>).</summary>
    public static bool IsExternal(Event message) =>
        !string.Equals(message.Spec.Module, "ctl", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(message.Spec.Module, "agent", StringComparison.OrdinalIgnoreCase);

    private static bool Apply<T>(Dictionary<string, T> map, WatchEvent change)
        where T : ClpObject
    {
        if (map.TryGetValue(change.Name, out var existing) && Version(existing) >= change.ResourceVersion)
        {
            return false;
        }

        if (change.Type == WatchEventType.Deleted)
        {
            return map.Remove(change.Name);
        }

        map[change.Name] = change.As<T>();
        return true;
    }

    private static void Reset<T>(Dictionary<string, T> map, IEnumerable<T> items)
        where T : ClpObject
    {
        map.Clear();
        foreach (var item in items)
        {
            map[item.Metadata.Name] = item;
        }
    }

    private static long Version(ClpObject value) => long.TryParse(value.Metadata.ResourceVersion, out var rv) ? rv : 0;
}
