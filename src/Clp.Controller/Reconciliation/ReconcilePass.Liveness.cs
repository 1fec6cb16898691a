using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Placement;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Reconciliation;

/// <summary>The down judgement (DESIGN rule 5) and each server's liveness for the policy.</summary>
internal sealed partial class ReconcilePass
{
    /// <summary>Liveness per server: no lease = Up but not joined (never eligible); a revoked lease =
    /// Down; an unrevoked lease silent for more than T + M = Down, revoked now; a server that left =
    /// Left while its lease is fresh. A suspended cluster judges nobody (rule 8).</summary>
    private void JudgeServers()
    {
        var judging = _status.Phase != ClusterPhases.Suspended;
        _countingFrom = Instant.Max(_countingFrom, _countingFloor(_now));
        var timeout = TimeSpan.FromMilliseconds((long)(_objects.Cluster.Value.Spec.Heartbeat?.TimeoutMs ?? 30_000) * CurrentRatio);
        _judge = judging ? new DownJudge(timeout, _countingFrom) : null;
        var left = new HashSet<string>(_status.LeftServers ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var loaded in _objects.Servers)
        {
            var server = loaded.Value;
            var name = loaded.Name;
            var priority = server.Spec.Priority;
            if (!_objects.Leases.TryGetValue(name, out var lease))
            {
                _servers[name] = new ServerState(name, priority, left.Contains(name) ? ServerLiveness.Left : ServerLiveness.Up, Joined: false);
                continue;
            }

            var spec = lease.Value.Spec;
            var view = _registry.Observe(_state.Key, name, spec.Incarnation, TimeSpan.FromMilliseconds(spec.TimeoutMs), lease.Value.Status?.Revoked == true);
            if (lease.Value.Status?.Revoked == true)
            {
                _servers[name] = new ServerState(name, priority, ServerLiveness.Down, Joined: false);
                continue;
            }

            // Revoked in memory by an earlier pass whose transaction did not commit, or silent too long
            // now. TryRevoke refuses if a renewal arrived since the judgement: then it is not down.
            var down = view.Revoked
                || (_judge is not null && _judge.IsDown(_now, view.LastReceived, view.StatedTimeout)
                    && _registry.TryRevoke(_state.Key, name, spec.Incarnation, view.LastReceived));
            if (down)
            {
                RevokeLease(lease, server, view.LastReceived, _judge?.Limit(view.StatedTimeout));
                _servers[name] = new ServerState(name, priority, ServerLiveness.Down, Joined: false);
                continue;
            }

            if (judging)
            {
                _judged.Add(name);
            }

            _servers[name] = new ServerState(name, priority, left.Contains(name) ? ServerLiveness.Left : ServerLiveness.Up, Joined: true);
        }
    }

    private void RevokeLease(Loaded<Lease> lease, Server server, Instant? lastReceived, TimeSpan? limit)
    {
        var status = Clone(lease.Value.Status ?? new LeaseStatus());
        status.Revoked = true;
        status.RevokeTime = _wall;
        status.RevokeReason = PlacementReasons.ServerDown;
        Plan.Revoke(lease, status);
        _revoked.Add(lease.Name);
        var silence = lastReceived is { } last ? $"{(_now - last).TotalMilliseconds:0} ms since its last renewal was received" : "no renewal received since counting started";
        Plan.Event(ControllerEvents.ServerDown, EventSeverity.Error,
            $"Server {server.Metadata.Name} judged down: {silence} (limit T + M = {limit?.TotalMilliseconds:0} ms)",
            About(Kinds.Server, server.Metadata.Name), server.Metadata.Name);
        Plan.Event(ControllerEvents.LeaseRevoked, EventSeverity.Warning,
            $"Lease of server {server.Metadata.Name} (agent incarnation {lease.Value.Spec.Incarnation}) revoked: its renewals get 409, it fences and rejoins",
            About(Kinds.Lease, lease.Name), server.Metadata.Name);
        LogServerDown(ClusterName, server.Metadata.Name, lease.Value.Spec.Incarnation, silence);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {Cluster}/{Server} judged down (incarnation {Incarnation}): {Silence}; its lease is revoked")]
    private partial void LogServerDown(string cluster, string server, long incarnation, string silence);
}
