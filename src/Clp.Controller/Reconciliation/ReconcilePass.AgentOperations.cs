using Clp.Core.Model;
using Clp.Policy.Placement;

namespace Clp.Controller.Reconciliation;

/// <summary>The operations the agents carry out (resource start and stop, monitor suspend and resume,
/// failure verification) and the ones the controller and the agents share (cluster and server shutdown
/// and reboot). Agents never write Operations: each reports progress in its own Server status
/// (<see cref="ServerStatus.Operations"/>), and this pass copies it into the Operation's status, after
/// failing at once what no agent could take (a resource of a stopped group, a monitor that is gone).</summary>
internal sealed partial class ReconcilePass
{
    /// <summary>The verbs the agents carry out (the controller mirrors their reports).</summary>
    internal static readonly IReadOnlySet<OperationVerb> AgentVerbs = new HashSet<OperationVerb>
    {
        OperationVerb.ResourceStart, OperationVerb.ResourceStop, OperationVerb.MonitorSuspend, OperationVerb.MonitorResume,
        OperationVerb.FailureVerification,
    };

    private static readonly HashSet<OperationVerb> ClusterPowerVerbs = [OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot];

    private static readonly HashSet<OperationVerb> ServerPowerVerbs = [OperationVerb.ServerShutdown, OperationVerb.ServerReboot];

    /// <summary>Copies agent reports into agent-owned operations, and fails those no agent can take.</summary>
    private void MirrorAgentOperations()
    {
        foreach (var operation in _objects.Operations.Where(o => AgentVerbs.Contains(o.Value.Spec.Verb)))
        {
            var phase = PhaseOf(operation);
            if (phase is not (OperationPhase.Pending or OperationPhase.Running))
            {
                continue;
            }

            var reports = _objects.Servers
                .Select(s => (Server: s.Name, Report: s.Value.Status?.Operations?.GetValueOrDefault(operation.Name)))
                .Where(r => r.Report is not null)
                .Select(r => (r.Server, Report: r.Report!))
                .ToList();
            if (reports.FirstOrDefault(r => r.Report.State == ObjectState.Failed) is { Report: not null } failed)
            {
                Set(operation, OperationPhase.Failed, "AgentFailed", $"{failed.Server}: {failed.Report.LastError}");
                continue;
            }

            var spec = operation.Value.Spec;
            if (spec.Verb is OperationVerb.MonitorSuspend or OperationVerb.MonitorResume)
            {
                MirrorMonitorOperation(operation, reports);
                continue;
            }

            if (reports.FirstOrDefault(r => r.Report.State == ObjectState.Succeeded) is { Report: not null } done)
            {
                Set(operation, OperationPhase.Succeeded, "Done", done.Report.LastError ?? "done");
            }
            else if (reports.FirstOrDefault(r => r.Report.State == ObjectState.Running) is { Report: not null } running)
            {
                Set(operation, OperationPhase.Running, "InProgress", $"{running.Server}: {running.Report.LastError}");
            }
            else if (phase == OperationPhase.Pending && WhyNoAgentCanTake(operation) is { } why)
            {
                Set(operation, OperationPhase.Failed, why.Reason, why.Message);
            }
        }
    }

