using Clp.Agent.Reconciliation;
using Clp.Agent.View;
using Clp.Core.Model;
using Clp.FenceGuard.Protocol;

namespace Clp.Agent.Host.Guard;

/// <summary>What the fence guard must release if this agent cannot: every resource of every group that may run on
/// this server, each group's resources in stop order.</summary>
/// <remarks>The guard cannot ask the agent what is active (the agent is frozen or dead when it acts), so the list
/// errs wide: every group whose failover policy does not exclude this server by name (a group of
/// <see cref="FailoverPolicyKind.Servers"/> that does not list it is left out; server groups are not resolved).
/// Deactivating an inactive resource is a no-op for every Linux driver (no address, no pid file, no mount, no
/// marker), so the width costs a few commands, not a wrong stop.</remarks>
public static class GuardResources
{
    public static IReadOnlyList<GuardGroup> From(ClusterView view, string server)
    {
        var groups = new List<GuardGroup>();
        foreach (var (name, resources) in view.ResourcesByGroup().OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            var group = view.Groups.GetValueOrDefault(name);
            if (group?.Spec.FailoverPolicy is { Kind: FailoverPolicyKind.Servers, Servers: { } servers } && !servers.Contains(server, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var epoch = group?.Status?.Epoch ?? 0;
            groups.Add(new GuardGroup
            {
                Name = name,
                Resources = [.. DependencyOrder.StopOrder(resources).Select(r => new GuardResource
                {
                    Name = r.Metadata.Name,
                    Type = r.Spec.Type,
                    Parameters = r.Spec.Parameters,
                    StopTimeoutSeconds = r.Spec.StopTimeoutSeconds,
                    Epoch = epoch,
                })],
            });
        }

        return groups;
    }
}
