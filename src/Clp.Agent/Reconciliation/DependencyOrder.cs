using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>The order a group's resources start in (dependencies first) and stop in (the reverse).</summary>
/// <remarks>Kahn's algorithm with the name as the deterministic tie-break. Validation refuses cycles and
/// cross-group dependencies; should one slip through (a stale view), the remaining resources follow in
/// name order rather than being dropped, so a stop still stops everything.</remarks>
public static class DependencyOrder
{
    public static IReadOnlyList<Resource> StartOrder(IEnumerable<Resource> groupResources)
    {
        var byName = groupResources.ToDictionary(r => r.Metadata.Name, StringComparer.OrdinalIgnoreCase);
        var pending = new SortedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var dependents = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in byName.Values)
        {
            var deps = resource.Spec.DependsOn.Where(byName.ContainsKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            pending[resource.Metadata.Name] = deps.Count;
            foreach (var dep in deps)
            {
                if (!dependents.TryGetValue(dep, out var list))
                {
                    dependents[dep] = list = [];
                }

                list.Add(resource.Metadata.Name);
            }
        }

        var order = new List<Resource>();
        var ready = new SortedSet<string>(pending.Where(p => p.Value == 0).Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            pending.Remove(next);
            order.Add(byName[next]);
            foreach (var dependent in dependents.GetValueOrDefault(next) ?? [])
            {
                if (pending.ContainsKey(dependent) && --pending[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        order.AddRange(pending.Keys.Select(name => byName[name]));
        return order;
    }

    public static IReadOnlyList<Resource> StopOrder(IEnumerable<Resource> groupResources) =>
        [.. StartOrder(groupResources).Reverse()];
}
