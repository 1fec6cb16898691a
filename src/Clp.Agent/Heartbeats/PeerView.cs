using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Agent.Heartbeats;

/// <summary>What this agent hears of its peers on the LAN heartbeats: per interconnect and peer, when a
/// valid heartbeat last arrived; per peer, its newest message; per interconnect, how many datagrams were
/// ignored as forged or replayed. A peer is heard on an interconnect while its last heartbeat there is at
/// most T old (docs/partition-safety.md, section 2). Thread-safe; time is passed in.</summary>
public sealed class PeerView(string self)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Peer, string Interconnect), Receipt> _receipts = [];
    private readonly Dictionary<string, (HeartbeatMessage Message, Instant At)> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Counters> _counters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Peer, string Interconnect), bool> _reported = [];

    /// <summary>Records a datagram the codec rejected as forged.</summary>
    public void Forged(string interconnect)
    {
        lock (_gate)
        {
            Count(interconnect).Forged++;
        }
    }

    /// <summary>Accepts an authentic message received on <paramref name="interconnect"/> at <paramref name="now"/>,
    /// unless it is not newer than the last one accepted from its sender there (then: false, counted as replayed).</summary>
    public bool Accept(string interconnect, HeartbeatMessage message, Instant now)
    {
        if (string.Equals(message.Sender, self, StringComparison.OrdinalIgnoreCase) || !string.Equals(message.Interconnect, interconnect, StringComparison.OrdinalIgnoreCase))
        {
            lock (_gate)
            {
                Count(interconnect).Replayed++;
            }

            return false;
        }

        var key = (message.Sender.ToLowerInvariant(), interconnect.ToLowerInvariant());
        lock (_gate)
        {
            if (_receipts.TryGetValue(key, out var last)
                && (message.Incarnation < last.Incarnation || (message.Incarnation == last.Incarnation && message.Sequence <= last.Sequence)))
            {
                Count(interconnect).Replayed++;
                return false;
            }

            _receipts[key] = new Receipt(message.Incarnation, message.Sequence, now);
            if (!_latest.TryGetValue(message.Sender, out var newest)
                || message.Incarnation > newest.Message.Incarnation
                || (message.Incarnation == newest.Message.Incarnation && message.Sequence >= newest.Message.Sequence))
            {
                _latest[message.Sender] = (message, now);
            }

            return true;
        }
    }

    /// <summary>The peers heard on some interconnect within <paramref name="timeout"/>.</summary>
    public IReadOnlySet<string> Heard(Instant now, TimeSpan timeout)
    {
        lock (_gate)
        {
            return _receipts.Where(r => now - r.Value.At <= timeout).Select(r => r.Key.Peer).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>This server's side without itself: peers heard within T whose newest message (also within
    /// T) lists this server as heard (mutual hearing).</summary>
    public IReadOnlySet<string> Side(Instant now, TimeSpan timeout)
    {
        var heard = Heard(now, timeout);
        lock (_gate)
        {
            return heard.Where(p => _latest.TryGetValue(p, out var m) && now - m.At <= timeout
                                    && m.Message.Hears.Contains(self, StringComparer.OrdinalIgnoreCase))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>The newest message of <paramref name="peer"/> if it arrived within <paramref name="timeout"/>.</summary>
    public HeartbeatMessage? Latest(string peer, Instant now, TimeSpan timeout)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(peer, out var m) && now - m.At <= timeout ? m.Message : null;
        }
    }

    /// <summary>The newest sequence accepted from each peer heard within <paramref name="timeout"/> (echoed back).</summary>
    public Dictionary<string, long> Echo(Instant now, TimeSpan timeout)
    {
        lock (_gate)
        {
            return _latest.Where(m => now - m.Value.At <= timeout).ToDictionary(m => m.Key, m => m.Value.Message.Sequence, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>The newest messages of every peer heard within <paramref name="timeout"/>.</summary>
    public IReadOnlyList<HeartbeatMessage> Recent(Instant now, TimeSpan timeout)
    {
        lock (_gate)
        {
            return [.. _latest.Values.Where(m => now - m.At <= timeout).Select(m => m.Message)];
        }
    }

    /// <summary>Per interconnect: every peer's state (Normal heard / Error not), the interconnect's state
    /// (Normal all, Caution some, Error none) and the ignored-datagram counters.</summary>
    public Dictionary<string, InterconnectHeartbeatStatus> Status(IEnumerable<(string Interconnect, IReadOnlyList<string> Peers)> topology, Instant now, TimeSpan timeout)
    {
        var result = new Dictionary<string, InterconnectHeartbeatStatus>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var (interconnect, peers) in topology)
            {
                var states = peers.Order(StringComparer.Ordinal).ToDictionary(
                    p => p,
                    p => _receipts.TryGetValue((p.ToLowerInvariant(), interconnect.ToLowerInvariant()), out var r) && now - r.At <= timeout ? HeartbeatState.Normal : HeartbeatState.Error);
                var heard = states.Values.Count(s => s == HeartbeatState.Normal);
                var counters = _counters.GetValueOrDefault(interconnect) ?? new Counters();
                result[interconnect] = new InterconnectHeartbeatStatus
                {
                    State = peers.Count == 0 || heard == peers.Count ? HeartbeatState.Normal : heard == 0 ? HeartbeatState.Error : HeartbeatState.Caution,
                    Peers = states,
                    Forged = counters.Forged,
                    Replayed = counters.Replayed,
                };
            }
        }

        return result;
    }

    /// <summary>The (peer, interconnect) pairs whose heard state changed since the last call, with the new
    /// state (true = heard). A pair is tracked from when it is first heard (a start is not a change).</summary>
    public IReadOnlyList<(string Peer, string Interconnect, bool Heard)> Changes(IEnumerable<(string Interconnect, IReadOnlyList<string> Peers)> topology, Instant now, TimeSpan timeout)
    {
        var changes = new List<(string, string, bool)>();
        lock (_gate)
        {
            foreach (var (interconnect, peers) in topology)
            {
                foreach (var peer in peers)
                {
                    var key = (peer.ToLowerInvariant(), interconnect.ToLowerInvariant());
                    var heard = _receipts.TryGetValue(key, out var r) && now - r.At <= timeout;
                    var known = _reported.TryGetValue(key, out var before);
                    if (known && before != heard)
                    {
                        changes.Add((peer, interconnect, heard));
                    }

                    if (known || heard)
                    {
                        _reported[key] = heard;
                    }
                }
            }
        }

        return changes;
    }

    private Counters Count(string interconnect)
    {
        if (!_counters.TryGetValue(interconnect, out var counters))
        {
            _counters[interconnect] = counters = new Counters();
        }

        return counters;
    }

    private readonly record struct Receipt(long Incarnation, long Sequence, Instant At);

    private sealed class Counters
    {
        public long Forged { get; set; }

        public long Replayed { get; set; }
    }
}