    private void MirrorMonitorOperation(Loaded<Operation> operation, List<(string Server, ObjectStateOnServer Report)> reports)
    {
        var spec = operation.Value.Spec;
        if (!_objects.Monitors.Any(m => string.Equals(m.Metadata.Name, spec.Target.Name, StringComparison.OrdinalIgnoreCase)))
        {
            Set(operation, OperationPhase.Failed, "NotFound", $"monitor '{spec.Target.Name}' does not exist");
            return;
        }

        var only = Text(spec.Parameters, "server");
        var expected = _servers.Values
            .Where(s => s.Joined && s.Liveness is ServerLiveness.Up or ServerLiveness.Left)
            .Where(s => only is null || string.Equals(s.Name, only, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name)
            .ToList();
        if (only is not null && expected.Count == 0)
        {
            Set(operation, OperationPhase.Failed, "ServerNotUp", $"server {only} has no agent holding its lease");
            return;
        }

        var answered = reports.Where(r => r.Report.State == ObjectState.Succeeded).Select(r => r.Server).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (expected.All(answered.Contains))
        {
            Set(operation, OperationPhase.Succeeded, "Done", string.Join("; ", reports.Select(r => r.Report.LastError)));
        }
    }

    /// <summary>Why no agent can carry out a pending resource or verification operation; null while one may.</summary>
    private (string Reason, string Message)? WhyNoAgentCanTake(Loaded<Operation> operation)
    {
        var spec = operation.Value.Spec;
        if (spec.Verb is OperationVerb.ResourceStart or OperationVerb.ResourceStop)
        {
            var resource = _objects.Resources.FirstOrDefault(r => string.Equals(r.Metadata.Name, spec.Target.Name, StringComparison.OrdinalIgnoreCase));
            if (resource is null)
            {
                return ("NotFound", $"resource '{spec.Target.Name}' does not exist");
            }

            var group = _objects.FindGroup(resource.Spec.Group);
            var current = group is null ? null : _groupStatus[group.Name].CurrentServer;
            return current is null
                ? ("GroupNotRunning", $"group {resource.Spec.Group} of resource {resource.Metadata.Name} is not running: start the group")
                : null;
        }

        var monitor = _objects.Monitors.FirstOrDefault(m => string.Equals(m.Metadata.Name, spec.Target.Name, StringComparison.OrdinalIgnoreCase));
        if (monitor is null)
        {
            return ("NotFound", $"monitor '{spec.Target.Name}' does not exist");
        }

        var server = Text(spec.Parameters, "server");
        if (server is null && monitor.Spec.Target is { } target)
        {
            var group = _objects.Resources.FirstOrDefault(r => string.Equals(r.Metadata.Name, target, StringComparison.OrdinalIgnoreCase))?.Spec.Group;
            server = group is null || _objects.FindGroup(group) is not { } loaded ? null : _groupStatus[loaded.Name].CurrentServer;
        }

        if (server is null)
        {
            return ("NoServer", $"monitor {monitor.Metadata.Name}'s target is not running anywhere: name the server in parameters.server");
        }

        return _servers.TryGetValue(server, out var state) && state.Joined && state.Liveness != ServerLiveness.Down
            ? null
            : ("ServerNotUp", $"server {server} has no agent holding its lease");
    }

    /// <summary>Cluster shutdown and reboot begin as a cluster stop; server shutdown and reboot as a server stop.</summary>
    private void BeginPowerOperation(Loaded<Operation> operation)
    {
        var verb = operation.Value.Spec.Verb;
        if (ClusterPowerVerbs.Contains(verb))
        {
            SupersedeRunning(operation, OperationVerb.ClusterStart, OperationVerb.ClusterStop, OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot);
            SetPhase(ClusterPhase.Stopped, $"operation {operation.Name}");
            _status.StartWhenBack = null;
            Set(operation, OperationPhase.Running, "Stopping", "every group is being released; then every server " + (verb == OperationVerb.ClusterReboot ? "reboots" : "shuts down"));
        }
        else
        {
            LeaveOrReturn(operation, leave: true);
        }
    }

    /// <summary>Once the groups are released, records which agent incarnations go down and completes the
    /// operation: the agents see it Succeeded and run the OS action.</summary>
    private void CompletePowerOperation(Loaded<Operation> operation)
    {
        var spec = operation.Value.Spec;
        var reboot = spec.Verb is OperationVerb.ClusterReboot or OperationVerb.ServerReboot;
        if (ClusterPowerVerbs.Contains(spec.Verb))
        {
            if (_status.Phase != ClusterPhase.Stopped)
            {
                Set(operation, OperationPhase.Failed, "Superseded", $"the cluster is {_status.Phase}");
                return;
            }

            if (!EveryGroupReleased)
            {
                return;
            }

            var going = _servers.Values.Where(s => s.Joined).Select(s => s.Name).ToList();
            foreach (var name in going)
            {
                MarkPoweringDown(name);
            }

            _status.StartWhenBack = reboot ? true : null;
            Set(operation, OperationPhase.Succeeded, reboot ? "Rebooting" : "ShuttingDown",
                $"every group is stopped; {(going.Count == 0 ? "no agent is running" : string.Join(", ", going) + (reboot ? " reboot now; the cluster starts again when they are back" : " shut down now"))}");
            return;
        }

        var server = spec.Target.Name;
        if (!LeaveReleased(operation, server))
        {
            return;
        }

        var marked = MarkPoweringDown(server);
        Set(operation, OperationPhase.Succeeded, reboot ? "Rebooting" : "ShuttingDown", marked
            ? $"server {server} holds no group and {(reboot ? "reboots" : "shuts down")} now; it returns to the cluster when its agent joins again"
            : $"server {server} holds no group; no agent holds its lease, so nothing was told to {(reboot ? "reboot" : "shut down")}");
        if (!marked)
        {
            Return(server);
        }
    }

    private bool MarkPoweringDown(string server)
    {
        if (!_objects.Leases.TryGetValue(server, out var lease) || lease.Value.Status?.Revoked == true)
        {
            return false;
        }

        var map = _status.PoweringDown ?? new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        map[server] = lease.Value.Spec.Incarnation;
        _status.PoweringDown = map;
        return true;
    }

    /// <summary>A server that went down for a shutdown or reboot returns once the incarnation told to go
    /// down is gone (its lease revoked, or a new incarnation joined); after a cluster reboot, the cluster
    /// starts again when every server has.</summary>
    private void ReturnPoweredDownServers()
    {
        if (_status.PoweringDown is not { } map)
        {
            return;
        }

        foreach (var (server, incarnation) in map.ToList())
        {
            var gone = !_objects.Leases.TryGetValue(server, out var lease)
                || lease.Value.Status?.Revoked == true
                || lease.Value.Spec.Incarnation != incarnation;
            if (gone)
            {
                map.Remove(server);
                if ((_status.LeftServers ?? []).Contains(server, StringComparer.OrdinalIgnoreCase))
                {
                    Return(server);
                }
            }
        }

        _status.PoweringDown = map.Count == 0 ? null : map;
        if (map.Count == 0 && _status.StartWhenBack == true)
        {
            _status.StartWhenBack = null;
            if (_status.Phase == ClusterPhase.Stopped)
            {
                SetPhase(ClusterPhase.Starting, "every server is back from the cluster reboot");
                _resetCounts = true;
            }
        }
    }

    private void Return(string server)
    {
        var left = _status.LeftServers ?? [];
        left.RemoveAll(s => string.Equals(s, server, StringComparison.OrdinalIgnoreCase));
        _status.LeftServers = left.Count == 0 ? null : left;
        Plan.Event(ControllerEvents.ServerMembershipChanged, EventSeverity.Info,
            $"Server {server} returns to cluster {ClusterName} after its shutdown or reboot", About(Kinds.Server, server), server);
    }
}
