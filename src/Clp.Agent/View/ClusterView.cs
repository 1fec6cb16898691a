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
