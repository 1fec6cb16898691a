using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Refuses configurations a server said it cannot run: a resource whose type a server of its group's
/// failover policy reported in <c>status.capabilities.unsupportedTypes</c>, and a policy or server-group
/// change that adds such a server to a group holding such a resource.</summary>
/// <remarks>Only what agents reported counts: a server that has not reported yet (no status, or no
/// capabilities) blocks nothing, and its agent's platform check still fails the activation later. A server
/// that starts reporting a type unsupported after resources of that type exist does not invalidate them
/// retroactively; their next replace is refused until the policy or the server changes.</remarks>
internal static class CapabilityRules
{
    public const string Rule = "type-unsupported-on-server";

    /// <param name="before">The cluster as stored (the candidate's previous version, if any).</param>
    /// <param name="after">The cluster as the write would leave it.</param>
    public static void Validate(ClpObject candidate, ClusterSnapshot before, ClusterSnapshot after, ValidationContext context)
    {
        switch (candidate)
        {
            case Resource resource:
                ValidateResource(resource, after, context);
                break;
            case Group group:
                ValidateGroup(group, before, after, context);
                break;
            case ServerGroup serverGroup:
                ValidateServerGroup(serverGroup, before, after, context);
                break;
        }
    }

    private static void ValidateResource(Resource resource, ClusterSnapshot after, ValidationContext context)
    {
        if (!after.Groups.TryGetValue(resource.Spec.Group, out var group))
        {
            return;
        }

        foreach (var server in FailoverServers(group, after))
        {
            if (UnsupportedReason(server, resource.Spec.Type) is { } reason)
            {
                context.Add("spec.type", Rule, $"server {server.Metadata.Name} cannot run {resource.Spec.Type} resources: {reason}");
            }
        }
    }

    /// <summary>Only servers the change adds count, so an unrelated edit of a group is never refused.</summary>
    private static void ValidateGroup(Group group, ClusterSnapshot before, ClusterSnapshot after, ValidationContext context)
    {
        var field = group.Spec.FailoverPolicy?.Kind switch
        {
            FailoverPolicyKind.Servers => "spec.failoverPolicy.servers",
            FailoverPolicyKind.ServerGroups => "spec.failoverPolicy.serverGroups",
            _ => "spec.failoverPolicy",
        };
        var previous = before.Groups.TryGetValue(group.Metadata.Name, out var stored) ? Names(FailoverServers(stored, before)) : [];
        var added = FailoverServers(group, after).Where(s => !previous.Contains(s.Metadata.Name)).ToList();
        CheckResourcesOn(group.Metadata.Name, added, after, field, context);
    }

    private static void ValidateServerGroup(ServerGroup serverGroup, ClusterSnapshot before, ClusterSnapshot after, ValidationContext context)
    {
        var previous = before.ServerGroups.TryGetValue(serverGroup.Metadata.Name, out var stored) ? new HashSet<string>(stored.Spec.Servers, StringComparer.OrdinalIgnoreCase) : [];
        var added = serverGroup.Spec.Servers.Where(s => !previous.Contains(s)).Select(s => after.Servers.GetValueOrDefault(s)).OfType<Server>().ToList();
        foreach (var group in after.Groups.Values.Where(g => g.Spec.FailoverPolicy is { Kind: FailoverPolicyKind.ServerGroups } policy
                     && (policy.ServerGroups ?? []).Contains(serverGroup.Metadata.Name, StringComparer.OrdinalIgnoreCase)))
        {
            CheckResourcesOn(group.Metadata.Name, added, after, "spec.servers", context);
        }
    }

    private static void CheckResourcesOn(string group, IReadOnlyList<Server> servers, ClusterSnapshot after, string field, ValidationContext context)
    {
        if (servers.Count == 0)
        {
            return;
        }

        foreach (var resource in after.Resources.Values.Where(r => string.Equals(r.Spec.Group, group, StringComparison.OrdinalIgnoreCase)).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            foreach (var server in servers)
            {
                if (UnsupportedReason(server, resource.Spec.Type) is { } reason)
                {
                    context.Add(field, Rule,
                        $"{field}: server {server.Metadata.Name} cannot run {resource.Spec.Type} resources (resource {resource.Metadata.Name} of group {group}): {reason}");
                }
            }
        }
    }

    /// <summary>The servers a group may run on: every server (AllServers), the listed ones, or the members of
    /// the listed server groups; names that do not resolve are left to the reference rules.</summary>
    private static List<Server> FailoverServers(Group group, ClusterSnapshot snapshot)
    {
        var policy = group.Spec.FailoverPolicy;
        IEnumerable<string> names = policy?.Kind switch
        {
            FailoverPolicyKind.Servers => policy.Servers ?? [],
            FailoverPolicyKind.ServerGroups => (policy.ServerGroups ?? [])
                .SelectMany(sg => snapshot.ServerGroups.GetValueOrDefault(sg)?.Spec.Servers ?? []),
            _ => snapshot.Servers.Keys,
        };
        var servers = new List<Server>();
        foreach (var name in names)
        {
            if (snapshot.Servers.GetValueOrDefault(name) is { } server && !servers.Contains(server))
            {
                servers.Add(server);
            }
        }

        return servers;
    }

    private static HashSet<string> Names(IEnumerable<Server> servers) =>
        new(servers.Select(s => s.Metadata.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>The reason the server gave for not running <paramref name="type"/>, or null.</summary>
    private static string? UnsupportedReason(Server server, string type) =>
        server.Status?.Capabilities?.UnsupportedTypes?
            .FirstOrDefault(p => string.Equals(p.Key, type, StringComparison.OrdinalIgnoreCase)).Value;
}
