using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Clp.Agent.Fencing;
using Clp.Agent.Heartbeats;
using Clp.Agent.Leases;
using Clp.Agent.Partitions;
using Clp.Agent.View;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Core.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Tests.Heartbeats;

/// <summary>Two agents' lease keepers, heartbeats and partition monitors on one fake clock, over an
/// in-memory datagram network, against a model of the API that verifies relayed tokens with the real key
/// derivation (docs/partition-safety.md, sections 3 and 4). I = 1 s, T = 8 s, F = 1.6 s; a vote token
/// counts 3 I, so a peer without the API becomes countable 3 I after its last answer, before T − F.</summary>
public sealed class RelayAndDeferralTests : IAsyncDisposable
{
    private static readonly TimeSpan I = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan T = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly byte[] _master = RandomNumberGenerator.GetBytes(32);
    private readonly MemoryNetwork _network = new();
    private readonly Dictionary<string, Node> _nodes = [];
    private readonly CancellationTokenSource _stop = new();
    private long _tokens;
    private ClusterView _view;

    /// <summary>The T and ratio the API's renewal answers state (null: none).</summary>
    private (TimeSpan Timeout, int Ratio)? _answer;

    public RelayAndDeferralTests()
    {
        _view = new ClusterView(
            new Cluster
            {
                Metadata = new ObjectMeta { Name = "c1", Uid = "uid-1" },
                Spec = new ClusterSpec
                {
                    Heartbeat = new HeartbeatSpec { IntervalMs = 1000, TimeoutMs = 8000 },
                    Interconnects = [new InterconnectSpec { Name = "lan1", Priority = 0 }],
                },
            },
            new Dictionary<string, Server>(StringComparer.OrdinalIgnoreCase)
            {
                ["s1"] = Server("s1", 1),
                ["s2"] = Server("s2", 2),
            },
            ClusterView.Map<Group>(), ClusterView.Map<Resource>(), ClusterView.Map<Clp.Core.Model.Monitor>(), ClusterView.Map<Operation>());
        foreach (var name in new[] { "s1", "s2" })
        {
            _nodes[name] = new Node(name, this, () => _view);
        }
    }

