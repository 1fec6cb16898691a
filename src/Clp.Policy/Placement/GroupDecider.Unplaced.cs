using Clp.Core.Model;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Placement;

/// <summary>Decisions for a group that runs nowhere, and the target choice shared by all rules.</summary>
internal sealed partial class GroupDecider
{
    /// <summary>Phase two of a change: the old server released the group, so it may be placed.</summary>
    private PlacementDecision CompleteChange(GroupState group, Drain drain, PlacementRequest? request)
    {
        var next = group.Epoch + 1;
        if (request is { Kind: PlacementRequestKind.Stop })
        {
            return new Unplace(group.Name, next, ManualStop, null, request.Id);
        }

        // The intended target if it still qualifies; otherwise the first eligible server, the old one
        // last (it was being left for a reason, but running there beats not running).
        var candidates = servers.CandidatesFor(group.Spec);
        var target = drain.Target is { } intended && Refusal(group, intended, candidates) is null
            ? servers.Canonical(intended)
            : Choose(group, candidates.OrderBy(s => ServerTable.Same(s, drain.From)));
        return target is null
            ? new CannotPlace(group.Name, NoEligibleServer)
            : new Place(group.Name, target, next, group.Reason ?? ManualMove, drain.RequestId, drain.From);
    }

    private PlacementDecision Unplaced(GroupState group, PlacementRequest? request)
    {
        switch (request)
        {
            case { Kind: PlacementRequestKind.Stop }:
                return new Stay(group.Name, AlreadyStopped, request.Id);
            case { Kind: PlacementRequestKind.Move }:
                return new CannotPlace(group.Name, NotPlaced, request.Id);
            case { Kind: PlacementRequestKind.Failover }:
                return new Stay(group.Name, StaleRequest, request.Id);
            case { Kind: PlacementRequestKind.Start }:
                return Start(group, request);
        }

        var manual = group.Spec.Startup == StartupAttribute.Manual;
        if (input.Phase == ClusterPhase.Starting)
        {
            // A cluster start starts every automatic group, whatever stopped it in the previous run.
            return manual ? new Stay(group.Name, ManualStartRequired)
                : !syncOver ? new Stay(group.Name, StartupSyncWait)
                : PlaceFirst(group, Startup);
        }

        return group.Reason switch
        {
            ManualStop or FailoverThresholdReached => new Stay(group.Name, group.Reason),
            null or ClusterStop => manual ? new Stay(group.Name, ManualStartRequired) : PlaceFirst(group, Startup),

            // It was running and lost its server (down with nowhere to go, server left, ...): it still
            // wants to run, whatever its startup attribute.
            _ => PlaceFirst(group, ServerAvailable),
        };
    }

    private PlacementDecision Start(GroupState group, PlacementRequest request)
    {
        if (request.Server is not { } named)
        {
            return PlaceFirst(group, ManualStart, request.Id);
        }

        return Refusal(group, named, servers.CandidatesFor(group.Spec)) is { } refusal
            ? new CannotPlace(group.Name, refusal, request.Id)
            : new Place(group.Name, servers.Canonical(named)!, group.Epoch + 1, ManualStart, request.Id);
    }

    private PlacementDecision PlaceFirst(GroupState group, string reason, string? requestId = null) =>
        Choose(group, servers.CandidatesFor(group.Spec)) is { } target
            ? new Place(group.Name, target, group.Epoch + 1, reason, requestId)
            : new CannotPlace(group.Name, NoEligibleServer, requestId);

    /// <summary>Why <paramref name="server"/> cannot take the group, or null if it can.</summary>
    private string? Refusal(GroupState group, string server, IReadOnlyList<string> candidates)
    {
        if (!servers.IsEligible(server) || !candidates.Any(s => ServerTable.Same(s, server)))
        {
            return TargetNotEligible;
        }

        return group.Spec.Exclusive == ExclusiveAttribute.Absolute
            && occupancy.HasOther(server, group.Name, ExclusiveAttribute.Absolute) ? Exclusivity : null;
    }

    /// <summary>The first eligible server in <paramref name="ordered"/> that exclusivity allows: Absolute
    /// never shares with another Absolute group; Normal prefers a server without another Normal group
    /// and takes the first eligible one otherwise; Off takes the first eligible.</summary>
    private string? Choose(GroupState group, IEnumerable<string> ordered)
    {
        var eligible = ordered.Where(servers.IsEligible).ToList();
        return group.Spec.Exclusive switch
        {
            ExclusiveAttribute.Absolute => eligible.FirstOrDefault(s => !occupancy.HasOther(s, group.Name, ExclusiveAttribute.Absolute)),
            ExclusiveAttribute.Normal => eligible.FirstOrDefault(s => !occupancy.HasOther(s, group.Name, ExclusiveAttribute.Normal))
                ?? eligible.FirstOrDefault(),
            _ => eligible.FirstOrDefault(),
        };
    }

    private int Threshold(GroupState group) => group.FailoverThreshold ?? servers.Count;
}
