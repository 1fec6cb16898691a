using System.Net;
using Clp.Agent.Fencing;
using Clp.Agent.Heartbeats;
using Clp.Agent.Leases;
using Clp.Agent.Partitions;
using Clp.Agent.View;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Tests.Partitions;

/// <summary>The partition monitor's NP checks on a fake clock: they run at each resolver's interval, and not
/// at all while the cluster is suspended (DESIGN rule 8), when the fence is never deferred either.</summary>
public sealed class PartitionMonitorTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly LeaseKeeper _lease;
    private readonly HeartbeatService _heartbeats;
    private ClusterView _view = View(ClusterPhase.Running);
    private int _checks;

    public PartitionMonitorTests()
    {
        _lease = new LeaseKeeper(new NoEndpoint(), new NoFence(), new LeaseKeeperOptions(), _time, NullLogger<LeaseKeeper>.Instance);
        _heartbeats = new HeartbeatService("c1", "s1", new NoTransport(), () => _view, _lease, _time, NullLogger<HeartbeatService>.Instance);
    }

    private PartitionMonitor Monitor() => new("s1", _heartbeats, () => _view, new Dictionary<NpResolverType, NpCheck>
    {
        [NpResolverType.Ping] = (_, _) =>
        {
            Interlocked.Increment(ref _checks);
            return Task.FromResult(true);
        },
    }, new Dictionary<NpResolverType, NpMediumFactory>(), _time, NullLogger<PartitionMonitor>.Instance);

    [Fact]
    public void Suspended_NoCheckRuns_AndTheFenceIsNotDeferred_ResumedTheChecksRunAgain()
    {
        var monitor = Monitor();
        monitor.RunDueChecks(CancellationToken.None);
        Assert.Equal(1, _checks);

        _view = View(ClusterPhase.Suspended);
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            monitor.RunDueChecks(CancellationToken.None);
        }

        Assert.Equal(1, _checks);
        var decision = monitor.ShouldDefer();
        Assert.False(decision.Defer);
        Assert.Contains("suspended", decision.Reason, StringComparison.Ordinal);

        _view = View(ClusterPhase.Running);
        monitor.RunDueChecks(CancellationToken.None);
        Assert.Equal(2, _checks);
    }

    private static ClusterView View(ClusterPhase phase) => new(
        new Cluster
        {
            Metadata = new ObjectMeta { Name = "c1", Uid = "uid-1" },
            Spec = new ClusterSpec
            {
                Heartbeat = new HeartbeatSpec { IntervalMs = 1000, TimeoutMs = 8000 },
                NpResolvers = [new NpResolverSpec { Name = "ping1", Type = NpResolverType.Ping, Targets = ["10.231.1.254"], IntervalSeconds = 5 }],
            },
            Status = new ClusterStatus { Phase = phase },
        },
        new Dictionary<string, Server>(StringComparer.OrdinalIgnoreCase)
        {
            ["s1"] = new() { Metadata = new ObjectMeta { Name = "s1" }, Spec = new ServerSpec { Priority = 1 } },
        },
        ClusterView.Map<Group>(), ClusterView.Map<Resource>(), ClusterView.Map<Clp.Core.Model.Monitor>(), ClusterView.Map<Operation>());

    public async ValueTask DisposeAsync()
    {
        await _heartbeats.DisposeAsync();
        await _lease.DisposeAsync();
    }

    private sealed class NoEndpoint : ILeaseEndpoint
    {
        public Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new HttpRequestException("no API in this test");

        public Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken) =>
            throw new HttpRequestException("no API in this test");
    }

    private sealed class NoFence : IFence
    {
        public Task FenceAsync(string reason, TimeSpan budget, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoTransport : IHeartbeatTransport
    {
        public void Bind(IReadOnlyList<HeartbeatBinding> bindings, Action<string, ReadOnlyMemory<byte>> onReceive)
        {
        }

        public void Send(string interconnect, IPEndPoint to, byte[] datagram)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
