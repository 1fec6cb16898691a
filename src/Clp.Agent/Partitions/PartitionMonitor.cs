using Clp.Agent.Heartbeats;
using Clp.Agent.Leases;
using Clp.Agent.View;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Partitions;
using Clp.Policy.Time;

namespace Clp.Agent.Partitions;

/// <summary>A restriction check of one NP resolver on this server (Ping: a target answered; Http: the URL
/// answered a HEAD), with the resolver's timeout; true when it passed. Disk and Com resolvers are checked
/// on their media instead (<see cref="NpMediumFactory"/>).</summary>
public delegate Task<bool> NpCheck(NpResolverSpec resolver, CancellationToken cancellationToken);

/// <summary>This server's part of network-partition resolution (docs/partition-safety.md, sections 4 and
/// 5): it runs the restriction checks of the resolvers that apply here and exchanges on their media (Disk
/// heartbeat areas, Com lines), publishes its observations (in its heartbeats and its Server status), and
/// decides whether the fence may be deferred when the lease has run out.</summary>
/// <remarks>While the cluster is suspended (as this agent's view says; DESIGN rule 8) NP resolution stops:
/// no Ping or Http check runs and the fence is never deferred, so a server whose lease runs out during a
/// suspend fences as a lone server would (docs/partition-safety.md, "Suspend"). The media exchanges go on
/// (they are heartbeats, as the LAN ones). A check result older than three of its intervals counts as
/// failed, so after the resume the server reports failing checks until they ran again.</remarks>
public sealed partial class PartitionMonitor(
    string self,
    HeartbeatService heartbeats,
    Func<ClusterView> view,
    IReadOnlyDictionary<NpResolverType, NpCheck> checks,
    IReadOnlyDictionary<NpResolverType, NpMediumFactory> media,
    TimeProvider time,
    ILogger<PartitionMonitor> logger) : IDisposable
{
    private readonly NpMediaSet _media = new(self, media, time, logger);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (bool Passed, Instant At)> _results = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Instant> _lastRun = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>This server's observations now.</summary>
    public PartitionObservation Observation()
    {
        var now = Now();
        var resolvers = Resolvers();
        Dictionary<string, bool>? results = null;
        lock (_gate)
        {
            foreach (var resolver in resolvers.Where(r => NpResolution.IsRestriction(r) && NpResolution.AppliesTo(r, self)))
            {
                results ??= new Dictionary<string, bool>(StringComparer.Ordinal);
                // A check older than three of its intervals (it hangs, or never ran) counts as failed.
                results[resolver.Name] = _results.TryGetValue(resolver.Name, out var r) && r.Passed
                                         && now - r.At <= TimeSpan.FromSeconds(3 * Math.Max(1, resolver.IntervalSeconds) + resolver.TimeoutSeconds);
            }
        }

        // The media's own checks replace the (absent) check results of Disk and Com resolvers.
        var mediaChecks = new Dictionary<string, bool>(StringComparer.Ordinal);
        var aliveOnDisk = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var comLineUp = new Dictionary<string, bool>(StringComparer.Ordinal);
        _media.Publish(heartbeats.Timeout, mediaChecks, aliveOnDisk, comLineUp);
        foreach (var (name, passed) in mediaChecks)
        {
            (results ??= new Dictionary<string, bool>(StringComparer.Ordinal))[name] = passed;
        }

        return new PartitionObservation
        {
            Hears = [.. heartbeats.Peers.Side(now, heartbeats.Timeout).Order(StringComparer.Ordinal)],
            Checks = results,
            AliveOnDisk = aliveOnDisk.Count == 0 ? null : aliveOnDisk,
            ComLineUp = comLineUp.Count == 0 ? null : comLineUp,
        };
    }

    /// <summary>Starts an exchange on every NP medium of this server whose previous one has ended (called
    /// every heartbeat interval), without waiting for it.</summary>
    public void ExchangeMedia() => _media.ExchangeDue(view(), heartbeats.Secret);

    public void Dispose() => _media.Dispose();

    /// <summary>For tests: this server's NP media.</summary>
    internal NpMediaSet Media => _media;

    /// <summary>Runs the checks that are due (each resolver at its interval, at most one at a time per
    /// resolver), without waiting for them.</summary>
    public void RunDueChecks(CancellationToken cancellationToken)
    {
        if (Suspended)
        {
            return;
        }

        var now = Now();
        foreach (var resolver in Resolvers().Where(r => NpResolution.IsRestriction(r) && NpResolution.AppliesTo(r, self)))
        {
            if (!checks.TryGetValue(resolver.Type, out var check))
            {
                continue;
            }

            lock (_gate)
            {
                if (_lastRun.TryGetValue(resolver.Name, out var last) && now - last < TimeSpan.FromSeconds(Math.Max(1, resolver.IntervalSeconds)))
                {
                    continue;
                }

                _lastRun[resolver.Name] = now;
            }

            _ = RunCheckAsync(resolver, check, cancellationToken);
        }
    }

    private async Task RunCheckAsync(NpResolverSpec resolver, NpCheck check, CancellationToken cancellationToken)
    {
        bool passed;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, resolver.TimeoutSeconds)));
            passed = await check(resolver, timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            passed = false;
        }

        bool changed;
        lock (_gate)
        {
            changed = !_results.TryGetValue(resolver.Name, out var before) || before.Passed != passed;
            _results[resolver.Name] = (passed, Now());
        }

        if (changed)
        {
            LogCheck(resolver.Name, resolver.Type.ToString(), passed ? "passes" : "fails");
        }
    }

    /// <summary>Whether this server may keep its resources running without a fresh lease now (section 4):
    /// it hears peers that lack a fresh lease too, and with them (only) its side survives NP resolution
    /// without the witness.</summary>
    public DeferralDecision ShouldDefer()
    {
        var current = view();
        if (current.Cluster is null)
        {
            return DeferralDecision.No("the cluster is unknown");
        }

        if (Suspended)
        {
            // The agent cannot learn of a resume while cut off, and after the resume the controller judges
            // every silent server after T + M: a dead server and a cut-off one look alike to it. So the fence
            // stays armed through a suspend, with nothing to defer it.
            return DeferralDecision.No("the cluster is suspended: NP resolution is stopped, so the fence is not deferred");
        }

        // A server failing one of its own restrictions (its ping targets silent, its URL unanswered, its writes
        // to a Disk heartbeat area or its Com serial device failing) counts itself
        // isolated: it never defers, whatever its peers could decide without it.
        var own = Observation();
        if (NpResolution.FailedRestriction(Resolvers(), self, own.Checks) is { } failing)
        {
            return DeferralDecision.No($"this server fails its {failing.Name} check ({failing.Type})");
        }

        var now = Now();
        var timeout = heartbeats.Timeout;
        var side = heartbeats.Peers.Side(now, timeout);
        if (side.Count == 0)
        {
            return DeferralDecision.No("this server hears no peer on any interconnect");
        }

        // Only countable peers count: the API no longer counts their votes, as they said in a message sent
        // after this server's heartbeat it echoes, at most T ago on this server's clock. A peer the API may
        // still count is on the controller's side; counting it here too could let both sides survive.
        var observations = new Dictionary<string, NpObservation>(StringComparer.OrdinalIgnoreCase) { [self] = NpObservation.From(own) };
        var excluded = new List<string>();
        foreach (var peer in side)
        {
            var message = heartbeats.Peers.Latest(peer, now, timeout);
            var echoed = message?.Echo.GetValueOrDefault(self) is { } sequence ? heartbeats.SentAt(sequence) : null;
            if (message is not { Countable: true } || echoed is not { } sentAt || now - sentAt > timeout)
            {
                excluded.Add(peer);
                continue;
            }

            observations[peer] = NpObservation.From(message.Partition);
        }

        side = side.Except(excluded, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (side.Count == 0)
        {
            return DeferralDecision.No($"no peer it hears may be counted (the API may still count {string.Join(", ", excluded.Order(StringComparer.Ordinal))})");
        }

        var servers = current.Servers.Values.Select(s => new NpServer(s.Metadata.Name, s.Spec.Priority)).ToList();
        var members = side.Append(self).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var verdict = NpResolution.Decide(servers, current.Cluster.Spec.NpResolvers ?? [], new NpSide(members, HasWitness: false), observations);
        var who = string.Join(", ", members.Order(StringComparer.Ordinal));
        return verdict.Survives
            ? new DeferralDecision(true, $"the API is unreachable for this side ({who}), which survives NP resolution: {verdict.Reason}")
            : DeferralDecision.No($"this side ({who}) does not survive NP resolution: {verdict.Reason}");
    }

    /// <summary>Whether the cluster is suspended, as this agent last saw it.</summary>
    public bool Suspended => view().Cluster?.Status?.Phase == ClusterPhase.Suspended;

    private List<NpResolverSpec> Resolvers() => view().Cluster?.Spec.NpResolvers ?? [];

    private Instant Now() => Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NP resolver {Resolver} ({Type}) {Outcome} on this server")]
    private partial void LogCheck(string resolver, string type, string outcome);
}
