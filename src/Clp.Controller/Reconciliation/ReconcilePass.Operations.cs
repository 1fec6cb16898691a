using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Policy.Placement;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Reconciliation;

/// <summary>The operations the controller owns (DESIGN "Operations are objects"): cluster start, stop,
/// suspend and resume; server stop (leave) and return; group start, stop and move; timeout ratio set and
/// reset; and the group-releasing half of cluster and server shutdown and reboot (the agents run the OS
/// step). The agents' own verbs are in ReconcilePass.AgentOperations.</summary>
internal sealed partial class ReconcilePass
{
    private static readonly HashSet<OperationVerb> GroupVerbs = [OperationVerb.GroupStart, OperationVerb.GroupStop, OperationVerb.GroupMove];

    /// <summary>The verbs this controller carries out.</summary>
    public static IReadOnlySet<OperationVerb> OwnedVerbs { get; } = new HashSet<OperationVerb>
    {
        OperationVerb.ClusterStart, OperationVerb.ClusterStop, OperationVerb.ClusterSuspend, OperationVerb.ClusterResume,
        OperationVerb.ServerStop, OperationVerb.ServerReturn, OperationVerb.GroupStart, OperationVerb.GroupStop,
        OperationVerb.GroupMove, OperationVerb.TimeoutRatioSet, OperationVerb.TimeoutRatioReset,
        OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot, OperationVerb.ServerShutdown, OperationVerb.ServerReboot,
    };

    private IEnumerable<Loaded<Operation>> Owned => _objects.Operations.Where(o => OwnedVerbs.Contains(o.Value.Spec.Verb));

    private OperationPhase PhaseOf(Loaded<Operation> operation) =>
        Plan.OperationChangeOf(operation.Name)?.Phase ?? operation.Value.Status?.Phase ?? OperationPhase.Pending;

    private void ApplyClusterOperations()
    {
        foreach (var operation in Owned.Where(o => PhaseOf(o) == OperationPhase.Pending))
        {
            var spec = operation.Value.Spec;
            switch (spec.Verb)
            {
                case OperationVerb.ClusterStart:
                    Start(operation);
                    break;
                case OperationVerb.ClusterStop:
                    SupersedeRunning(operation, OperationVerb.ClusterStart, OperationVerb.ClusterStop, OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot);
                    _status.StartWhenBack = null;
                    SetPhase(ClusterPhase.Stopped, $"operation {operation.Name}");
                    Set(operation, OperationPhase.Running, "Stopping", "every group is being released");
                    break;
                case OperationVerb.ClusterSuspend when _status.Phase == ClusterPhase.Running:
                    SetPhase(ClusterPhase.Suspended, $"operation {operation.Name}");
                    Set(operation, OperationPhase.Succeeded, "Suspended", "the cluster is suspended: nothing fails over; resources keep running and leases keep renewing");
                    break;
                case OperationVerb.ClusterSuspend:
                    Set(operation, _status.Phase == ClusterPhase.Suspended ? OperationPhase.Succeeded : OperationPhase.Failed,
                        _status.Phase == ClusterPhase.Suspended ? "AlreadySuspended" : "ClusterNotRunning", $"the cluster is {_status.Phase}");
                    break;
                case OperationVerb.ClusterResume when _status.Phase == ClusterPhase.Suspended:
                    SetPhase(ClusterPhase.Running, $"operation {operation.Name}");
                    _countingFrom = _now;
                    Set(operation, OperationPhase.Succeeded, "Resumed", "the cluster runs again; every lease got a fresh T + M");
                    break;
                case OperationVerb.ClusterResume:
                    Set(operation, _status.Phase == ClusterPhase.Running ? OperationPhase.Succeeded : OperationPhase.Failed,
                        _status.Phase == ClusterPhase.Running ? "AlreadyRunning" : "ClusterNotSuspended", $"the cluster is {_status.Phase}");
                    break;
                case OperationVerb.ServerStop:
                    LeaveOrReturn(operation, leave: true);
                    break;
                case var power when ClusterPowerVerbs.Contains(power) || ServerPowerVerbs.Contains(power):
                    BeginPowerOperation(operation);
                    break;
                case OperationVerb.ServerReturn:
                    LeaveOrReturn(operation, leave: false);
                    break;
                case OperationVerb.TimeoutRatioSet:
                    SetTimeoutRatio(operation);
                    break;
                case OperationVerb.TimeoutRatioReset:
                    var had = _status.TimeoutRatio?.Ratio;
                    _status.TimeoutRatio = null;
                    (_ratioEnd, _ratioUntil) = (null, null);
                    Plan.Event(ControllerEvents.TimeoutRatioChanged, EventSeverity.Info,
                        $"The timeout ratio of cluster {ClusterName} was reset{(had is null ? "" : $" (was {had})")}", About(Kinds.Cluster, ClusterName));
                    Set(operation, OperationPhase.Succeeded, "Reset", "the timeout ratio is 1");
                    break;
                case var verb when GroupVerbs.Contains(verb) && _objects.FindGroup(spec.Target.Name) is null:
                    Set(operation, OperationPhase.Failed, "NotFound", $"group '{spec.Target.Name}' does not exist");
                    break;
            }
        }
    }

