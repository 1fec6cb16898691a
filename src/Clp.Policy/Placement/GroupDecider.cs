using Clp.Core.Model;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Placement;

/// <summary>Decides one group at a time for <see cref="PlacementPolicy"/>: the cluster phase first, then
/// the group's state (placed, draining, drained with a target, stopped), then its request, then the
/// automatic rules.</summary>
/// <remarks>Safety invariant: a <see cref="Place"/> is issued only for a group that runs nowhere
/// (unplaced and drained, or its server is Down) or again on the same server (<c>Rejoined</c>), and
/// only on an eligible server. Every change away from
/// a server that may be alive is an <see cref="Unplace"/> with a <see cref="Drain"/> first.</remarks>
internal sealed partial class GroupDecider(PlacementInput input, ServerTable servers, Occupancy occupancy, bool syncOver)
{
    public PlacementDecision Decide(GroupState group, PlacementRequest? request) => input.Phase switch
    {
        ClusterPhase.Stopped => Stopped(group, request),
        ClusterPhase.Suspended => Suspended(group, request),
        _ => Active(group, request),
    };

    private PlacementDecision Stopped(GroupState group, PlacementRequest? request)
    {
        var stopId = request?.Kind == PlacementRequestKind.Stop ? request.Id : null;
        if (Release(group, ClusterStop, stopId) is { } unplace)
        {
            return unplace;
        }

        return request switch
        {
            null => new Stay(group.Name, ClusterStopped),
            { Kind: PlacementRequestKind.Stop } => new Stay(group.Name, AlreadyStopped, request.Id),
            _ => new CannotPlace(group.Name, ClusterStopped, request.Id),
        };
    }

    private PlacementDecision Suspended(GroupState group, PlacementRequest? request)
    {
        // Suspend freezes placement (DESIGN rule 8): nothing fails over, nothing starts, pending moves
        // resume after resume; only an operator's stop is carried out.
        if (request is { Kind: PlacementRequestKind.Stop })
        {
            return (PlacementDecision?)Release(group, ManualStop, request.Id) ?? new Stay(group.Name, AlreadyStopped, request.Id);
        }

        return request is null
            ? new Stay(group.Name, ClusterSuspended)
            : new CannotPlace(group.Name, ClusterSuspended, request.Id);
    }

    /// <summary>Unplaces a placed group, or cancels the target of a pending change; null when the group
    /// is already stopped with nothing pending.</summary>
    private Unplace? Release(GroupState group, string reason, string? requestId)
    {
        var next = group.Epoch + 1;
        if (group.Current is { } current)
        {
            return new Unplace(group.Name, next, reason, DrainFrom(current, null, requestId), requestId);
        }

        if (group.Drain is { Target: not null } drain)
        {
            return new Unplace(group.Name, next, reason, servers.Released(group) ? null : drain with { Target = null, RequestId = requestId }, requestId);
        }

        return null;
    }

    private PlacementDecision Active(GroupState group, PlacementRequest? request)
    {
        if (group.Current is { } current)
        {
            return Placed(group, current, request);
        }

        if (group.Drain is { } drain && !servers.Released(group))
        {
            if (request is { Kind: PlacementRequestKind.Stop })
            {
                return drain.Target is null
                    ? new Stay(group.Name, AlreadyStopped, request.Id)
                    : new Unplace(group.Name, group.Epoch + 1, ManualStop, drain with { Target = null, RequestId = request.Id }, request.Id);
            }

            // Any other request waits: nothing may start the group while its old server may run it.
            return new Stay(group.Name, WaitingForOffline);
        }

        return group.Drain is { Target: not null } pending
            ? CompleteChange(group, pending, request)
            : Unplaced(group, request);
    }

    /// <summary>A drain from a down server is nothing to wait for (its lease is revoked).</summary>
    private Drain? DrainFrom(string server, string? target, string? requestId) =>
        servers.IsDown(server) ? null : new Drain(server, target, requestId);
}
