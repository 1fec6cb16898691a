using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>The agent's level-triggered decision, pure: compare the desired placement of every group with
/// what this server runs, and say what to do next (DESIGN "Agent reconciliation", rules 6 and 7).</summary>
/// <remarks>
/// <para>A group is placed here only when its status names this server, comes from the store this
/// incarnation joined (<c>storeUid</c>), and was issued after the join (<c>issuedAfter</c> &gt; the
/// lease's epoch floor). Anything else, including a placement issued before the join or by an unknown
/// store, means "not here": its resources are stopped, never started. On doubt, stop: stopping cannot
/// make a group run on two servers. The one exception is a placement on this server, from this store,
/// issued before the join (an agent restart): the controller never moved it, so nobody else runs it;
/// the agent keeps what runs and starts nothing until the controller re-issues it (rule 7's adoption).</para>
/// <para>A restarted agent adopts instead of restarting: the caller probes what runs, records it in
/// <see cref="LocalState"/> as Online, and the plan then finds nothing to activate.</para>
/// </remarks>
public static class GroupPlanner
{
    /// <param name="resourcesByGroup">Each group's resources, by group name (case-insensitive).</param>
    /// <param name="heldOffline">Resources an operator stopped (resource stop): they, and what depends on
    /// them, are stopped and not started while their group stays placed here.</param>
    public static IReadOnlyList<GroupPlan> Plan(
        string server,
        string storeUid,
        long epochFloor,
        IEnumerable<Group> groups,
        IReadOnlyDictionary<string, List<Resource>> resourcesByGroup,
        LocalState local,
        IReadOnlySet<string>? heldOffline = null)
    {
        var plans = new List<GroupPlan>();
        foreach (var group in groups.OrderBy(g => g.Metadata.Name, StringComparer.OrdinalIgnoreCase))
        {
            var resources = resourcesByGroup.GetValueOrDefault(group.Metadata.Name) ?? [];
            var placed = IsPlacedHere(group, server, storeUid, epochFloor);
            var epoch = group.Status?.Epoch ?? 0;
            if (placed)
            {
                var held = Held(resources, heldOffline);
                var start = DependencyOrder.StartOrder(resources).Where(r => !held.Contains(r.Metadata.Name)).ToList();
                var activate = start.Where(r => local.Resource(r.Metadata.Name)?.State != ObjectState.Online).ToList();
                var restart = start.Where(r => local.Resource(r.Metadata.Name) is { State: ObjectState.Online } entry
                                               && entry.Generation != r.Metadata.Generation).ToList();
                var stopHeld = DependencyOrder.StopOrder(resources)
                    .Where(r => held.Contains(r.Metadata.Name) && local.Resource(r.Metadata.Name) is { } entry && ObjectStates.MayBeActive(entry.State))
                    .ToList();
                plans.Add(new GroupPlan(group.Metadata.Name, true, epoch, activate, stopHeld, restart));
            }
            else if (IsPlacedHereBeforeJoin(group, server, storeUid, epochFloor))
            {
                plans.Add(new GroupPlan(group.Metadata.Name, false, epoch, [], [], [], AwaitingReissue: true));
            }
            else
            {
                var stop = DependencyOrder.StopOrder(resources)
                    .Where(r => local.Resource(r.Metadata.Name) is { } entry && ObjectStates.MayBeActive(entry.State))
                    .ToList();
                plans.Add(new GroupPlan(group.Metadata.Name, false, epoch, [], stop, []));
            }
        }

        return plans;
    }

    /// <summary>The held resources of a group and, transitively, every resource that depends on one.</summary>
    private static HashSet<string> Held(List<Resource> resources, IReadOnlySet<string>? heldOffline)
    {
        var held = new HashSet<string>(resources.Select(r => r.Metadata.Name).Where(n => heldOffline?.Contains(n) == true), StringComparer.OrdinalIgnoreCase);
        var grew = held.Count > 0;
        while (grew)
        {
            grew = false;
            foreach (var resource in resources.Where(r => !held.Contains(r.Metadata.Name) && r.Spec.DependsOn.Any(held.Contains)))
            {
                grew |= held.Add(resource.Metadata.Name);
            }
        }

        return held;
    }

    private static bool IsPlacedHereBeforeJoin(Group group, string server, string storeUid, long epochFloor) =>
        group.Status is { } status
        && string.Equals(status.CurrentServer, server, StringComparison.OrdinalIgnoreCase)
        && string.Equals(status.StoreUid, storeUid, StringComparison.Ordinal)
        && (status.IssuedAfter ?? 0) <= epochFloor;

    public static bool IsPlacedHere(Group group, string server, string storeUid, long epochFloor) =>
        group.Status is { } status
        && string.Equals(status.CurrentServer, server, StringComparison.OrdinalIgnoreCase)
        && string.Equals(status.StoreUid, storeUid, StringComparison.Ordinal)
        && status.IssuedAfter is { } issuedAfter
        && issuedAfter > epochFloor;
}