    private static Server Server(string name, int priority) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServerSpec { Priority = priority, Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = $"10.231.1.{priority}" }] },
    };

    private async Task StartAsync()
    {
        foreach (var node in _nodes.Values)
        {
            node.Run = Task.Run(() => node.Lease.RunAsync(_stop.Token));
            await node.Joined.Task.WaitAsync(Bound);
        }
    }

    /// <summary>One interval: heartbeats out (delivered at once), then the clock moves and renewals run.</summary>
    private async Task StepAsync()
    {
        foreach (var node in _nodes.Values)
        {
            // As the agent's partition loop does every interval.
            node.Partitions.ExchangeMedia();
            node.Heartbeats.Tick();
        }

        _time.Advance(I);
        foreach (var node in _nodes.Values.Where(n => !n.ApiCut))
        {
            await node.Renewals.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        }

        // Let continuations (acknowledged relays, fence timers) run.
        await Task.Delay(20);
    }

    [Fact]
    public async Task CutFromTheApiOnly_ItsPeerRelaysItsRenewals_NoFence()
    {
        await StartAsync();
        _nodes["s1"].ApiCut = true;
        for (var i = 0; i < 16; i++)
        {
            await StepAsync();
        }

        Assert.Empty(_nodes["s1"].Fence.Calls);
        Assert.True(_nodes["s1"].Lease.IsFresh, "s1's lease stayed fresh through s2's relay");
        Assert.True(_nodes["s2"].Accepted.Count(a => a.Server == "s1") >= 10, $"relayed renewals of s1 taken: {_nodes["s2"].Accepted.Count(a => a.Server == "s1")}");
    }

    [Fact]
    public async Task ForgedRelayedTokens_AreRefused_AndTheServerFences()
    {
        await StartAsync();
        _nodes["s1"].ApiCut = true;
        _nodes["s2"].CorruptRelays = true;
        for (var i = 0; i < 10; i++)
        {
            await StepAsync();
        }

        Assert.DoesNotContain(_nodes["s2"].Accepted, a => a.Server == "s1");
        // It fenced (and, rejoining through an API that answers joins in this model, fenced again).
        Assert.NotEmpty(_nodes["s1"].Fence.Calls);
        Assert.Contains("no successful renewal", _nodes["s1"].Fence.Calls.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiDownForBoth_WhileTheyHearEachOther_NeitherFences_AndBothResumeWhenItReturns()
    {
        await StartAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 20; i++)
        {
            await StepAsync();
        }

        Assert.All(_nodes.Values, n => Assert.Empty(n.Fence.Calls));
        Assert.All(_nodes.Values, n => Assert.NotNull(n.Lease.DeferringSince));
        Assert.All(_nodes.Values, n => Assert.False(n.Lease.CanStartStep(TimeSpan.Zero), "nothing new starts while deferring"));

        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = false;
        await StepAsync();
        await StepAsync();
        Assert.All(_nodes.Values, n => Assert.True(n.Lease.IsFresh));
        Assert.All(_nodes.Values, n => Assert.Null(n.Lease.DeferringSince));
        Assert.All(_nodes.Values, n => Assert.Empty(n.Fence.Calls));
    }

    private void UseDiskResolver() => _view = _view with
    {
        Cluster = new Cluster
        {
            Metadata = _view.Cluster!.Metadata,
            Spec = new ClusterSpec
            {
                Heartbeat = _view.Cluster.Spec.Heartbeat,
                Interconnects = _view.Cluster.Spec.Interconnects,
                NpResolvers = [new NpResolverSpec { Name = "disk1", Type = NpResolverType.Disk, Path = "/shared/hb.area" }],
            },
        },
    };

    [Fact]
    public async Task ApiDownForBoth_DiskShowsTheMasterAlive_BothDefer()
    {
        UseDiskResolver();
        await StartAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 20; i++)
        {
            await StepAsync();
        }

        Assert.All(_nodes.Values, n => Assert.Empty(n.Fence.Calls));
        Assert.All(_nodes.Values, n => Assert.NotNull(n.Lease.DeferringSince));
        Assert.Equal(["s1", "s2"], _nodes["s2"].Partitions.Observation().AliveOnDisk!["disk1"]);
    }

    [Fact]
    public async Task ApiDownForBoth_DiskAreaFailsOnBoth_BothFence()
    {
        UseDiskResolver();
        foreach (var node in _nodes.Values)
        {
            node.DiskReading = new NpMediumReading(false, []);
        }

        await StartAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 12; i++)
        {
            await StepAsync();
        }

        // Their own disk checks fail: each counts itself isolated and never defers, though they hear each
        // other: both fence.
        Assert.All(_nodes.Values, n => Assert.NotEmpty(n.Fence.Calls));
        Assert.All(_nodes.Values, n => Assert.Contains("fails its disk1 check (Disk)", n.Fence.Calls.First(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiDownForBoth_S1FailsItsDiskCheck_S1NeverDefers()
    {
        UseDiskResolver();
        _nodes["s1"].DiskReading = new NpMediumReading(false, ["s2"]);
        _nodes["s2"].DiskReading = new NpMediumReading(true, ["s2"]);
        await StartAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 12; i++)
        {
            await StepAsync();
        }

        // s1 hears s2, but its own writes to the heartbeat area fail: it counts itself isolated and fences.
        Assert.Contains("fails its disk1 check (Disk)", _nodes["s1"].Fence.Calls.First(), StringComparison.Ordinal);
        var observation = _nodes["s1"].Partitions.Observation();
        Assert.False(observation.Checks!["disk1"]);
        Assert.Equal(["s2"], observation.AliveOnDisk!["disk1"]);
    }

    [Fact]
    public async Task DeferringServers_FenceOnceTheyNoLongerHearEachOther()
    {
        await StartAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 9; i++)
        {
            await StepAsync();
        }

        Assert.All(_nodes.Values, n => Assert.NotNull(n.Lease.DeferringSince));
        _network.Cut = true;
        for (var i = 0; i < 10; i++)
        {
            await StepAsync();
        }

        // Alone, each would hold 1 of 3 votes; and it hears no peer any more: both fence, within T of the cut
        // plus one re-check.
        Assert.All(_nodes.Values, n => Assert.Single(n.Fence.Calls));
        Assert.All(_nodes.Values, n => Assert.Contains("no peer", n.Fence.Calls.Single(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerCutFromEverything_NeverDefers()
    {
        await StartAsync();
        _nodes["s1"].ApiCut = true;
        _network.Isolated = "s1";
        for (var i = 0; i < 9; i++)
        {
            await StepAsync();
        }

        var fence = Assert.Single(_nodes["s1"].Fence.Calls);
        Assert.Contains("hears no peer", fence, StringComparison.Ordinal);
        Assert.Empty(_nodes["s2"].Fence.Calls);
    }

    [Fact]
    public async Task ApiDownForBoth_WhileTheClusterIsSuspended_NeitherDefers_BothFenceAtTMinusF()
    {
        // The same outage as above, during a suspend: NP resolution is stopped, so nothing defers the fence
        // (a server cut off cannot learn of a resume; after it the controller judges silence by T + M).
        _view = _view with { Cluster = Suspended(_view.Cluster!) };
        await StartAsync();
        await StepAsync();
        _nodes["s1"].ApiCut = _nodes["s2"].ApiCut = true;
        for (var i = 0; i < 7; i++)
        {
            await StepAsync();
        }

        Assert.All(_nodes.Values, n => Assert.NotEmpty(n.Fence.Calls));
        Assert.All(_nodes.Values, n => Assert.Contains("suspended", n.Fence.Calls.First(), StringComparison.Ordinal));
        Assert.All(_nodes.Values, n => Assert.Null(n.Lease.DeferringSince));
    }

    [Fact]
    public async Task TimeoutRatio_StretchesHowLongAPeerStaysHeard_OnceARenewalStatedIt()
    {
        await StartAsync();
        _answer = (T * 2, 2);
        await StepAsync(); // the answers state T = 16 s, ratio 2
        Assert.Equal(T, _nodes["s1"].Heartbeats.Timeout);
        await StepAsync(); // the renewals stating 16 s succeeded
        Assert.All(_nodes.Values, n => Assert.Equal(T * 2, n.Heartbeats.Timeout));

        // The peers stop hearing each other (their last heartbeats went out one interval ago, at the start of
        // the step): s2 stays heard by s1 for 16 s, not 8 s, and not a tick longer.
        _network.Cut = true;
        _time.Advance(T * 2 - I);
        Assert.Contains("s2", _nodes["s1"].Heartbeats.Peers.Heard(Now(), _nodes["s1"].Heartbeats.Timeout));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.DoesNotContain("s2", _nodes["s1"].Heartbeats.Peers.Heard(Now(), _nodes["s1"].Heartbeats.Timeout));
    }

    private Clp.Policy.Time.Instant Now() => Clp.Policy.Time.Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    private static Cluster Suspended(Cluster cluster) => new()
    {
        Metadata = cluster.Metadata,
        Spec = cluster.Spec,
        Status = new ClusterStatus { Phase = ClusterPhase.Suspended },
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var node in _nodes.Values)
        {
            try
            {
                if (node.Run is not null)
                {
                    await node.Run.WaitAsync(Bound);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            await node.Heartbeats.DisposeAsync();
            await node.Lease.DisposeAsync();
        }

        _stop.Dispose();
    }

    private sealed class Node : ILeaseEndpoint
    {
        private readonly RelayAndDeferralTests _test;
        private readonly string _name;

        public Node(string name, RelayAndDeferralTests test, Func<ClusterView> view)
        {
            _name = name;
            _test = test;
            Fence = new RecordingFence();
            var options = new LeaseKeeperOptions { NextIncarnation = last => last + 1 };
            Lease = new LeaseKeeper(this, Fence, options, test._time, NullLogger<LeaseKeeper>.Instance);
            Heartbeats = new HeartbeatService("c1", name, test._network.Join(name), view, Lease, test._time, NullLogger<HeartbeatService>.Instance);
            Partitions = new PartitionMonitor(name, Heartbeats, view, new Dictionary<NpResolverType, NpCheck>(), new Dictionary<NpResolverType, NpMediumFactory>
            {
                [NpResolverType.Disk] = _ => new FixedMedium(() => DiskReading),
            }, test._time, NullLogger<PartitionMonitor>.Instance);
            Heartbeats.Observation = Partitions.Observation;
            options.RelaySource = Heartbeats.RelayTokens;
            options.Deferral = Partitions.ShouldDefer;
        }

        public LeaseKeeper Lease { get; }

        /// <summary>What this server's Disk heartbeat area shows (when the cluster has a Disk resolver).</summary>
        public NpMediumReading DiskReading { get; set; } = new(true, ["s1", "s2"]);

        public HeartbeatService Heartbeats { get; }

        public PartitionMonitor Partitions { get; }

        public RecordingFence Fence { get; }

        public Task? Run { get; set; }

        public volatile bool ApiCut;

        public volatile bool CorruptRelays;

        public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Threading.Channels.Channel<bool> Renewals { get; } = System.Threading.Channels.Channel.CreateUnbounded<bool>();

        public ConcurrentQueue<RelayedRenewalResult> Accepted { get; } = new();

        public Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Joined.TrySetResult();
            return Task.FromResult(new JoinGrant(incarnation, I, T, "store-1", 1,
                HeartbeatKeys.HeartbeatSecret(_test._master, "c1", "uid-1"),
                HeartbeatKeys.RenewalKey(_test._master, "c1", _name, incarnation),
                ++_test._tokens));
        }

        public Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken)
        {
            if (ApiCut)
            {
                throw new HttpRequestException("the API is unreachable (test)");
            }

            var results = new List<RelayedRenewalResult>();
            foreach (var token in relayed)
            {
                var mac = CorruptRelays ? Convert.ToBase64String(new byte[32]) : token.Mac;
                var copy = new RelayedRenewal { Server = token.Server, Incarnation = token.Incarnation, Sequence = token.Sequence, TimeoutMs = token.TimeoutMs, Mac = mac };
                var ok = HeartbeatKeys.VerifyRenewal(HeartbeatKeys.RenewalKey(_test._master, "c1", token.Server, token.Incarnation), "c1", copy);
                var result = new RelayedRenewalResult { Server = token.Server, Incarnation = token.Incarnation, Sequence = token.Sequence, Accepted = ok };
                results.Add(result);
                if (ok)
                {
                    Accepted.Enqueue(result);
                }
            }

            Renewals.Writer.TryWrite(true);
            return Task.FromResult(new RenewAnswer(++_test._tokens, results, _test._answer?.Timeout, _test._answer?.Ratio));
        }
    }

    /// <summary>A Disk medium whose reading the test sets (the real one is tested on files in Clp.Drivers.Linux.Tests).</summary>
    private sealed class FixedMedium(Func<NpMediumReading> reading) : INpMedium
    {
        public void Exchange(NpExchange exchange)
        {
        }

        public NpMediumReading Read(TimeSpan ownDeadline, TimeSpan peerWindow) => reading();

        public void Dispose()
        {
        }
    }

    internal sealed class RecordingFence : IFence
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public Task FenceAsync(string reason, TimeSpan budget, CancellationToken cancellationToken)
        {
            Calls.Enqueue(reason);
            return Task.CompletedTask;
        }
    }

    /// <summary>Datagrams between the nodes, delivered at once; <see cref="Cut"/> drops everything,
    /// <see cref="Isolated"/> drops what one server sends or receives.</summary>
    private sealed class MemoryNetwork
    {
        private readonly ConcurrentDictionary<IPEndPoint, (string Server, Action<string, ReadOnlyMemory<byte>> Receive)> _bound = new();

        public volatile bool Cut;

        public volatile string? Isolated;

        public IHeartbeatTransport Join(string server) => new Transport(this, server);

        private sealed class Transport(MemoryNetwork network, string server) : IHeartbeatTransport
        {
            public void Bind(IReadOnlyList<HeartbeatBinding> bindings, Action<string, ReadOnlyMemory<byte>> onReceive)
            {
                foreach (var binding in bindings)
                {
                    network._bound[binding.Local] = (server, onReceive);
                }
            }

            public void Send(string interconnect, IPEndPoint to, byte[] datagram)
            {
                if (network.Cut || network._bound.GetValueOrDefault(to) is not { Receive: not null } target
                    || network.Isolated == server || network.Isolated == target.Server)
                {
                    return;
                }

                target.Receive(interconnect, datagram);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