    private void Start(Loaded<Operation> operation)
    {
        switch (_status.Phase)
        {
            case ClusterPhase.Stopped:
                SupersedeRunning(operation, OperationVerb.ClusterStart, OperationVerb.ClusterStop, OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot);
                _status.StartWhenBack = null;
                SetPhase(ClusterPhase.Starting, $"operation {operation.Name}");
                _resetCounts = true;
                Set(operation, OperationPhase.Running, "Starting", "the cluster starts once every server joined or the startup sync wait is over");
                break;
            case ClusterPhase.Starting:
                Set(operation, OperationPhase.Running, "Starting", "the cluster starts once every server joined or the startup sync wait is over");
                break;
            case ClusterPhase.Running:
                Set(operation, OperationPhase.Succeeded, "AlreadyRunning", "the cluster is running");
                break;
            default:
                Set(operation, OperationPhase.Failed, PlacementReasons.ClusterSuspended, "the cluster is suspended: resume it");
                break;
        }
    }

    private void LeaveOrReturn(Loaded<Operation> operation, bool leave)
    {
        var server = _objects.FindServer(operation.Value.Spec.Target.Name);
        if (server is null)
        {
            Set(operation, OperationPhase.Failed, "NotFound", $"server '{operation.Value.Spec.Target.Name}' does not exist");
            return;
        }

        var name = server.Metadata.Name;
        var left = _status.LeftServers ?? [];
        left.RemoveAll(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        if (leave)
        {
            left.Add(name);
        }
        else
        {
            foreach (var running in Owned.Where(o => o.Value.Spec.Verb is OperationVerb.ServerStop or OperationVerb.ServerShutdown or OperationVerb.ServerReboot
                         && PhaseOf(o) == OperationPhase.Running
                         && string.Equals(o.Value.Spec.Target.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                Set(running, OperationPhase.Failed, "Superseded", $"server {name} returned (operation {operation.Name}) before it had released its groups");
            }
        }

        _status.LeftServers = left.Count == 0 ? null : left;
        Plan.Event(ControllerEvents.ServerMembershipChanged, EventSeverity.Info,
            leave ? $"Server {name} leaves cluster {ClusterName}: its groups move away" : $"Server {name} returns to cluster {ClusterName}",
            About(Kinds.Server, name), name);
        if (leave)
        {
            Set(operation, OperationPhase.Running, "Leaving", $"server {name} is releasing its groups");
        }
        else
        {
            Set(operation, OperationPhase.Succeeded, "Returned", $"server {name} may receive groups again once its agent holds its lease");
        }
    }

    private void SetTimeoutRatio(Loaded<Operation> operation)
    {
        var parameters = operation.Value.Spec.Parameters;
        var ratio = (int)(Integer(parameters, "ratio") ?? 1);
        var duration = Integer(parameters, "durationSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var until = duration is { } d ? _wall + d : (DateTimeOffset?)null;
        _status.TimeoutRatio = new TimeoutRatioStatus { Ratio = ratio, Until = until };
        (_ratioEnd, _ratioUntil) = (duration is { } span ? _now + span : null, until);
        Plan.Event(ControllerEvents.TimeoutRatioChanged, EventSeverity.Info,
            $"The timeout ratio of cluster {ClusterName} is {ratio}{(duration is null ? " until reset" : $" for {duration.Value.TotalSeconds:0} s")}",
            About(Kinds.Cluster, ClusterName));
        Set(operation, OperationPhase.Succeeded, "Set",
            $"timeout ratio {ratio}{(until is null ? " until reset" : $" until {until:O}")}; agents apply it from their next renewal");
    }

    private void SupersedeRunning(Loaded<Operation> by, params OperationVerb[] verbs)
    {
        foreach (var running in Owned.Where(o => verbs.Contains(o.Value.Spec.Verb) && PhaseOf(o) == OperationPhase.Running && o.Name != by.Name))
        {
            Set(running, OperationPhase.Failed, "Superseded", $"superseded by operation {by.Name} ({by.Value.Spec.Verb})");
        }
    }

    /// <summary>Pending group operations, oldest first, as the policy's requests.</summary>
    private List<PlacementRequest> PendingRequests()
    {
        var requests = new List<PlacementRequest>();
        foreach (var operation in Owned.Where(o => GroupVerbs.Contains(o.Value.Spec.Verb) && PhaseOf(o) == OperationPhase.Pending))
        {
            var spec = operation.Value.Spec;
            var group = _objects.FindGroup(spec.Target.Name);
            if (group is null)
            {
                continue;
            }

            var kind = spec.Verb switch
            {
                OperationVerb.GroupStart => PlacementRequestKind.Start,
                OperationVerb.GroupStop => PlacementRequestKind.Stop,
                _ => PlacementRequestKind.Move,
            };
            requests.Add(new PlacementRequest(operation.Name, kind, group.Name, Text(spec.Parameters, "server")));
        }

        requests.AddRange(RecoveryFailovers());
        return requests;
    }

    /// <summary>Agents ask for a recovery failover (activation failure past its retries, a monitor's failover
    /// step) by reporting the group "Online Failure" in their own status at the group's current epoch, and
    /// for a group stop (a monitor's final action) the same way with request Stop; the request is answered
    /// by the placement that follows and is not an Operation.</summary>
    private IEnumerable<PlacementRequest> RecoveryFailovers()
    {
        foreach (var group in _objects.Groups)
        {
            var status = group.Value.Status;
            if (status?.CurrentServer is not { } current || status.Drain is not null)
            {
                continue;
            }

            var report = _objects.FindServer(current)?.Status?.Groups?.GetValueOrDefault(group.Name);
            if (report is { State: ObjectState.OnlineFailure } && report.Epoch == status.Epoch)
            {
                yield return report.Request == GroupRequest.Stop
                    ? new PlacementRequest($"recovery-stop-{group.Name}-{status.Epoch}", PlacementRequestKind.Stop, group.Name, null)
                    : new PlacementRequest($"recovery-{group.Name}-{status.Epoch}", PlacementRequestKind.Failover, group.Name, null);
            }
        }
    }

    /// <summary>A decision that carries a request id answers (or begins) that operation.</summary>
    private void AnswerRequest(PlacementDecision decision, GroupStatus status)
    {
        var operation = decision.RequestId is { } id ? _objects.Operations.FirstOrDefault(o => o.Name == id) : null;
        if (operation is null || Plan.OperationChangeOf(operation.Name)?.IsFinal == true)
        {
            return;
        }

        switch (decision)
        {
            case Place place:
                Set(operation, OperationPhase.Succeeded, place.Reason, $"group {place.Group} placed on {place.Server} (epoch {place.Epoch})");
                break;
            case CannotPlace cannot:
                Set(operation, OperationPhase.Failed, cannot.Reason, Explain(cannot));
                break;
            case Unplace unplace:
                Set(operation, OperationPhase.Running, unplace.Reason, unplace.Drain is { } drain
                    ? $"group {unplace.Group} is being released by {drain.From} (epoch {unplace.Epoch}){(drain.Target is null ? "" : $", then placed on {drain.Target}")}"
                    : $"group {unplace.Group} unplaced (epoch {unplace.Epoch})");
                break;
            case Stay stay when operation.Value.Spec.Verb == OperationVerb.GroupStop && !Released(stay.Group, status):
                Set(operation, OperationPhase.Running, stay.Reason, $"group {stay.Group} is being released");
                break;
            case Stay stay:
                Set(operation, OperationPhase.Succeeded, stay.Reason, $"nothing to do: {stay.Reason}");
                break;
        }
    }

    /// <summary>Finishes running operations whose effect is complete (or was undone by a later one).</summary>
    private void CompleteOperations()
    {
        foreach (var operation in Owned.Where(o => PhaseOf(o) == OperationPhase.Running))
        {
            var spec = operation.Value.Spec;
            var group = _objects.FindGroup(spec.Target.Name);
            var status = group is null ? null : _groupStatus[group.Name];
            switch (spec.Verb)
            {
                case var verb when GroupVerbs.Contains(verb) && status is null:
                    Set(operation, OperationPhase.Failed, "NotFound", $"group '{spec.Target.Name}' was deleted");
                    break;
                case OperationVerb.GroupMove when status!.Drain?.RequestId != operation.Name:
                    Set(operation, OperationPhase.Failed, "Superseded", $"the move of group {group!.Name} was replaced by another placement change");
                    break;
                case OperationVerb.GroupStop when status!.CurrentServer is not null:
                    Set(operation, OperationPhase.Failed, "Superseded", $"group {group!.Name} was started again before it stopped");
                    break;
                case OperationVerb.GroupStop when Released(group!.Name, status!):
                    Set(operation, OperationPhase.Succeeded, PlacementReasons.ManualStop, $"group {group.Name} is stopped");
                    break;
                case OperationVerb.GroupStart when status!.CurrentServer is { } server:
                    Set(operation, OperationPhase.Succeeded, status.Reason ?? PlacementReasons.ManualStart, $"group {group!.Name} placed on {server}");
                    break;
                case OperationVerb.ClusterStart when _status.Phase == ClusterPhase.Running:
                    Set(operation, OperationPhase.Succeeded, PlacementReasons.Startup, "the cluster is running");
                    break;
                case OperationVerb.ClusterStart when _status.Phase != ClusterPhase.Starting:
                    Set(operation, OperationPhase.Failed, "Superseded", $"the cluster is {_status.Phase}");
                    break;
                case OperationVerb.ClusterStop when _status.Phase != ClusterPhase.Stopped:
                    Set(operation, OperationPhase.Failed, "Superseded", $"the cluster is {_status.Phase}");
                    break;
                case OperationVerb.ClusterStop when EveryGroupReleased:
                    Set(operation, OperationPhase.Succeeded, PlacementReasons.ClusterStop, "every group is stopped");
                    break;
                case OperationVerb.ServerStop:
                    CompleteLeave(operation);
                    break;
                case var power when ClusterPowerVerbs.Contains(power) || ServerPowerVerbs.Contains(power):
                    CompletePowerOperation(operation);
                    break;
            }
        }
    }

    private void CompleteLeave(Loaded<Operation> operation)
    {
        var name = operation.Value.Spec.Target.Name;
        if (LeaveReleased(operation, name))
        {
            Set(operation, OperationPhase.Succeeded, PlacementReasons.ServerLeft, $"server {name} left the cluster and holds no group");
        }
    }

    /// <summary>For a leave (server stop, shutdown, reboot): true once the server, still left, holds no group
    /// and its old groups are released; fails the operation as Superseded when the server returned first.</summary>
    private bool LeaveReleased(Loaded<Operation> operation, string server)
    {
        if (!(_status.LeftServers ?? []).Contains(server, StringComparer.OrdinalIgnoreCase))
        {
            Set(operation, OperationPhase.Failed, "Superseded", $"server {server} returned before it had released its groups");
            return false;
        }

        return !_groupStatus.Any(g => string.Equals(g.Value.CurrentServer, server, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(g.Value.Drain?.From, server, StringComparison.OrdinalIgnoreCase) && !Released(g.Key, g.Value)));
    }

    /// <summary>Every group is unplaced and nothing may still run it.</summary>
    private bool EveryGroupReleased => _groupStatus.All(g => g.Value.CurrentServer is null && Released(g.Key, g.Value));

    /// <summary>Nothing may still run the group: no drain, or its old server reported it Offline for the
    /// current epoch, or that server is down (its lease is revoked, so it fenced).</summary>
    private bool Released(string group, GroupStatus status) =>
        status.Drain is not { } drain
        || InputBuilder.ReportsOffline(_objects.FindServer(drain.From), group, status.Epoch)
        || (_servers.TryGetValue(drain.From, out var from) && from.Liveness == ServerLiveness.Down);

    private void Set(Loaded<Operation> operation, OperationPhase phase, string reason, string message)
    {
        var change = new OperationChange(operation, phase, reason, message);
        var previous = Plan.OperationChangeOf(operation.Name);
        if (previous is not null && previous.Phase == phase && previous.Reason == reason)
        {
            return;
        }

        if (previous is null && operation.Value.Status?.Phase == phase && operation.Value.Status?.Message == message)
        {
            return;
        }

        Plan.SetOperation(change);
        if (change.IsFinal)
        {
            var ok = phase == OperationPhase.Succeeded;
            Plan.Event(ok ? ControllerEvents.OperationSucceeded : ControllerEvents.OperationFailed, ok ? EventSeverity.Info : EventSeverity.Error,
                $"Operation {operation.Name} ({operation.Value.Spec.Verb} {operation.Value.Spec.Target.Kind} {operation.Value.Spec.Target.Name}) {(ok ? "succeeded" : "failed")}: {reason}: {message}",
                About(Kinds.Operation, operation.Name));
            LogOperation(ClusterName, operation.Name, operation.Value.Spec.Verb, phase, reason, message);
        }
    }

    private static string Explain(CannotPlace cannot) => cannot.Reason switch
    {
        PlacementReasons.TargetNotEligible => $"the target server cannot take group {cannot.Group}: it is unknown, not up and joined, or not in the group's failover policy",
        PlacementReasons.NoEligibleServer => $"no server of group {cannot.Group}'s failover policy is up and joined",
        PlacementReasons.NotPlaced => $"group {cannot.Group} is not placed; start it instead",
        PlacementReasons.ClusterStopped => "the cluster is stopped: start it first",
        PlacementReasons.ClusterSuspended => "the cluster is suspended: resume it first",
        PlacementReasons.Exclusivity => $"the target already runs another exclusive group",
        PlacementReasons.FailoverThresholdReached => $"group {cannot.Group} reached its failover threshold",
        _ => cannot.Reason,
    };

    private static string? Text(JsonObject? parameters, string name) =>
        parameters?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Integer(JsonObject? parameters, string name) =>
        parameters?[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    private void PlanGroupAndClusterWrites()
    {
        foreach (var group in _objects.Groups)
        {
            var status = _groupStatus[group.Name];
            status.ObservedGeneration = group.Value.Metadata.Generation;

            if (!StoredJson.Same(status, group.Value.Status ?? new GroupStatus()))
            {
                Plan.SetGroup(group, status);
            }
        }

        _status.ObservedGeneration = _objects.Cluster.Value.Metadata.Generation;
        if (!StoredJson.Same(_status, _statusBefore))
        {
            Plan.SetCluster(_objects.Cluster, _status);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {Cluster}/{Operation} {Verb}: {Phase} ({Reason}: {Message})")]
    private partial void LogOperation(string cluster, string operation, OperationVerb verb, OperationPhase phase, string reason, string message);
}
