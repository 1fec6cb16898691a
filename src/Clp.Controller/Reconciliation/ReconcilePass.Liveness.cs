using Clp.Core.Model;
using Clp.Controller.Leases;
using Clp.Policy.Leases;
using Clp.Policy.Partitions;
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
    /// <remarks>T is the cluster's T (ratio applied) raised to the longest T a live agent last stated: a
    /// longer T applies at once, a shorter one only once every live agent acknowledged it in a renewal
    /// (rule 8; <see cref="DownJudge.Acknowledged"/>). The settle time uses the same T.</remarks>
    private void JudgeServers()
    {
        var judging = _status.Phase != ClusterPhase.Suspended;
        _countingFrom = Instant.Max(_countingFrom, _countingFloor(_now));
        foreach (var loaded in _objects.Servers)
        {
            // Learn every lease before the longest stated T is read (after a restart the registry starts empty).
            if (_objects.Leases.TryGetValue(loaded.Name, out var held))
            {
                _registry.Observe(_state.Key, loaded.Name, held.Value.Spec.Incarnation, TimeSpan.FromMilliseconds(held.Value.Spec.TimeoutMs), held.Value.Status?.Revoked == true);
            }
        }

        var clusterTimeout = TimeSpan.FromMilliseconds((long)(_objects.Cluster.Value.Spec.Heartbeat?.TimeoutMs ?? 30_000) * CurrentRatio);
        var judge = new DownJudge(clusterTimeout, _countingFrom);
        _baseJudge = judging ? judge : null;
        _judge = judging ? judge.Acknowledged(_registry.LongestStatedTimeout(_state.Key)) : null;
        var timeout = _judge?.ClusterTimeout ?? clusterTimeout;
        var left = new HashSet<string>(_status.LeftServers ?? [], StringComparer.OrdinalIgnoreCase);
        var silent = new List<(Loaded<Lease> Lease, Server Server, LeaseView View)>();
        var settled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var loaded in _objects.Servers)
        {
            if (Observe(loaded, judging, timeout, left, settled) is { } quiet)
            {
                silent.Add(quiet);
            }
        }

        foreach (var (lease, server, view) in silent)
        {
            JudgeSilent(lease, server, view, settled, timeout);
        }
    }

    /// <summary>One server's liveness from its lease and the registry's view of it; a server silent past T + M (not
    /// judged yet: that needs every live server's settle state first) is returned instead.</summary>
    private (Loaded<Lease> Lease, Server Server, LeaseView View)? Observe(Loaded<Server> loaded, bool judging, TimeSpan timeout, HashSet<string> left, HashSet<string> settled)
    {
        var server = loaded.Value;
        var name = loaded.Name;
        var priority = server.Spec.Priority;
        if (!_objects.Leases.TryGetValue(name, out var lease))
        {
            _servers[name] = new ServerState(name, priority, left.Contains(name) ? ServerLiveness.Left : ServerLiveness.Up, Joined: false);
            return null;
        }

        var spec = lease.Value.Spec;
        var view = _registry.Observe(_state.Key, name, spec.Incarnation, TimeSpan.FromMilliseconds(spec.TimeoutMs), lease.Value.Status?.Revoked == true);
        if (lease.Value.Status?.Revoked == true)
        {
            _servers[name] = new ServerState(name, priority, ServerLiveness.Down, Joined: false);
            return null;
        }

        if (view.Revoked)
        {
            // Revoked in memory by an earlier pass whose transaction did not commit.
            RevokeLease(lease, server, view.LastReceived, _judge?.Limit(view.StatedTimeout), null);
            _servers[name] = new ServerState(name, priority, ServerLiveness.Down, Joined: false);
            return null;
        }

        if (_judge is not null && _judge.IsDown(_now, view.LastReceived, view.StatedTimeout))
        {
            return (lease, server, view);
        }

        if (judging)
        {
            _judged.Add(name);
        }

        var restricted = FailedRestriction(server);
        // A voter: its vote token is valid now, and it has been live (an unbroken token chain, no gap
        // longer than T) for the settle time.
        if (restricted is null && view.LiveSince is { } since && view.VoteUntil is { } voteUntil && _now <= voteUntil)
        {
            var settledAt = Instant.Max(since, _countingFrom) + Settle(timeout);
            if (_now >= settledAt)
            {
                settled.Add(name);
            }
            else
            {
                _settlesAt = Min(_settlesAt, settledAt);
            }
        }

        _servers[name] = new ServerState(name, priority,
            left.Contains(name) ? ServerLiveness.Left : restricted is null ? ServerLiveness.Up : ServerLiveness.Isolated, Joined: true);
        return null;
    }

    /// <summary>A silent server is down, revoked now, unless the revocation finds a renewal that arrived since (then
    /// it is live) or it may be running its groups under a deferred fence (then it is held).</summary>
    private void JudgeSilent(Loaded<Lease> lease, Server server, LeaseView view, HashSet<string> settled, TimeSpan timeout)
    {
        var name = lease.Name;
        var hold = WhyNotDown(name, settled, timeout);

        // TryRevoke refuses if a renewal arrived since the judgement: then it is not down.
        if (hold is null && _registry.TryRevoke(_state.Key, name, lease.Value.Spec.Incarnation, view.LastReceived))
        {
            RevokeLease(lease, server, view.LastReceived, _judge?.Limit(view.StatedTimeout), _quorumReason);
            _servers[name] = new ServerState(name, server.Spec.Priority, ServerLiveness.Down, Joined: false);
            return;
        }

        if (hold is null)
        {
            // A renewal arrived since the judgement: live after all.
            _judged.Add(name);
            _servers[name] = new ServerState(name, server.Spec.Priority, ServerLiveness.Up, Joined: true);
            return;
        }

        // Not on the down timer (its moment has passed): re-checked every interval instead.
        _servers[name] = new ServerState(name, server.Spec.Priority, ServerLiveness.Isolated, Joined: true);
        Hold(server, hold);
    }

    private string? _quorumReason;

    /// <summary>The silent servers this pass holds (the state learns them only once the pass committed, so
    /// the event of a pass that did not commit is written again).</summary>
    private readonly HashSet<string> _held = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The next instant a live server becomes settled (when a held server may be judged again).</summary>
    private Instant? _settlesAt;

    /// <summary>The settle time S = 2 T (docs/partition-safety.md, section 6): a server counts for a down
    /// judgement only once it renewed continuously for S.</summary>
    private static TimeSpan Settle(TimeSpan timeout) => timeout + timeout;

    /// <summary>Why a silent server may not be judged down yet, or null when it may (section 6). It may when
    /// it cannot be deferring its fence (the servers it could count, those sharing a LAN interconnect with
    /// it that are not settled live, cannot make its side survive), or when the settled live servers with
    /// the witness survive NP resolution (then no disjoint side can).</summary>
    private string? WhyNotDown(string name, HashSet<string> settled, TimeSpan timeout)
    {
        var cluster = _objects.Cluster.Value;
        var resolvers = cluster.Spec.NpResolvers ?? [];
        var servers = _objects.Servers.Select(l => new NpServer(l.Name, l.Value.Spec.Priority)).ToList();
        var possible = PossibleSide(name, settled);
        if (possible.Count == 1)
        {
            _quorumReason = "it cannot defer its fence (no server without a settled lease shares an interconnect with it)";
            return null;
        }

        if (!resolvers.Any(r => r.Type is NpResolverType.Disk or NpResolverType.Com))
        {
            // The best case for that side: every check passes.
            var optimistic = possible.ToDictionary(s => s, _ => new NpObservation
            {
                Checks = resolvers.ToDictionary(r => r.Name, _ => true),
            }, StringComparer.OrdinalIgnoreCase);
            var best = NpResolution.Decide(servers, resolvers, new NpSide(possible, HasWitness: false), optimistic);
            if (!best.Survives)
            {
                _quorumReason = $"it cannot defer its fence: with every server it could count ({string.Join(", ", possible.Order(StringComparer.Ordinal))}) its side would not survive ({best.Reason})";
                return null;
            }
        }

        var observations = _objects.Servers.Where(l => settled.Contains(l.Name))
            .ToDictionary(l => l.Name, l => NpObservation.From(l.Value.Status?.Partition), StringComparer.OrdinalIgnoreCase);
        var verdict = NpResolution.Decide(servers, resolvers, new NpSide(settled, HasWitness: true), observations);
        if (!verdict.Survives)
        {
            return $"it may be running its groups under a deferred fence with {string.Join(", ", possible.Where(s => !Same(s, name)).Order(StringComparer.Ordinal))}, and the servers settled live for {Settle(timeout).TotalMilliseconds:0} ms ({(settled.Count == 0 ? "none" : string.Join(", ", settled.Order(StringComparer.Ordinal)))}) with the API do not survive NP resolution: {verdict.Reason}";
        }

        _quorumReason = $"the settled live servers with the API survive NP resolution ({verdict.Reason})";
        return null;
    }

    /// <summary>The largest side <paramref name="name"/> could be deferring with: itself and every server
    /// that shares a LAN interconnect with it, holds a lease, and is neither settled live nor judged down.</summary>
    private HashSet<string> PossibleSide(string name, HashSet<string> settled)
    {
        var lans = (_objects.Cluster.Value.Spec.Interconnects ?? []).Where(i => i.Type == InterconnectType.Lan).Select(i => i.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        HashSet<string> On(Server s) => (s.Spec.Interconnects ?? []).Where(a => lans.Contains(a.Interconnect)).Select(a => a.Interconnect).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var side = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name };
        var self = _objects.Servers.FirstOrDefault(l => Same(l.Name, name))?.Value;
        if (self is null)
        {
            return side;
        }

        // A server whose current agent reported a status without LAN heartbeats runs none: it hears nobody
        // and nobody hears it (no status yet: it may, the cautious reading).
        bool Silent(Loaded<Server> server) => server.Value.Status is { Heartbeats: null } status
            && _objects.Leases.TryGetValue(server.Name, out var held) && status.Incarnation == held.Value.Spec.Incarnation;
        if (Silent(_objects.Servers.First(l => Same(l.Name, name))))
        {
            return side;
        }

        var mine = On(self);
        foreach (var other in _objects.Servers.Where(l => !Same(l.Name, name) && !settled.Contains(l.Name) && !Silent(l)))
        {
            // Judged down (fenced) or never joined (no heartbeat secret, so no heartbeats anyone would count).
            var gone = (_servers.TryGetValue(other.Name, out var state) && state.Liveness == ServerLiveness.Down)
                       || !_objects.Leases.ContainsKey(other.Name);
            if (!gone && On(other.Value).Overlaps(mine))
            {
                side.Add(other.Name);
            }
        }

        return side;
    }

    /// <summary>The name of a restriction resolver this server reported failing (or has not reported), or null:
    /// Ping and Http checks, and the own-medium checks of Disk (its writes complete) and Com (its device works).</summary>
    private string? FailedRestriction(Server server) =>
        NpResolution.FailedRestriction(_objects.Cluster.Value.Spec.NpResolvers ?? [], server.Metadata.Name, server.Status?.Partition?.Checks)?.Name;

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Records once per incarnation that a silent server is held (not judged down), and arms a
    /// re-check when settling could change it.</summary>
    private void Hold(Server server, string reason)
    {
        // Again when the next live server settles, and every interval anyway (what peers report changes).
        _recheckAt = Min(Min(_recheckAt, _settlesAt), _now + TimeSpan.FromMilliseconds(Math.Max(100, _objects.Cluster.Value.Spec.Heartbeat?.IntervalMs ?? 3000)));
        _held.Add(server.Metadata.Name);
        if (!_state.Held.Contains(server.Metadata.Name))
        {
            Plan.Event(ControllerEvents.ServerUnreachable, EventSeverity.Warning,
                $"Server {server.Metadata.Name} is silent but not judged down: {reason}; it keeps its groups and receives none",
                About(Kinds.Server, server.Metadata.Name), server.Metadata.Name);
            LogHeld(ClusterName, server.Metadata.Name, reason);
        }
    }

    private void RevokeLease(Loaded<Lease> lease, Server server, Instant? lastReceived, TimeSpan? limit, string? quorum)
    {
        var status = Clone(lease.Value.Status ?? new LeaseStatus());
        status.Revoked = true;
        status.RevokeTime = _wall;
        status.RevokeReason = PlacementReasons.ServerDown;
        Plan.Revoke(lease, status);
        _revoked.Add(lease.Name);
        var silence = lastReceived is { } last ? $"{(_now - last).TotalMilliseconds:0} ms since its last renewal was received" : "no renewal received since counting started";
        Plan.Event(ControllerEvents.ServerDown, EventSeverity.Error,
            $"Server {server.Metadata.Name} judged down: {silence} (limit T + M = {limit?.TotalMilliseconds:0} ms){(quorum is null ? "" : "; " + quorum)}",
            About(Kinds.Server, server.Metadata.Name), server.Metadata.Name);
        Plan.Event(ControllerEvents.LeaseRevoked, EventSeverity.Warning,
            $"Lease of server {server.Metadata.Name} (agent incarnation {lease.Value.Spec.Incarnation}) revoked: its renewals get 409, it fences and rejoins",
            About(Kinds.Lease, lease.Name), server.Metadata.Name);
        LogServerDown(ClusterName, server.Metadata.Name, lease.Value.Spec.Incarnation, silence);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {Cluster}/{Server} is silent but not judged down: {Reason}")]
    private partial void LogHeld(string cluster, string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {Cluster}/{Server} judged down (incarnation {Incarnation}): {Silence}; its lease is revoked")]
    private partial void LogServerDown(string cluster, string server, long incarnation, string silence);
}
