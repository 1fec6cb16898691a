using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>The desired state of one cluster as read inside a write transaction: what reference checks
/// and dependency checks look at. Lookups are case-insensitive, like names.</summary>
public sealed class ClusterSnapshot
{
    public ClusterSnapshot(
        Cluster? cluster,
        IEnumerable<Server> servers,
        IEnumerable<ServerGroup> serverGroups,
        IEnumerable<Group> groups,
        IEnumerable<Resource> resources,
        IEnumerable<Monitor> monitors,
        IEnumerable<License>? licenses = null,
        IEnumerable<ApiKey>? apiKeys = null)
    {
        Cluster = cluster;
        Servers = ByName(servers);
        ServerGroups = ByName(serverGroups);
        Groups = ByName(groups);
        Resources = ByName(resources);
        Monitors = ByName(monitors);
        Licenses = ByName(licenses ?? []);
        ApiKeys = ByName(apiKeys ?? []);
    }

    public Cluster? Cluster { get; }

    public IReadOnlyDictionary<string, Server> Servers { get; }

    public IReadOnlyDictionary<string, ServerGroup> ServerGroups { get; }

    public IReadOnlyDictionary<string, Group> Groups { get; }

    public IReadOnlyDictionary<string, Resource> Resources { get; }

    public IReadOnlyDictionary<string, Monitor> Monitors { get; }

    public IReadOnlyDictionary<string, License> Licenses { get; }

    public IReadOnlyDictionary<string, ApiKey> ApiKeys { get; }

    /// <summary>The snapshot with <paramref name="candidate"/> in place of its stored version (or added):
    /// rules that span objects are checked against the state the write would produce.</summary>
    public ClusterSnapshot With(ClpObject candidate) => new(
        candidate as Cluster ?? Cluster,
        Replace(Servers.Values, candidate),
        Replace(ServerGroups.Values, candidate),
        Replace(Groups.Values, candidate),
        Replace(Resources.Values, candidate),
        Replace(Monitors.Values, candidate),
        Replace(Licenses.Values, candidate),
        Replace(ApiKeys.Values, candidate));

    private static IEnumerable<T> Replace<T>(IEnumerable<T> items, ClpObject candidate)
        where T : ClpObject
    {
        if (candidate is not T typed)
        {
            return items;
        }

        return items.Where(i => !string.Equals(i.Metadata.Name, typed.Metadata.Name, StringComparison.OrdinalIgnoreCase))
            .Append(typed);
    }

    private static Dictionary<string, T> ByName<T>(IEnumerable<T> items)
        where T : ClpObject
    {
        var map = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            map[item.Metadata.Name] = item;
        }

        return map;
    }
}
