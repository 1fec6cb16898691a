using Clp.Core.Catalog;
using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of a failover group: its failover policy, one management group per cluster, and no
/// automatic failback with mirror disks (the guide forbids it: the data may not be in sync).</summary>
internal static class GroupRules
{
    public static void Validate(Group group, ClusterSnapshot after, TypeCatalog catalog, ValidationContext context)
    {
        var spec = group.Spec;
        context.MaxLength(spec.Description, 1024, "spec.description");
        var policy = spec.FailoverPolicy;
        if (policy is null)
        {
            context.Add("spec.failoverPolicy", "required", "spec.failoverPolicy is required");
        }
        else
        {
            ValidatePolicy(policy, after, context);
        }

        var name = group.Metadata.Name;
        if (spec.ManagementGroup)
        {
            var other = after.Groups.Values.FirstOrDefault(g =>
                g.Spec.ManagementGroup && !string.Equals(g.Metadata.Name, name, StringComparison.OrdinalIgnoreCase));
            if (other is not null)
            {
                context.Add("spec.managementGroup", "management-group-unique",
                    $"group '{other.Metadata.Name}' is already the management group; a cluster has at most one");
            }
        }

        if (spec.Failback == FailbackAttribute.Auto)
        {
            var mirror = after.Resources.Values.FirstOrDefault(r =>
                string.Equals(r.Spec.Group, name, StringComparison.OrdinalIgnoreCase)
                && catalog.FindResourceType(r.Spec.Type)?.MirrorDisk == true);
            if (mirror is not null)
            {
                context.Add("spec.failback", "failback-auto-mirror-disk",
                    $"spec.failback Auto is not allowed: the group holds mirror/hybrid disk '{mirror.Metadata.Name}'");
            }
        }
    }

    private static void ValidatePolicy(FailoverPolicy policy, ClusterSnapshot after, ValidationContext context)
    {
        const string field = "spec.failoverPolicy";
        switch (policy.Kind)
        {
            case FailoverPolicyKind.AllServers:
                if (policy.Servers is { Count: > 0 } || policy.ServerGroups is { Count: > 0 })
                {
                    context.Add(field, "not-allowed", $"{field}: AllServers takes no servers or serverGroups");
                }

                break;
            case FailoverPolicyKind.Servers:
                CheckList(policy.Servers, after.Servers, "Server", $"{field}.servers", context);
                if (policy.ServerGroups is { Count: > 0 })
                {
                    context.Add($"{field}.serverGroups", "not-allowed", $"{field}.serverGroups is only for the ServerGroups kind");
                }

                break;
            case FailoverPolicyKind.ServerGroups:
                CheckList(policy.ServerGroups, after.ServerGroups, "ServerGroup", $"{field}.serverGroups", context);
                if (policy.Servers is { Count: > 0 })
                {
                    context.Add($"{field}.servers", "not-allowed", $"{field}.servers is only for the Servers kind");
                }

                break;
        }
    }

    private static void CheckList<T>(List<string>? names, IReadOnlyDictionary<string, T> map, string kind, string field, ValidationContext context)
    {
        if (names is not { Count: > 0 })
        {
            context.Add(field, "required", $"{field} needs at least one {kind}");
            return;
        }

        context.Unique(names, field);
        for (var i = 0; i < names.Count; i++)
        {
            context.Reference(names[i], map, kind, $"{field}[{i}]");
        }
    }
}
