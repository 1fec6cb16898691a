using Clp.Core.Model;

namespace Clp.Policy.Leases;

/// <summary>Computes the longest stop path, the part of the fence budget F that stopping groups needs
/// (DESIGN rule 3).</summary>
/// <remarks>
/// A group deactivates in reverse dependency order: a resource stops only after every resource that
/// depends on it has stopped, so the time to stop a group is the longest chain of dependencies
/// weighted by each resource's stop timeout (the critical path of the dependency DAG). Groups stop in
/// parallel, so a server's stop path is the maximum over the groups placed on it.
/// Timeout ratios do not scale resource stop timeouts (as CLUSTERPRO's timeout ratio, which scales
/// heartbeat and monitor timeouts only).
/// </remarks>
public static class StopPath
{
    /// <summary>The longest chain of stop timeouts through one group's dependencies.</summary>
    /// <remarks>Dependencies on names outside <paramref name="resources"/> are ignored (validation
    /// keeps dependencies within a group). A dependency cycle, which validation refuses, makes the
    /// order undefined: the sum of every stop timeout is returned then, an upper bound of any order, so
    /// the budget errs long (the agent fences earlier), never short.</remarks>
    public static TimeSpan OfGroup(IEnumerable<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var byName = new Dictionary<string, ResourceSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in resources)
        {
            byName[resource.Metadata.Name] = resource.Spec;
        }

        var memo = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        var visiting = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var longest = TimeSpan.Zero;
        foreach (var name in byName.Keys)
        {
            var path = Longest(name, byName, memo, visiting);
            if (path is null)
            {
                return TimeSpan.FromSeconds(byName.Values.Sum(r => (long)Math.Max(0, r.StopTimeoutSeconds)));
            }

            longest = path.Value > longest ? path.Value : longest;
        }

        return longest;
    }

    /// <summary>The maximum over groups that stop in parallel on one server.</summary>
    public static TimeSpan OfServer(IEnumerable<IEnumerable<Resource>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups.Select(OfGroup).DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    /// <summary>The chain ending at <paramref name="name"/> (itself and what it depends on), or null
    /// on a cycle.</summary>
    private static TimeSpan? Longest(
        string name,
        Dictionary<string, ResourceSpec> byName,
        Dictionary<string, TimeSpan> memo,
        HashSet<string> visiting)
    {
        if (memo.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!visiting.Add(name))
        {
            return null;
        }

        var spec = byName[name];
        var below = TimeSpan.Zero;
        foreach (var dependency in spec.DependsOn.Where(byName.ContainsKey))
        {
            var path = Longest(dependency, byName, memo, visiting);
            if (path is null)
            {
                return null;
            }

            below = path.Value > below ? path.Value : below;
        }

        visiting.Remove(name);
        var total = below + TimeSpan.FromSeconds(Math.Max(0, spec.StopTimeoutSeconds));
        memo[name] = total;
        return total;
    }
}
