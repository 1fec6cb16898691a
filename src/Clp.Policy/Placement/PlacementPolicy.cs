using Clp.Core.Model;
namespace Clp.Policy.Placement;

/// <summary>The controller's placement and failover brain: a pure function of (desired state, observed
/// state, now) that returns one decision per group (DESIGN "Controller", rule 6; CLUSTERPRO's group
/// attributes from DOMAIN.md).</summary>
/// <remarks>
/// <para>Candidate order: the policy's servers in order; for server groups, each group's servers in
/// its order, groups in policy order; for all servers, by priority. Only Up servers that joined are
/// eligible. Failover and moves without a destination take the first eligible candidate other than the
/// current server (CLUSTERPRO picks the highest-priority available server, not the next one round).</para>
/// <para>Groups are decided in name order (ordinal, case-insensitive), each seeing the exclusive groups
/// the earlier decisions placed; the result is deterministic for a given input.</para>
/// <para>Safety (DESIGN rule 6): a group changing away from a server that may be alive is first
/// unplaced with a <see cref="Drain"/> and placed only once that server reported it Offline or was
/// judged down; only a Down server's groups are placed at once. Where the evidence conflicts (a server
/// listed twice, an unknown current server, a drain without its Offline report), the policy waits
/// rather than risk two servers running one group.</para>
/// <para>Failure modes operators see: an unknown (deleted) current server never reports Offline, so
/// its groups wait in <see cref="PlacementReasons.WaitingForOffline"/> until stopped; a deactivation
/// failure whose final action is None leaves the group waiting the same way, by design.</para>
/// </remarks>
public static class PlacementPolicy
{
    /// <exception cref="ArgumentException">Two groups share a name.</exception>
    public static PlacementResult Decide(PlacementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var duplicate = input.Groups.GroupBy(g => g.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"group '{duplicate.Key}' appears more than once", nameof(input));
        }

        var servers = new ServerTable(input.Servers, input.ServerGroups);
        var syncOver = servers.AllJoined || input.Now - input.StartedAt >= input.StartupSyncWait;
        var occupancy = Occupancy.From(input.Groups, servers);
        var decider = new GroupDecider(input, servers, occupancy, syncOver);

        var requests = new Dictionary<string, PlacementRequest>(StringComparer.OrdinalIgnoreCase);
        foreach (var request in input.Requests)
        {
            requests.TryAdd(request.Group, request);
        }

        var decisions = new List<PlacementDecision>(input.Groups.Count);
        var ordered = input.Groups
            .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(g => g.Name, StringComparer.Ordinal);
        foreach (var group in ordered)
        {
            var decision = decider.Decide(group, requests.GetValueOrDefault(group.Name));
            occupancy.Apply(group, decision, servers);
            decisions.Add(decision);
        }

        var starting = input.Phase == ClusterPhase.Starting;
        return new PlacementResult(
            decisions,
            StartupComplete: starting && syncOver,
            RecheckAt: starting && !syncOver ? input.StartedAt + input.StartupSyncWait : null);
    }
}
