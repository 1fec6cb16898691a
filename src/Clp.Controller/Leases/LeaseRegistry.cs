using Clp.Core.Model;
using Clp.Core.Store;
using Clp.Core.Time;
using Clp.Core.Validation;
using Clp.Policy.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Clp.Controller.Leases;

/// <summary>The node-lease renewals, in memory: shared by the API (which records each renewal) and the
/// controller (which judges servers down from them) of this single-replica process.</summary>
/// <remarks>
/// <para>Renewals are not written to the store: one per server every heartbeat interval would flood the
/// change feed. Each accepted renewal records its receive instant on the controller's monotonic clock
/// (<see cref="ClpClocks.Controller"/>) and the T it stated. After a restart the registry is empty: it
/// learns each lease from the store on its first renewal or the controller's first read, and the
/// controller gives every lease a fresh T + M, so nothing is judged down for silence it did not see.</para>
/// <para>Revocation is decided here first, atomically with renewals (<see cref="TryRevoke"/>): once a
/// lease is revoked here, no renewal of that incarnation is accepted, so a renewal can never succeed
/// after the controller's down decision, even before the store transaction commits. A revocation whose
/// transaction fails stays revoked here (the safe direction: the agent fences and rejoins).</para>
/// <para>Failure mode: a second API replica would have its own registry, so renewals must move to the
/// store before the API runs several replicas (docs/architecture.md).</para>
/// </remarks>
public sealed class LeaseRegistry([FromKeyedServices(ClpClocks.Controller)] TimeProvider clock, IResourceStore store)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Cluster, string Server), Entry> _leases = [];
    private readonly Dictionary<string, ClusterHeartbeat> _heartbeats = new(StringComparer.Ordinal);
    private long _lastToken;

    /// <summary>Raised after an accepted renewal or acquire, with the cluster key, on the caller's
    /// thread (the controller re-arms its down timer before the request is answered).</summary>
    public event Action<string>? Renewed;

    /// <summary>Now on the controller's clock.</summary>
    public Instant Now => Instant.FromTimestamp(clock.GetTimestamp(), clock.TimestampFrequency);

    public TimeProvider Clock => clock;

    /// <summary>Records a renewal. Learns the lease from the store if this process has not seen it.</summary>
    public async Task<RenewOutcome> RenewAsync(string cluster, string server, long incarnation, TimeSpan statedTimeout, int? timeoutRatioAck, CancellationToken cancellationToken) =>
        (await RenewVotingAsync(cluster, server, incarnation, statedTimeout, timeoutRatioAck, null, TimeSpan.Zero, cancellationToken)).Outcome;

    /// <summary>Records a direct renewal carrying the holder's last vote token, and issues the next one
    /// (docs/partition-safety.md, section 6): the server's vote counts until the carried token's issue +
    /// <paramref name="voteValidity"/>; if the token is seen for the first time after the previous one had
    /// expired, the server may have been counted by a deferring side meanwhile, so it settles again.</summary>
    public async Task<(RenewOutcome Outcome, long? NextToken)> RenewVotingAsync(string cluster, string server, long incarnation, TimeSpan statedTimeout, int? timeoutRatioAck, long? voteToken, TimeSpan voteValidity, CancellationToken cancellationToken)
    {
        var key = Key(cluster, server);
        if (!await EnsureLoadedAsync(key, cancellationToken))
        {
            return (RenewOutcome.NotHeld, null);
        }

        RenewOutcome outcome;
        long? next = null;
        lock (_gate)
        {
            if (!_leases.TryGetValue(key, out var entry))
            {
                outcome = RenewOutcome.NotHeld;
            }
            else
            {
                outcome = RenewLocked(entry, incarnation, statedTimeout, timeoutRatioAck);
                if (outcome == RenewOutcome.Renewed && voteValidity > TimeSpan.Zero)
                {
                    Vote(entry, voteToken, voteValidity);
                    next = Issue(entry);
                }
            }
        }

        if (outcome == RenewOutcome.Renewed)
        {
            Renewed?.Invoke(key.Cluster);
        }

        return (outcome, next);
    }

    /// <summary>Issues a vote token to the acquire of <paramref name="incarnation"/> that just committed.</summary>
    public long? IssueVoteToken(string cluster, string server, long incarnation)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(Key(cluster, server), out var entry) && entry.Incarnation == incarnation && !entry.Revoked ? Issue(entry) : null;
        }
    }

    private long Issue(Entry entry)
    {
        var token = ++_lastToken;
        entry.Issued[token] = Now;
        foreach (var old in entry.Issued.Keys.Where(k => k < token - 16).ToList())
        {
            entry.Issued.Remove(old);
        }

        return token;
    }

    private void Vote(Entry entry, long? token, TimeSpan validity)
    {
        var now = Now;
        if (token is not { } carried || !entry.Issued.TryGetValue(carried, out var issued))
        {
            // No token, or one this process did not issue (it restarted): no vote, and a new streak.
            entry.LiveSince = now;
            return;
        }

        if (carried > entry.LastTokenSeen)
        {
            // First sight: the agent received this token after its previous one. If that one had expired
            // here before now, the agent may have let a deferring side count it in between.
            // (The first token came with the acquire, which started the streak.)
            if (entry.LastTokenSeen != 0 && (!entry.Issued.TryGetValue(entry.LastTokenSeen, out var previous) || now > previous + validity))
            {
                entry.LiveSince = now;
            }

            entry.LastTokenSeen = carried;
        }

        var until = issued + validity;
        if (entry.VoteUntil is not { } known || until > known)
        {
            entry.VoteUntil = until;
        }
    }

    /// <summary>Records a renewal a peer relayed (its token already verified): as a direct renewal, and only
    /// when <paramref name="sequence"/> is newer than the last relayed one of this incarnation.</summary>
    public async Task<RenewOutcome> RenewRelayedAsync(string cluster, string server, long incarnation, long sequence, TimeSpan statedTimeout, CancellationToken cancellationToken)
    {
        var key = Key(cluster, server);
        if (!await EnsureLoadedAsync(key, cancellationToken))
        {
            return RenewOutcome.NotHeld;
        }

        RenewOutcome outcome;
        lock (_gate)
        {
            if (!_leases.TryGetValue(key, out var entry))
            {
                outcome = RenewOutcome.NotHeld;
            }
            else if (entry.Incarnation == incarnation && sequence <= entry.LastRelayedSequence)
            {
                outcome = RenewOutcome.Replayed;
            }
            else
            {
                outcome = RenewLocked(entry, incarnation, statedTimeout, entry.RatioAck);
                if (outcome == RenewOutcome.Renewed)
                {
                    entry.LastRelayedSequence = sequence;
                }
            }
        }

        if (outcome == RenewOutcome.Renewed)
        {
            Renewed?.Invoke(key.Cluster);
        }

        return outcome;
    }

    /// <summary>An acquire of <paramref name="incarnation"/> is about to be written: from now on no
    /// renewal of an older incarnation is accepted (the takeover is at once, DESIGN rule 1).</summary>
    public async Task BeginAcquireAsync(string cluster, string server, long incarnation, CancellationToken cancellationToken)
    {
        var key = Key(cluster, server);
        await EnsureLoadedAsync(key, cancellationToken);
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var entry))
            {
                entry.MinIncarnation = Math.Max(entry.MinIncarnation, incarnation);
            }
        }
    }

    /// <summary>The acquire of <paramref name="incarnation"/> committed: it holds the lease, and its
    /// acquire counts as a renewal received now.</summary>
    public void Acquired(string cluster, string server, long incarnation, TimeSpan statedTimeout)
    {
        lock (_gate)
        {
            var key = Key(cluster, server);
            if (!_leases.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _leases[key] = entry;
            }

            entry.Incarnation = incarnation;
            entry.MinIncarnation = Math.Max(entry.MinIncarnation, incarnation);
            entry.Revoked = false;
            entry.StatedTimeout = statedTimeout;
            entry.LastReceived = Now;
            entry.LiveSince = entry.LastReceived;
            entry.RatioAck = null;
            entry.LastRelayedSequence = -1;
            entry.Issued.Clear();
            entry.LastTokenSeen = 0;
            entry.VoteUntil = null;
        }

        Renewed?.Invoke(Names.Key(cluster));
    }

    /// <summary>Learns a lease as the store holds it (a newer incarnation replaces what is known; a
    /// revocation in the store revokes here too). Returns the current view.</summary>
    public LeaseView Observe(string cluster, string server, long incarnation, TimeSpan statedTimeout, bool revoked)
    {
        lock (_gate)
        {
            var key = Key(cluster, server);
            if (!_leases.TryGetValue(key, out var entry) || entry.Incarnation < incarnation)
            {
                var min = entry?.MinIncarnation ?? incarnation;
                entry = new Entry { Incarnation = incarnation, MinIncarnation = Math.Max(min, incarnation), StatedTimeout = statedTimeout };
                _leases[key] = entry;
            }

            if (entry.Incarnation == incarnation && revoked)
            {
                entry.Revoked = true;
            }

            return entry.View;
        }
    }

    public LeaseView? Get(string cluster, string server)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(Key(cluster, server), out var entry) ? entry.View : null;
        }
    }

    /// <summary>The longest T the holders of the cluster's unrevoked leases last stated (acquire, direct or
    /// relayed renewal), or null when none is known: the controller judges with at least this T, so a
    /// shorter T reaches its judgement only once every live agent acknowledged it (DESIGN rule 8).</summary>
    public TimeSpan? LongestStatedTimeout(string cluster)
    {
        var key = Names.Key(cluster);
        lock (_gate)
        {
            TimeSpan? longest = null;
            foreach (var (lease, entry) in _leases)
            {
                if (lease.Cluster == key && !entry.Revoked && (longest is null || entry.StatedTimeout > longest))
                {
                    longest = entry.StatedTimeout;
                }
            }

            return longest;
        }
    }

    /// <summary>Revokes <paramref name="incarnation"/> unless a renewal arrived after the judgement
    /// (<paramref name="judgedLastReceived"/> is no longer the last receipt) or a newer incarnation took
    /// over; true when it is revoked.</summary>
    public bool TryRevoke(string cluster, string server, long incarnation, Instant? judgedLastReceived)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(Key(cluster, server), out var entry) || entry.Incarnation != incarnation)
            {
                return false;
            }

            if (entry.Revoked)
            {
                return true;
            }

            if (entry.LastReceived != judgedLastReceived)
            {
                return false;
            }

            entry.Revoked = true;
            return true;
        }
    }

    /// <summary>The lease was deleted: renewals get 409 until the agent acquires again.</summary>
    public void Forget(string cluster, string server)
    {
        lock (_gate)
        {
            _leases.Remove(Key(cluster, server));
        }
    }

    public void ForgetCluster(string cluster)
    {
        var key = Names.Key(cluster);
        lock (_gate)
        {
            foreach (var lease in _leases.Keys.Where(k => k.Cluster == key).ToList())
            {
                _leases.Remove(lease);
            }

            _heartbeats.Remove(key);
        }
    }

    /// <summary>The heartbeat the lease answers tell agents (T with the timeout ratio applied).</summary>
    public void SetHeartbeat(string cluster, ClusterHeartbeat heartbeat)
    {
        lock (_gate)
        {
            _heartbeats[Names.Key(cluster)] = heartbeat;
        }
    }

    public ClusterHeartbeat? GetHeartbeat(string cluster)
    {
        lock (_gate)
        {
            return _heartbeats.GetValueOrDefault(Names.Key(cluster));
        }
    }

    private RenewOutcome RenewLocked(Entry entry, long incarnation, TimeSpan statedTimeout, int? timeoutRatioAck)
    {
        var outcome = entry switch
        {
            _ when incarnation < entry.MinIncarnation || incarnation < entry.Incarnation => RenewOutcome.Superseded,
            _ when incarnation > entry.Incarnation => RenewOutcome.NotHeld,
            { Revoked: true } => RenewOutcome.Revoked,
            _ => RenewOutcome.Renewed,
        };
        if (outcome == RenewOutcome.Renewed)
        {
            var now = Now;
            // A gap longer than the stated T ends the streak: the server counts as settled live again only
            // 2 T after this renewal (docs/partition-safety.md, section 6).
            if (entry.LastReceived is not { } last || now - last > entry.StatedTimeout || entry.LiveSince is null)
            {
                entry.LiveSince = now;
            }

            entry.LastReceived = now;
            entry.StatedTimeout = statedTimeout;
            entry.RatioAck = timeoutRatioAck;
        }

        return outcome;
    }

    /// <summary>Reads the lease from the store unless it is known; false when there is none.</summary>
    private async Task<bool> EnsureLoadedAsync((string Cluster, string Server) key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.ContainsKey(key))
            {
                return true;
            }
        }

        var stored = await store.GetAsync(new ObjectKey(Kinds.Lease.Kind, key.Cluster, key.Server), cancellationToken);
        if (stored is null)
        {
            return false;
        }

        var lease = stored.As<Lease>();
        Observe(key.Cluster, key.Server, lease.Spec.Incarnation, TimeSpan.FromMilliseconds(lease.Spec.TimeoutMs), lease.Status?.Revoked == true);
        return true;
    }

    private static (string Cluster, string Server) Key(string cluster, string server) => (Names.Key(cluster), Names.Key(server));

    private sealed class Entry
    {
        public long Incarnation { get; set; }

        public long MinIncarnation { get; set; }

        public bool Revoked { get; set; }

        public Instant? LastReceived { get; set; }

        public TimeSpan StatedTimeout { get; set; }

        public int? RatioAck { get; set; }

        /// <summary>The last relayed token's sequence accepted for <see cref="Incarnation"/> (replays are refused).</summary>
        public long LastRelayedSequence { get; set; } = -1;

        /// <summary>Vote tokens issued to this incarnation, with their issue instants (the last few).</summary>
        public Dictionary<long, Instant> Issued { get; } = [];

        /// <summary>The newest vote token the holder sent back.</summary>
        public long LastTokenSeen { get; set; }

        /// <summary>Until when the holder's vote counts (its newest token's issue + the validity).</summary>
        public Instant? VoteUntil { get; set; }

        /// <summary>Since when renewals arrived without a gap longer than T, on the controller's clock; null
        /// when this process has not received one.</summary>
        public Instant? LiveSince { get; set; }

        public LeaseView View => new(Incarnation, Revoked, LastReceived, StatedTimeout, RatioAck, LiveSince, VoteUntil);
    }
}
