using Clp.Core.Model;
using Clp.Policy.Placement;
using Clp.Policy.Time;

namespace Clp.Controller.Reconciliation;

/// <summary>Turns stored objects into the placement policy's input (docs/architecture.md "Policy": what
/// the controller must pass), and the policy's vocabulary back into stored values.</summary>
internal static class InputBuilder
{
    public static PlacementInput Build(
        ClusterObjects objects,
        ClusterPhase phase,
        IReadOnlyDictionary<string, ServerState> servers,
        Instant now,
        Instant startedAt,
        IReadOnlyList<PlacementRequest> requests,
        FailoverCounts counts)
    {
        var cluster = objects.Cluster.Value;
        return new PlacementInput
        {
            Phase = phase,
            Now = now,
            StartedAt = startedAt,
            StartupSyncWait = TimeSpan.FromSeconds(Math.Max(0, cluster.Spec.StartupSyncWaitSeconds)),
            Servers = [.. objects.Servers.Select(s => servers[s.Name])],
            ServerGroups = [.. objects.ServerGroups.Select(g => new ServerGroupMembers(g.Metadata.Name, g.Spec.Servers))],
            Groups = [.. objects.Groups.Select(g => GroupStateOf(g.Value, objects, servers))],
            Counts = counts,
            Requests = requests,
        };
    }

    public static GroupState GroupStateOf(Group group, ClusterObjects objects, IReadOnlyDictionary<string, ServerState> servers)
    {
        var status = group.Status;
        var drain = status?.Drain is { } d ? new Drain(d.From, d.Target, d.RequestId) : null;
        return new GroupState(
            group.Metadata.Name,
            group.Spec,
            Current: status?.CurrentServer,
            Epoch: status?.Epoch ?? 0,
            Reason: status?.Reason,
            Drain: drain,
            DrainedOffline: drain is not null && ReportsOffline(objects.FindServer(drain.From), group.Metadata.Name, status?.Epoch ?? 0),
            IssuedBeforeJoin: IssuedBeforeJoin(status, objects.Leases, servers));
    }

    /// <summary>Whether <paramref name="server"/>'s own status reports <paramref name="group"/> Offline
    /// under an epoch at or above <paramref name="epoch"/>.</summary>
    public static bool ReportsOffline(Server? server, string group, long epoch)
    {
        var states = server?.Status?.Groups;
        if (states is null)
        {
            return false;
        }

        var state = states.FirstOrDefault(s => string.Equals(s.Key, group, StringComparison.OrdinalIgnoreCase)).Value;
        return state is not null && state.State == ObjectState.Offline && state.Epoch >= epoch;
    }

    /// <summary>The placement on the group's current server was written before that server's current
    /// agent incarnation joined (its <c>issuedAfter</c> is not above the lease's epoch floor), so the
    /// policy issues it again (DESIGN rule 6).</summary>
    public static bool IssuedBeforeJoin(GroupStatus? status, IReadOnlyDictionary<string, Loaded<Lease>> leases, IReadOnlyDictionary<string, ServerState> servers)
    {
        if (status?.CurrentServer is not { } current || !leases.TryGetValue(current, out var lease) || lease.Value.Status?.Revoked != false)
        {
            return false;
        }

        return servers.TryGetValue(current, out var server) && server.Joined
            && (status.IssuedAfter ?? -1) <= lease.Value.Status.EpochFloor;
    }

    /// <summary>The failover counts kept in the groups' statuses.</summary>
    public static FailoverCounts CountsOf(FailoverCountUnit unit, IEnumerable<Group> groups)
    {
        var counts = new List<KeyValuePair<FailoverCountKey, int>>();
        foreach (var group in groups)
        {
            foreach (var count in group.Status?.FailoverCounts ?? [])
            {
                var key = new FailoverCountKey(group.Metadata.Name, unit == FailoverCountUnit.Server ? count.Server : null);
                if (key.Server is null && unit == FailoverCountUnit.Server)
                {
                    continue;
                }

                counts.Add(new(key, count.Count));
            }
        }

        return new FailoverCounts(unit, counts.GroupBy(c => c.Key).Select(g => new KeyValuePair<FailoverCountKey, int>(g.Key, g.Sum(c => c.Value))));
    }

    /// <summary>One group's counts as its status stores them; null when it has none.</summary>
    public static List<FailoverCount>? CountsFor(FailoverCounts counts, string group)
    {
        var entries = counts.Counts
            .Where(c => string.Equals(c.Key.Group, group, StringComparison.OrdinalIgnoreCase) && c.Value > 0)
            .OrderBy(c => c.Key.Server, StringComparer.Ordinal)
            .Select(c => new FailoverCount { Server = c.Key.Server, Count = c.Value })
            .ToList();
        return entries.Count == 0 ? null : entries;
    }

    /// <summary>A cluster the controller has not written a phase for yet is Stopped.</summary>
    public static ClusterPhase PhaseOf(ClusterPhase? phase) => phase ?? ClusterPhase.Stopped;

    public static GroupDrain? ToStatus(Drain? drain) =>
        drain is null ? null : new GroupDrain { From = drain.From, Target = drain.Target, RequestId = drain.RequestId };
}
