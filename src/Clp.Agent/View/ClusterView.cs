using Clp.Core.Model;

namespace Clp.Agent.View;

/// <summary>An immutable snapshot of the desired state of one cluster as this agent last saw it.</summary>
public sealed record ClusterView(
    Cluster? Cluster,
    IReadOnlyDictionary<string, Server> Servers,
    IReadOnlyDictionary<string, Group> Groups,
    IReadOnlyDictionary<string, Resource> Resources,
    IReadOnlyDictionary<string, Monitor> Monitors,
    IReadOnlyDictionary<string, Operation> Operations)
{
    public static ClusterView Empty { get; } = new(null, Map<Server>(), Map<Group>(), Map<Resource>(), Map<Monitor>(), Map<Operation>());

    /// <summary>The newest external messages (Events whose module is not CLP's own <c>ctl</c> or
    /// <c>agent</c>), oldest first by resourceVersion; at most <see cref="ClusterViewCache.MaxMessages"/>.
    /// What the mrw monitors receive.</summary>
    public IReadOnlyList<Event> Messages { get; init; } = [];

    /// <summary>The store's resourceVersion this view is complete up to: the list's, then each change's as
    /// the watch applies it. A message with a higher resourceVersion arrived after this view.</summary>
    public long Version { get; init; }

    /// <summary>Each group's resources, by group name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, List<Resource>> ResourcesByGroup()
    {
        var byGroup = new Dictionary<string, List<Resource>>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in Resources.Values)
        {
            if (!byGroup.TryGetValue(resource.Spec.Group, out var list))
            {
                byGroup[resource.Spec.Group] = list = [];
            }

            list.Add(resource);
        }

        return byGroup;
    }

    internal static Dictionary<string, T> Map<T>() => new(StringComparer.OrdinalIgnoreCase);
}
