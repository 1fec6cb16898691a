using Clp.Agent.Host.Configuration;
using Clp.Agent.Host.Guard;
using Clp.Agent.Leases;
using Clp.Agent.Heartbeats;
using Clp.Agent.Node;
using Clp.Agent.Partitions;
using Clp.Core.Model;
using Clp.Drivers.Linux.Monitors;
using Clp.Drivers.Linux.Partitions;
using Clp.Client;
using Clp.Client.Watching;
using Clp.Core.Drivers;
using Clp.Drivers.Linux;
using Clp.Drivers.Linux.Shell;
using Clp.Policy.Leases;
using Clp.Policy.Time;
using Microsoft.Extensions.Hosting;

namespace Clp.Agent.Host.Hosting;

/// <summary>Runs this server's <see cref="AgentNode"/> for the host's lifetime: the SDK client with the agent
/// key, the lease protocol over it, and the real Linux drivers and probes.</summary>
/// <remarks>Stopping (SIGTERM, SIGINT, the stop-cluster-service final action or isolation action) runs
/// <see cref="AgentNode.LeaveAsync"/>: while the lease keeps renewing, the agent stops every group with the
/// resources' stop timeouts (escalating to power off only past the longest stop path + 5 s), then stops
/// renewing and exits 0. The
/// controller fails the groups over once it judges the server down (T + M after the last renewal), so
/// nothing this agent ran is left running unprotected by a lease. The host's stop token is ignored on
/// purpose: a release cut short is worse than a late exit.
/// With the fence guard on (the default), every successful renewal arms this server's clp-fence-guard with the new
/// fence deadline, a completed fence disarms it, and a clean stop ends it; the drivers' lease gate refuses any command
/// that takes a resource once the lease is past T − F (a thawed agent's step in flight).</remarks>
public sealed partial class AgentHostService(
    AgentHostOptions options,
    ISystemActions system,
    AgentExit exit,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<AgentHostService> logger) : IHostedService, IAsyncDisposable
{
    private ClpClient? _client;
    private AgentNode? _node;
    private FenceGuardLink? _guard;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client = ClpClient.Create(options.ApiUrl, options.AgentKey, time, watcherLogger: loggers.CreateLogger<ClpWatcher>());
        var gate = new LeaseGate(() => _node?.Lease.CanStartStep(TimeSpan.Zero) == true ? null : "the lease is no longer fresh (age past T - F, or fenced)");
        var drivers = new LinuxDriverOptions { StateDirectory = options.StateDirectory, Time = time, Loggers = loggers, Gate = gate };
        _node = new AgentNode(
            _client,
            new ApiLeaseEndpoint(_client, options.Cluster, options.Server),
            new AgentOptions { Cluster = options.Cluster, Server = options.Server, UnsupportedTypes = LinuxDrivers.UnsupportedTypes() },
            LinuxDrivers.ResourceDrivers(drivers),
            LinuxDrivers.MonitorProbes(drivers),
            system,
            time,
            loggers,
            new AgentNetwork(new UdpHeartbeatTransport(loggers.CreateLogger<UdpHeartbeatTransport>()), new Dictionary<NpResolverType, NpCheck>
            {
                [NpResolverType.Ping] = (resolver, ct) => NpChecks.PingAsync(resolver.Targets ?? [], ct),
                [NpResolverType.Http] = (resolver, ct) => NpChecks.HeadAsync(new Uri(resolver.Url!), ct),
            }, new Dictionary<NpResolverType, NpMediumFactory>
            {
                [NpResolverType.Disk] = context => new DiskHeartbeatArea(context),
                [NpResolverType.Com] = context => new SerialHeartbeatLine(context),
            }));
        LogStarting(options.Server, options.Cluster, options.ApiUrl.ToString(), options.StateDirectory, options.SystemActions.ToString(), Environment.ProcessId);
        if (options.FenceGuard)
        {
            StartGuard(_node);

            // Bounded by the link's start wait (15 s); a guard that does not come up is logged Critical and retried.
            await _guard!.Ready.WaitAsync(cancellationToken);
        }
        else
        {
            LogNoGuard(options.Server);
        }

        await _node.StartAsync();
    }

    private void StartGuard(AgentNode node)
    {
        var guard = _guard = new FenceGuardLink(GuardLaunch.For(options), time, loggers.CreateLogger<FenceGuardLink>());
        node.Lease.Renewed += _ => ArmGuard(node, guard);
        node.Lease.Fenced += fence => guard.Disarm($"the agent fenced itself: {fence.Reason}");

        // While the fence is deferred (docs/partition-safety.md, section 4) the guard's deadline moves with each
        // re-check: if the agent freezes meanwhile, the guard releases one re-check later.
        node.Lease.Deferred += until => ArmGuardUntil(node, guard, until);

        // The guard released this incarnation's resources while the agent could not (it was frozen): whatever the agent
        // believes runs does not; fence (a no-op release) and rejoin, so the controller re-issues the placement afresh.
        // Only for the incarnation the guard released: a report that arrives after the agent already fenced and joined
        // again (it was thawed, got 409, rejoined) concerns a lease that no longer exists and must not fence the new one.
        guard.GuardReleased += fire =>
        {
            if (node.Lease.Grant is { } grant && grant.Incarnation == fire.Incarnation)
            {
                _ = node.Lease.FenceNowAsync($"the fence guard released incarnation {fire.Incarnation}'s resources at lease age {fire.LeaseAgeMs:F0} ms", FenceCause.GuardReleased);
            }
        };
        guard.Start();
    }

    private void ArmGuard(AgentNode node, FenceGuardLink guard)
    {
        // The keeper's current deadline, read at once (the event's send may be an older incarnation's by now).
        if (node.Lease.Deadline is not { } deadline)
        {
            return;
        }

        guard.Arm(deadline.Incarnation, deadline.FenceAt, deadline.Timing.FenceBudget, deadline.Timing.Timeout, GuardResources.From(node.View, options.Server));
    }

    private void ArmGuardUntil(AgentNode node, FenceGuardLink guard, Instant until)
    {
        if (node.Lease.Timing is not { } timing || node.Lease.Grant is not { } grant)
        {
            return;
        }

        guard.Arm(grant.Incarnation, until, timing.FenceBudget, timing.Timeout, GuardResources.From(node.View, options.Server));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is null)
        {
            return;
        }

        var started = time.GetTimestamp();
        LogLeaving(options.Server);
        await _node.LeaveAsync($"clp-agent of server {options.Server} stopping (SIGTERM or stop requested)");
        if (_guard is not null)
        {
            // Everything is released and renewal has stopped: nothing is left for the guard to protect.
            await _guard.ExitAsync($"clp-agent of server {options.Server} left cleanly");
        }

        LogLeft(options.Server, time.GetElapsedTime(started).TotalMilliseconds);
        if (_node.Lease.HeldDownBy == IsolationAction.StopClusterService)
        {
            // Cut off, fenced, and told to stay down: a distinct code, so no supervisor restarts it into a rejoin.
            exit.Code = ExitCodes.StoppedIsolated;
            LogStoppedIsolated(options.Server, ExitCodes.StoppedIsolated);
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_guard is not null)
        {
            await _guard.DisposeAsync();
            _guard = null;
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }

        _client?.Dispose();
        _client = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "clp-agent of server {Server} in cluster {Cluster} starting (API {ApiUrl}, state {StateDirectory}, system actions {SystemActions}, pid {Pid})")]
    private partial void LogStarting(string server, string cluster, string apiUrl, string stateDirectory, string systemActions, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fence guard is off (--fence-guard off) for server {Server}: a frozen or crashed agent leaves its resources running")]
    private partial void LogNoGuard(string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: server {Server} stops renewing its lease and releases its groups through the fence path")]
    private partial void LogLeaving(string server);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Server {Server} was isolated and its isolation action is StopClusterService: clp-agent exits with code {ExitCode} and does not join again until it is started again")]
    private partial void LogStoppedIsolated(string server, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped: server {Server} released its groups in {ElapsedMs} ms; the controller fails them over once it judges the server down")]
    private partial void LogLeft(string server, double elapsedMs);
}
