using System.Net;
using Clp.Agent.Leases;
using Clp.Agent.View;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Policy.Time;

namespace Clp.Agent.Heartbeats;

/// <summary>The agent's LAN heartbeats (docs/partition-safety.md, sections 2 and 3): every interval it
/// sends one authenticated datagram to every peer on every LAN interconnect, in priority order, carrying
/// its lease freshness, whom it hears, its NP observations, its own renewal token and the tokens and
/// acknowledgements it heard; it receives its peers' into <see cref="PeerView"/>, hands the tokens it
/// heard to the lease keeper to relay, and counts an acknowledged token of its own as a renewal sent when
/// it sent that token.</summary>
/// <remarks>Without a join grant carrying the heartbeat secret it neither sends nor accepts anything
/// (nothing could be authenticated). Failure mode: a peer whose clock or process stalls is simply not
/// heard; nothing here trusts a peer's clock.</remarks>
public sealed partial class HeartbeatService : IAsyncDisposable
{
    public const int DefaultPort = 29010;
    private const int SentHistory = 512;

    private readonly string _cluster;
    private readonly string _self;
    private readonly IHeartbeatTransport _transport;
    private readonly Func<ClusterView> _view;
    private readonly LeaseKeeper _lease;
    private readonly TimeProvider _time;
    private readonly ILogger<HeartbeatService> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (Instant At, TimeSpan Stated)> _sent = [];
    private readonly Dictionary<string, (RelayedRenewal Token, Instant At)> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (RelayAck Ack, Instant At)> _acks = new(StringComparer.OrdinalIgnoreCase);
    private long _sequence;
    private JoinGrant? _grant;

    public HeartbeatService(string cluster, string self, IHeartbeatTransport transport, Func<ClusterView> view, LeaseKeeper lease, TimeProvider time, ILogger<HeartbeatService> logger)
    {
        _cluster = cluster;
        _self = self;
        _transport = transport;
        _view = view;
        _lease = lease;
        _time = time;
        _logger = logger;
        Peers = new PeerView(self);
        lease.RelayResults += OnRelayResults;
    }

    public PeerView Peers { get; }

    /// <summary>This server's NP observations to send with each heartbeat (set by the partition monitor).</summary>
    public Func<PartitionObservation?> Observation { get; set; } = () => null;

    /// <summary>The cluster's heartbeat secret from this incarnation's join grant; null before the first join.</summary>
    public byte[]? Secret => (_lease.Grant ?? _grant)?.HeartbeatSecret;

    /// <summary>How long a peer stays heard: T with the timeout ratio applied, as the lease's fence uses it
    /// (<see cref="LeaseKeeper.Timing"/>: a longer T once a renewal stated it, a shorter one at once), so the
    /// deferral check never counts a peer or an echo older than the T the API knows this agent by; before the
    /// first renewal, the grant's T.</summary>
    public TimeSpan Timeout => _lease.Timing?.Timeout ?? _grant?.Timeout ?? TimeSpan.FromMilliseconds(_view().Cluster?.Spec.Heartbeat.TimeoutMs ?? 30_000);

    /// <summary>Sends every interval until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var interval = TimeSpan.FromMilliseconds(Math.Max(100, _view().Cluster?.Spec.Heartbeat.IntervalMs ?? 3000));
            using var ticks = new PeriodicTimer(interval, _time);
            while (await ticks.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    Tick();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogTickFailed(e);
                }

                if (_view().Cluster?.Spec.Heartbeat.IntervalMs is { } ms && Math.Max(100, ms) != (int)interval.TotalMilliseconds)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The interconnects in priority order with this server's binding and each peer's endpoint.</summary>
    public IReadOnlyList<(string Interconnect, IPEndPoint? Local, IReadOnlyList<(string Peer, IPEndPoint To)> Peers)> Topology()
    {
        var view = _view();
        if (view.Cluster is null)
        {
            return [];
        }

        var result = new List<(string, IPEndPoint?, IReadOnlyList<(string, IPEndPoint)>)>();
        foreach (var ic in view.Cluster.Spec.Interconnects.Where(i => i.Type == InterconnectType.Lan).OrderBy(i => i.Priority).ThenBy(i => i.Name, StringComparer.Ordinal))
        {
            var port = ic.Port ?? DefaultPort;
            IPEndPoint? local = null;
            var peers = new List<(string, IPEndPoint)>();
            foreach (var server in view.Servers.Values)
            {
                var address = server.Spec.Interconnects.FirstOrDefault(a => string.Equals(a.Interconnect, ic.Name, StringComparison.OrdinalIgnoreCase))?.Address;
                if (address is null || !IPAddress.TryParse(address, out var ip))
                {
                    continue;
                }

                if (string.Equals(server.Metadata.Name, _self, StringComparison.OrdinalIgnoreCase))
                {
                    local = new IPEndPoint(ip, port);
                }
                else
                {
                    peers.Add((server.Metadata.Name, new IPEndPoint(ip, port)));
                }
            }

            result.Add((ic.Name, local, peers));
        }

        return result;
    }

    /// <summary>The peers expected on each interconnect this server is on (for status and events).</summary>
    public IEnumerable<(string Interconnect, IReadOnlyList<string> Peers)> Expected() =>
        Topology().Where(t => t.Local is not null).Select(t => (t.Interconnect, (IReadOnlyList<string>)[.. t.Peers.Select(p => p.Peer)]));

