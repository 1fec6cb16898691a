using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Finds the objects that name a given object, so a delete can be refused (409) while anything
/// still depends on it.</summary>
public static class Dependents
{
    /// <summary>Each dependent as "Kind 'name' (field)"; empty when the object can go.</summary>
    public static IReadOnlyList<string> Of(KindInfo kind, string name, ClusterSnapshot snapshot)
    {
        var found = new List<string>();
        bool Is(string? value) => string.Equals(value, name, StringComparison.OrdinalIgnoreCase);
        void Add(ClpObject o, string field) => found.Add($"{o.Kind} '{o.Metadata.Name}' ({field})");

        if (kind == Kinds.Server)
        {
            foreach (var sg in snapshot.ServerGroups.Values.Where(sg => sg.Spec.Servers.Any(Is)))
            {
                Add(sg, "spec.servers");
            }

            foreach (var g in snapshot.Groups.Values.Where(g => g.Spec.FailoverPolicy.Servers?.Any(Is) == true))
            {
                Add(g, "spec.failoverPolicy.servers");
            }

            foreach (var m in snapshot.Monitors.Values.Where(m => m.Spec.Servers.Any(Is)))
            {
                Add(m, "spec.servers");
            }

            foreach (var l in snapshot.Licenses.Values.Where(l => Is(l.Spec.Server)))
            {
                Add(l, "spec.server");
            }

            foreach (var k in snapshot.ApiKeys.Values.Where(k => Is(k.Spec.Server)))
            {
                Add(k, "spec.server");
            }

            if (snapshot.Cluster?.Spec.NpResolvers.Any(np => np.Servers?.Any(Is) == true) == true)
            {
                Add(snapshot.Cluster, "spec.npResolvers[*].servers");
            }
        }
        else if (kind == Kinds.ServerGroup)
        {
            foreach (var g in snapshot.Groups.Values.Where(g => g.Spec.FailoverPolicy.ServerGroups?.Any(Is) == true))
            {
                Add(g, "spec.failoverPolicy.serverGroups");
            }
        }
        else if (kind == Kinds.Group)
        {
            foreach (var r in snapshot.Resources.Values.Where(r => Is(r.Spec.Group)))
            {
                Add(r, "spec.group");
            }

            foreach (var m in snapshot.Monitors.Values.Where(m => m.Spec.Recovery.TargetKind == RecoveryTargetKind.Group && Is(m.Spec.Recovery.Target)))
            {
                Add(m, "spec.recovery.target");
            }
        }
        else if (kind == Kinds.Resource)
        {
            foreach (var r in snapshot.Resources.Values.Where(r => r.Spec.DependsOn.Any(Is)))
            {
                Add(r, "spec.dependsOn");
            }

            foreach (var m in snapshot.Monitors.Values.Where(m => Is(m.Spec.Target)))
            {
                Add(m, "spec.target");
            }

            foreach (var m in snapshot.Monitors.Values.Where(m => m.Spec.Recovery.TargetKind == RecoveryTargetKind.Resource && Is(m.Spec.Recovery.Target)))
            {
                Add(m, "spec.recovery.target");
            }
        }

        return found;
    }
}
