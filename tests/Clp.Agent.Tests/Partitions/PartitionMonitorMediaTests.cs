using System.Net;
using System.Threading.Channels;
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

/// <summary>The partition monitor's NP media: which medium it opens for which resolver (Disk path, Com
/// device with the server's own override), one exchange at a time per medium, reopening and closing as the
/// spec changes, and the readings published as observations (T = 8 s: own deadline T, Disk window 2 T,
/// Com window T). The media here are in memory; the Linux ones are tested on real files and a real pty in
/// Clp.Drivers.Linux.Tests.</summary>
public sealed class PartitionMonitorMediaTests : IAsyncDisposable
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<MemoryMedium> _opened = Channel.CreateUnbounded<MemoryMedium>();
    private readonly Channel<(MemoryMedium Medium, NpExchange Exchange)> _exchanges = Channel.CreateUnbounded<(MemoryMedium, NpExchange)>();
    private readonly LeaseKeeper _lease;
    private readonly HeartbeatService _heartbeats;
    private ClusterView _view;

    public PartitionMonitorMediaTests()
    {
        _view = View(Resolvers());
        _lease = new LeaseKeeper(new NoApi(), new NoFence(), new LeaseKeeperOptions(), _time, NullLogger<LeaseKeeper>.Instance);
        _heartbeats = new HeartbeatService("c1", "s1", new NoTransport(), () => _view, _lease, _time, NullLogger<HeartbeatService>.Instance);
        Monitor = new PartitionMonitor("s1", _heartbeats, () => _view, new Dictionary<NpResolverType, NpCheck>(), new Dictionary<NpResolverType, NpMediumFactory>
        {
            [NpResolverType.Disk] = Open,
            [NpResolverType.Com] = Open,
        }, _time, NullLogger<PartitionMonitor>.Instance);
    }

    private PartitionMonitor Monitor { get; }

    public async ValueTask DisposeAsync()
    {
        Monitor.Dispose();
        await _heartbeats.DisposeAsync();
        await _lease.DisposeAsync();
    }

    private static List<NpResolverSpec> Resolvers(string diskPath = "/shared/hb.area") =>
    [
        new() { Name = "disk1", Type = NpResolverType.Disk, Path = diskPath, TimeoutSeconds = 4 },
        new() { Name = "com1", Type = NpResolverType.Com, Device = "/dev/ttyS0", Servers = ["s1", "s2"] },
        new() { Name = "com2", Type = NpResolverType.Com, Device = "/dev/ttyS1", Servers = ["s2", "s3"] },
    ];

    private static ClusterView View(List<NpResolverSpec> resolvers) => new(
        new Cluster
        {
            Metadata = new ObjectMeta { Name = "c1" },
            Spec = new ClusterSpec { Heartbeat = new HeartbeatSpec { IntervalMs = 1000, TimeoutMs = (int)T.TotalMilliseconds }, NpResolvers = resolvers },
        },
        new Dictionary<string, Server>(StringComparer.OrdinalIgnoreCase)
        {
            ["s1"] = new() { Metadata = new ObjectMeta { Name = "s1" }, Spec = new ServerSpec { Priority = 1, NpDevices = [new ServerNpDevice { Resolver = "com1", Device = "/dev/ttyUSB0" }] } },
            ["s2"] = new() { Metadata = new ObjectMeta { Name = "s2" }, Spec = new ServerSpec { Priority = 2 } },
            ["s3"] = new() { Metadata = new ObjectMeta { Name = "s3" }, Spec = new ServerSpec { Priority = 3 } },
        },
        ClusterView.Map<Group>(), ClusterView.Map<Resource>(), ClusterView.Map<Monitor>(), ClusterView.Map<Operation>());

    private INpMedium Open(NpMediumContext context)
    {
        var medium = new MemoryMedium(context, _exchanges.Writer);
        _opened.Writer.TryWrite(medium);
        return medium;
    }

    private async Task<Dictionary<string, MemoryMedium>> OpenedAsync(int count)
    {
        var media = new Dictionary<string, MemoryMedium>();
        using var timeout = new CancellationTokenSource(Bound);
        for (var i = 0; i < count; i++)
        {
            var medium = await _opened.Reader.ReadAsync(timeout.Token);
            media[medium.Context.Resolver] = medium;
        }

        return media;
    }

    private async Task<(MemoryMedium Medium, NpExchange Exchange)> NextExchangeAsync(string phase)
    {
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            return await _exchanges.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no exchange started within {Bound} ({phase})");
        }
    }

    [Fact]
    public async Task ExchangeMedia_DiskAndComResolvers_OpenTheirPathAndTheServersOwnDevice()
    {
        Monitor.ExchangeMedia();

        var media = await OpenedAsync(2);
        Assert.Equal(["com1", "disk1"], media.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("/shared/hb.area", media["disk1"].Context.Location);
        Assert.Equal(TimeSpan.FromSeconds(4), media["disk1"].Context.ExchangeBudget);
        Assert.Equal("/dev/ttyUSB0", media["com1"].Context.Location);
        Assert.Equal(("c1", "s1"), (media["com1"].Context.Cluster, media["com1"].Context.Server));

        var first = await NextExchangeAsync("first round");
        var second = await NextExchangeAsync("first round");
        var byResolver = new[] { first, second }.ToDictionary(e => e.Medium.Context.Resolver, e => e.Exchange);
        Assert.Equal(["s1", "s2", "s3"], byResolver["disk1"].Servers.Order(StringComparer.Ordinal));
        Assert.Equal(["s1", "s2"], byResolver["com1"].Servers);
        Assert.Null(byResolver["com1"].Secret);
    }

    [Fact]
    public async Task Observation_MediaReadings_ArePublishedWithTheirWindows()
    {
        Monitor.ExchangeMedia();
        var media = await OpenedAsync(2);
        media["disk1"].Reading = new NpMediumReading(true, ["s1", "s3"]);
        media["com1"].Reading = new NpMediumReading(true, ["s2"]);

        var observation = Monitor.Observation();

        Assert.Equal(["s1", "s3"], observation.AliveOnDisk!["disk1"]);
        Assert.True(observation.ComLineUp!["com1"]);
        Assert.True(observation.Checks!["disk1"]);
        Assert.True(observation.Checks["com1"]);
        Assert.False(observation.Checks.ContainsKey("com2"));
        Assert.Equal((T, T + T), media["disk1"].LastWindows);
        Assert.Equal((T, T), media["com1"].LastWindows);

        media["disk1"].Reading = new NpMediumReading(false, ["s3"]);
        media["com1"].Reading = new NpMediumReading(false, []);
        observation = Monitor.Observation();
        Assert.False(observation.Checks!["disk1"]);
        Assert.False(observation.ComLineUp!["com1"]);
        Assert.False(observation.Checks["com1"]);
    }

    [Fact]
    public async Task Observation_DiskResolverWithoutAMedium_FailsItsCheck()
    {
        _view = View([new NpResolverSpec { Name = "disk1", Type = NpResolverType.Disk, Path = "" }]);

        Monitor.ExchangeMedia();

        var observation = Monitor.Observation();
        Assert.False(observation.Checks!["disk1"]);
        Assert.Null(observation.AliveOnDisk);
        Assert.False(_opened.Reader.TryRead(out _));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ExchangeMedia_PreviousExchangeStillRunning_StartsNoSecond()
    {
        Monitor.ExchangeMedia();
        var media = await OpenedAsync(2);
        var disk = media["disk1"];
        await NextExchangeAsync("first round");
        await NextExchangeAsync("first round");
        await Monitor.Media.PendingExchange("disk1")!.WaitAsync(Bound);
        await Monitor.Media.PendingExchange("com1")!.WaitAsync(Bound);
        disk.Hold = new TaskCompletionSource();
        Monitor.ExchangeMedia();
        await NextExchangeAsync("second round");
        await NextExchangeAsync("second round");
        Assert.Equal(2, disk.Exchanges);

        await Monitor.Media.PendingExchange("com1")!.WaitAsync(Bound);
        Monitor.ExchangeMedia(); // disk1 is still in its exchange: only com1 starts one
        var third = await NextExchangeAsync("third round");
        Assert.Equal("com1", third.Medium.Context.Resolver);
        Assert.False(_exchanges.Reader.TryRead(out _));

        disk.Hold.SetResult();
        await Monitor.Media.PendingExchange("disk1")!.WaitAsync(Bound);
        await Monitor.Media.PendingExchange("com1")!.WaitAsync(Bound);
        Monitor.ExchangeMedia();
        var fourth = await NextExchangeAsync("fourth round");
        var fifth = await NextExchangeAsync("fourth round");
        Assert.Contains("disk1", new[] { fourth.Medium.Context.Resolver, fifth.Medium.Context.Resolver });
    }

    [Fact]
    public async Task ExchangeMedia_PathChangesOrResolverGoes_ReopensOrCloses()
    {
        Monitor.ExchangeMedia();
        var media = await OpenedAsync(2);

        _view = View(Resolvers(diskPath: "/shared/other.area"));
        Monitor.ExchangeMedia();
        var reopened = await OpenedAsync(1);
        Assert.Equal("/shared/other.area", reopened["disk1"].Context.Location);
        Assert.True(media["disk1"].Disposed);
        Assert.False(media["com1"].Disposed);

        _view = View([]);
        Monitor.ExchangeMedia();
        Assert.True(media["com1"].Disposed);
        Assert.True(reopened["disk1"].Disposed);
        Assert.Null(Monitor.Observation().ComLineUp);
    }

    private sealed class MemoryMedium(NpMediumContext context, ChannelWriter<(MemoryMedium, NpExchange)> exchanges) : INpMedium
    {
        private int _exchanges;

        public NpMediumContext Context { get; } = context;

        public volatile NpMediumReading Reading = new(false, []);

        public volatile TaskCompletionSource? Hold;

        public (TimeSpan Own, TimeSpan Peers) LastWindows { get; private set; }

        public bool Disposed { get; private set; }

        public int Exchanges => _exchanges;

        public void Exchange(NpExchange exchange)
        {
            Interlocked.Increment(ref _exchanges);
            exchanges.TryWrite((this, exchange));
            Hold?.Task.Wait(Bound);
        }

        public NpMediumReading Read(TimeSpan ownDeadline, TimeSpan peerWindow)
        {
            LastWindows = (ownDeadline, peerWindow);
            return Reading;
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class NoApi : ILeaseEndpoint
    {
        public Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken) => throw new HttpRequestException("no API in this test");

        public Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken) => throw new HttpRequestException("no API in this test");
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
