using Clp.Core.Model;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Placement;

/// <summary>Decisions for a group that is placed on a server.</summary>
internal sealed partial class GroupDecider
{
    private PlacementDecision Placed(GroupState group, string current, PlacementRequest? request)
    {
        var next = group.Epoch + 1;
        if (servers.IsDown(current))
        {
            return request is { Kind: PlacementRequestKind.Stop }
                ? new Unplace(group.Name, next, ManualStop, null, request.Id)
                : FailoverFromDown(group, current);
        }

        switch (request)
        {
            case { Kind: PlacementRequestKind.Stop }:
                return new Unplace(group.Name, next, ManualStop, new Drain(current, null, request.Id), request.Id);
            case { Kind: PlacementRequestKind.Start }:
                return new Stay(group.Name, AlreadyPlaced, request.Id);
            case { Kind: PlacementRequestKind.Move }:
                return Move(group, current, request);
            case { Kind: PlacementRequestKind.Failover }:
                return request.Server is null || ServerTable.Same(request.Server, current)
                    ? RecoveryFailover(group, current, request)
                    : new Stay(group.Name, StaleRequest, request.Id);
        }

        if (servers.IsIsolated(current))
        {
            return new Stay(group.Name, ServerIsolated);
        }

        var candidates = servers.CandidatesFor(group.Spec);
        if (servers.IsLeft(current))
        {
            return MoveAway(group, current, ServerLeft);
        }

        // An unknown server (deleted) lands here too: nothing proves it stopped the group, so it is
        // drained like a live server and the group may wait for an Offline that never comes. Waiting
        // is the outcome that cannot double-activate; the operator resolves it.
        if (!candidates.Any(s => ServerTable.Same(s, current)))
        {
            return MoveAway(group, current, NotInPolicy);
        }

        if (group.IssuedBeforeJoin && servers.IsEligible(current))
        {
            return new Place(group.Name, servers.Canonical(current)!, next, Rejoined);
        }

        if (OutrankedByAbsolute(group, current) && Choose(group, candidates.Where(s => !ServerTable.Same(s, current))) is { } free)
        {
            return new Unplace(group.Name, next, Exclusivity, new Drain(current, free));
        }

        if (group.Spec.Failback == FailbackAttribute.Auto && Choose(group, candidates) is { } best
            && IndexOf(candidates, best) < IndexOf(candidates, current))
        {
            return new Unplace(group.Name, next, Failback, new Drain(current, best));
        }

        return new Stay(group.Name, Unchanged);
    }

    /// <summary>The group's server was judged down: place it at once (no drain; the same write revokes
    /// the lease), or record that it runs nowhere.</summary>
    /// <remarks>A server's death is neither charged to nor limited by the failover threshold: as in
    /// CLUSTERPRO, the threshold bounds failovers caused by the group's own failures (activation failure,
    /// a monitor's failover step), which could otherwise bounce a broken group between servers forever; a
    /// dead server's groups always go to a live one.</remarks>
    private PlacementDecision FailoverFromDown(GroupState group, string down)
    {
        var next = group.Epoch + 1;
        var target = Choose(group, servers.CandidatesFor(group.Spec).Where(s => !ServerTable.Same(s, down)));
        return target is null
            ? new Unplace(group.Name, next, NoEligibleServer, null)
            : new Place(group.Name, target, next, ServerDown, From: down);
    }

    private PlacementDecision RecoveryFailover(GroupState group, string current, PlacementRequest request)
    {
        var target = Choose(group, servers.CandidatesFor(group.Spec).Where(s => !ServerTable.Same(s, current)));
        if (target is null)
        {
            return new CannotPlace(group.Name, NoEligibleServer, request.Id);
        }

        return input.Counts.Of(group.Name, current) >= Threshold(group)
            ? new CannotPlace(group.Name, FailoverThresholdReached, request.Id)
            : new Unplace(group.Name, group.Epoch + 1, Failover, new Drain(current, target, request.Id), request.Id,
                input.Counts.KeyFor(group.Name, current));
    }

    private PlacementDecision Move(GroupState group, string current, PlacementRequest request)
    {
        var candidates = servers.CandidatesFor(group.Spec);
        string? target;
        if (request.Server is { } named)
        {
            if (ServerTable.Same(named, current))
            {
                return new Stay(group.Name, AlreadyPlaced, request.Id);
            }

            if (Refusal(group, named, candidates) is { } refusal)
            {
                return new CannotPlace(group.Name, refusal, request.Id);
            }

            target = servers.Canonical(named)!;
        }
        else
        {
            target = Choose(group, candidates.Where(s => !ServerTable.Same(s, current)));
            if (target is null)
            {
                return new CannotPlace(group.Name, NoEligibleServer, request.Id);
            }
        }

        return new Unplace(group.Name, group.Epoch + 1, ManualMove, new Drain(current, target, request.Id), request.Id);
    }

    /// <summary>Phase one away from a live server; the target may be null (nowhere to go yet: the group
    /// is placed by the unplaced-group rules once it drained and a server is available).</summary>
    private Unplace MoveAway(GroupState group, string current, string reason)
    {
        var target = Choose(group, servers.CandidatesFor(group.Spec).Where(s => !ServerTable.Same(s, current)));
        return new Unplace(group.Name, group.Epoch + 1, reason, new Drain(current, target));
    }

    /// <summary>Another Absolute group placed on the same server with a smaller name keeps it (a
    /// deterministic tie-break; shared servers arise only from spec changes).</summary>
    private bool OutrankedByAbsolute(GroupState group, string current) =>
        group.Spec.Exclusive == ExclusiveAttribute.Absolute
        && input.Groups.Any(other => other.Spec.Exclusive == ExclusiveAttribute.Absolute
            && ServerTable.Same(other.Current, current)
            && StringComparer.OrdinalIgnoreCase.Compare(other.Name, group.Name) < 0);

    private static int IndexOf(IReadOnlyList<string> candidates, string server)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (ServerTable.Same(candidates[i], server))
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