    /// <summary>One heartbeat round: (re)bind, then send to every peer on every interconnect.</summary>
    public void Tick()
    {
        var grant = _lease.Grant ?? _grant;
        if (grant?.HeartbeatSecret is null)
        {
            return;
        }

        _grant = grant;
        var topology = Topology();
        _transport.Bind([.. topology.Where(t => t.Local is not null).Select(t => new HeartbeatBinding(t.Interconnect, t.Local!))], OnReceive);
        var now = Now();
        var timeout = Timeout;

        // The token states the T the next renewal would state (ratio applied); a relay of it renews by that T.
        var stated = _lease.StatedTimeout ?? grant.Timeout;
        var timeoutMs = (int)Math.Ceiling(stated.TotalMilliseconds);
        long sequence;
        lock (_gate)
        {
            sequence = ++_sequence;
            _sent[sequence] = (now, stated);
            _sent.Remove(sequence - SentHistory);
        }

        var tokens = new List<RelayedRenewal>();
        if (grant.RenewalKey is { } renewalKey && _lease.Grant is not null)
        {
            tokens.Add(new RelayedRenewal
            {
                Server = _self,
                Incarnation = grant.Incarnation,
                Sequence = sequence,
                TimeoutMs = timeoutMs,
                Mac = HeartbeatKeys.RenewalMac(renewalKey, _cluster, _self, grant.Incarnation, sequence, timeoutMs),
            });
        }

        tokens.AddRange(HeardTokens(now));
        var message = new HeartbeatMessage
        {
            Cluster = _cluster,
            Sender = _self,
            Incarnation = grant.Incarnation,
            Sequence = sequence,
            LeaseFresh = _lease.IsFresh,
            Countable = _lease.Countable,
            Echo = Peers.Echo(now, timeout),
            Hears = [.. Peers.Heard(now, timeout).Order(StringComparer.Ordinal)],
            Tokens = tokens,
            Acks = Acks(now, timeout),
            Partition = Observation(),
        };
        foreach (var (interconnect, local, peers) in topology)
        {
            if (local is null || peers.Count == 0)
            {
                continue;
            }

            message.Interconnect = interconnect;
            var datagram = HeartbeatCodec.Encode(message, grant.HeartbeatSecret);
            foreach (var (_, to) in peers)
            {
                _transport.Send(interconnect, to, datagram);
            }
        }
    }

    /// <summary>When this agent sent heartbeat <paramref name="sequence"/> (if it still remembers).</summary>
    public Instant? SentAt(long sequence)
    {
        lock (_gate)
        {
            return _sent.TryGetValue(sequence, out var sent) ? sent.At : null;
        }
    }

    /// <summary>The newest renewal token of every other server heard within T, for the lease keeper to relay.</summary>
    public IReadOnlyList<RelayedRenewal> RelayTokens() => HeardTokens(Now());

    private List<RelayedRenewal> HeardTokens(Instant now)
    {
        var timeout = Timeout;
        lock (_gate)
        {
            // Only tokens heard within T: an older one cannot renew anything the API would still keep.
            return [.. _tokens.Values.Where(t => now - t.At <= timeout).Select(t => t.Token).Take(64)];
        }
    }

    private List<RelayAck> Acks(Instant now, TimeSpan timeout)
    {
        lock (_gate)
        {
            return [.. _acks.Values.Where(a => now - a.At <= timeout).Select(a => a.Ack)];
        }
    }

    private void OnReceive(string interconnect, ReadOnlyMemory<byte> datagram)
    {
        var secret = _grant?.HeartbeatSecret;
        if (secret is null)
        {
            return;
        }

        var outcome = HeartbeatCodec.TryDecode(datagram.Span, secret, _cluster, out var message);
        if (outcome != DecodeOutcome.Ok)
        {
            Peers.Forged(interconnect);
            return;
        }

        var now = Now();
        if (!Peers.Accept(interconnect, message!, now))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var token in message!.Tokens.Where(t => !string.Equals(t.Server, _self, StringComparison.OrdinalIgnoreCase)))
            {
                if (!_tokens.TryGetValue(token.Server, out var known) || token.Incarnation > known.Token.Incarnation
                    || (token.Incarnation == known.Token.Incarnation && token.Sequence > known.Token.Sequence))
                {
                    _tokens[token.Server] = (token, now);
                }
            }

            foreach (var ack in message.Acks)
            {
                Remember(ack, now);
            }
        }

        foreach (var ack in message.Acks.Where(a => string.Equals(a.Server, _self, StringComparison.OrdinalIgnoreCase)))
        {
            (Instant At, TimeSpan Stated)? sent;
            lock (_gate)
            {
                sent = _sent.TryGetValue(ack.Sequence, out var known) ? known : null;
            }

            if (sent is { } token)
            {
                _lease.OnRelayedRenewal(ack.Incarnation, token.At, token.Stated);
            }
        }
    }

    private void OnRelayResults(IReadOnlyList<RelayedRenewalResult> results)
    {
        var now = Now();
        lock (_gate)
        {
            foreach (var result in results.Where(r => r.Accepted))
            {
                Remember(new RelayAck(result.Server, result.Incarnation, result.Sequence), now);
            }
        }
    }

    private void Remember(RelayAck ack, Instant now)
    {
        if (!_acks.TryGetValue(ack.Server, out var known) || ack.Incarnation > known.Ack.Incarnation
            || (ack.Incarnation == known.Ack.Incarnation && ack.Sequence > known.Ack.Sequence))
        {
            _acks[ack.Server] = (ack, now);
        }
    }

    private Instant Now() => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    public async ValueTask DisposeAsync()
    {
        _lease.RelayResults -= OnRelayResults;
        await _transport.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat round failed")]
    private partial void LogTickFailed(Exception e);
}
