using Clp.Core.Model;
using Clp.Policy.Placement;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Reconciliation;

/// <summary>Placement: the policy's input, its decisions turned into group statuses and events.</summary>
internal sealed partial class ReconcilePass
{
    private FailoverCounts _counts = new(FailoverCountUnit.Server);

    private PlacementResult Decide()
    {
        var unit = _objects.Cluster.Value.Spec.FailoverCountUnit;
        _counts = _resetCounts ? new FailoverCounts(unit) : InputBuilder.CountsOf(unit, _objects.Groups.Select(g => g.Value));
        var input = InputBuilder.Build(_objects, InputBuilder.PhaseOf(_status.Phase), _servers, _now, _startedAt ?? _now, PendingRequests(), _counts);
        return PlacementPolicy.Decide(input);
    }

    private void ApplyDecisions(PlacementResult result)
    {
        foreach (var decision in result.Decisions)
        {
            var group = _objects.FindGroup(decision.Group);
            if (group is null)
            {
                continue;
            }

            var status = _groupStatus[group.Name];
            var was = status.CurrentServer;
            switch (decision)
            {
                case Place place:
                    status.CurrentServer = place.Server;
                    status.Epoch = place.Epoch;
                    status.StoreUid = _storeUid;
                    status.Reason = place.Reason;
                    status.Drain = null;
                    status.IssuedAfter = _issuedAfter;
                    EventForPlace(group.Name, place, was);
                    LogPlaced(ClusterName, group.Name, place.Server, place.Epoch, place.Reason, place.RequestId);
                    break;
                case Unplace unplace:
                    status.CurrentServer = null;
                    status.Epoch = unplace.Epoch;
                    status.StoreUid = _storeUid;
                    status.Reason = unplace.Reason;
                    status.Drain = InputBuilder.ToStatus(unplace.Drain);
                    status.IssuedAfter = _issuedAfter;
                    Charge(unplace.Charge);
                    EventForUnplace(group.Name, unplace, was);
                    LogUnplaced(ClusterName, group.Name, was ?? unplace.Drain?.From, unplace.Epoch, unplace.Reason, unplace.Drain?.Target, unplace.RequestId);
                    break;
                case CannotPlace cannot when cannot.RequestId is null:
                    LogCannotPlace(ClusterName, group.Name, cannot.Reason);
                    break;
            }

            AnswerRequest(decision, status);
        }

        foreach (var group in _objects.Groups)
        {
            _groupStatus[group.Name].FailoverCounts = InputBuilder.CountsFor(_counts, group.Name);
        }
    }

    private void Charge(FailoverCountKey? key)
    {
        if (key is { } charged)
        {
            _counts = _counts.Charged(charged);
            _failovers++;
        }
    }

    private void EventForPlace(string group, Place place, string? was)
    {
        var about = About(Kinds.Group, group);
        if (place.Reason is PlacementReasons.ServerDown or PlacementReasons.Failover && place.From is { } from)
        {
            Plan.Event(ControllerEvents.GroupFailedOver, EventSeverity.Warning,
                $"Group {group} failed over from {from} to {place.Server} ({place.Reason}, epoch {place.Epoch})", about, place.Server);
            return;
        }

        var origin = place.From is { } left && !string.Equals(left, place.Server, StringComparison.OrdinalIgnoreCase) ? $" from {left}" : was is null ? "" : $" (was on {was})";
        Plan.Event(ControllerEvents.GroupPlaced, EventSeverity.Info,
            $"Group {group} placed on {place.Server}{origin} ({place.Reason}, epoch {place.Epoch})", about, place.Server);
    }

    private void EventForUnplace(string group, Unplace unplace, string? was)
    {
        var about = About(Kinds.Group, group);
        if (unplace.Drain is { } drain)
        {
            var next = drain.Target is { } target ? $", then to {target}" : "";
            Plan.Event(ControllerEvents.GroupReleasing, EventSeverity.Info,
                $"Group {group} is being released by {drain.From}{next} ({unplace.Reason}, epoch {unplace.Epoch})", about, drain.From);
            return;
        }

        var severity = unplace.Reason is PlacementReasons.NoEligibleServer or PlacementReasons.FailoverThresholdReached ? EventSeverity.Warning : EventSeverity.Info;
        Plan.Event(severity == EventSeverity.Warning ? ControllerEvents.GroupWithoutServer : ControllerEvents.GroupReleasing, severity,
            $"Group {group} is placed nowhere{(was is null ? "" : $" (was on {was})")} ({unplace.Reason}, epoch {unplace.Epoch})", about, was);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Cluster}/{Group} placed on {Server} epoch {Epoch} ({Reason}, request {RequestId})")]
    private partial void LogPlaced(string cluster, string group, string server, long epoch, string reason, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Cluster}/{Group} unplaced from {Server} epoch {Epoch} ({Reason}, next {Target}, request {RequestId})")]
    private partial void LogUnplaced(string cluster, string group, string? server, long epoch, string reason, string? target, string? requestId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Group {Cluster}/{Group} cannot be placed: {Reason}")]
    private partial void LogCannotPlace(string cluster, string group, string reason);
}
