using Clp.Agent.Fencing;
using Clp.Agent.Heartbeats;
using Clp.Agent.Leases;
using Clp.Agent.Monitoring;
using Clp.Agent.Partitions;
using Clp.Agent.Reconciliation;
using Clp.Agent.View;
using Clp.Client;
using Clp.Client.Watching;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Agent.Node;

/// <summary>One agent: keeps the node lease, follows the cluster's desired state, adopts what already runs
/// here, and reconciles its server level-triggered (DESIGN "Agent reconciliation"): on every change or
/// resync it plans every group and executes the next steps, then writes its own Server status.</summary>
/// <remarks>Only this agent writes its Server's status, so agents never contend. Adoption (rule 7): after
/// the first join and list, every known resource is probed; what runs is recorded Online, and the planner
/// then keeps it where the placement is still this server's, and stops it otherwise. The agent adds its own
/// probe for <c>mrw</c> (<see cref="MessageReceiveProbe"/>, fed from its view of the cluster's events) to the
/// probes its host passes, over any host probe of that type: receiving messages is the agent's business,
/// not the OS's.</remarks>
public sealed partial class AgentNode : IAsyncDisposable
{
    private readonly IClpClient _client;
    private readonly AgentOptions _options;
    private readonly IReadOnlyDictionary<string, IResourceDriver> _drivers;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentNode> _logger;
    private readonly ClusterViewCache _view;
    private readonly Dictionary<string, IMonitorProbe> _probes = new(StringComparer.OrdinalIgnoreCase);
    private readonly MessageReceiveProbe _messages;
    private readonly ILoggerFactory _loggers;
    private readonly Dictionary<string, (long Generation, MonitorRunner Runner)> _monitors = new(StringComparer.OrdinalIgnoreCase);
    private MonitorScheduler? _scheduler;
    private readonly AgentEvents _events;
    private readonly AgentOperations _operations;
    private readonly ISystemActions _system;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _leaseStop = new();
    private readonly List<Task> _loops = [];
    private Task? _leaseLoop;
    private CancellationTokenSource _steps = new();
    private string? _lastStatus;
    private bool _adopted;

    public AgentNode(
        IClpClient client,
        ILeaseEndpoint leases,
        AgentOptions options,
        IReadOnlyDictionary<string, IResourceDriver> drivers,
        IReadOnlyDictionary<string, IMonitorProbe> probes,
        ISystemActions system,
        TimeProvider time,
        ILoggerFactory loggers,
        AgentNetwork? network = null)
    {
        _client = client;
        foreach (var (type, probe) in probes)
        {
            _probes[type] = probe;
        }
        _loggers = loggers;
        _options = options;
        _drivers = drivers;
        _time = time;
        _logger = loggers.CreateLogger<AgentNode>();
        _view = new ClusterViewCache(client, options.Cluster);
        _probes[MessageReceiveProbe.TypeName] = _messages = new MessageReceiveProbe(() => _view.Current);
        Local = new LocalState(time);
        _system = system;
        _operations = new AgentOperations(options.Server, Local, time);
        Executor = new GroupExecutor(options.Cluster, options.Server, drivers, Local, t => Lease!.CanStartStep(t), time, loggers.CreateLogger<GroupExecutor>());
        Fencer = new Fencer(options.Cluster, options.Server, drivers, Local, () => _view.Current.ResourcesByGroup(), system, time, loggers.CreateLogger<Fencer>())
        {
            CancelInFlight = () => _steps.Cancel(),
        };
        var leaseOptions = new LeaseKeeperOptions
        {
            // F covers the longest stop path of any group that may run here (rule 3).
            LongestStopPath = () => Policy.Leases.StopPath.OfServer(_view.Current.ResourcesByGroup().Values),

            // CLUSTERPRO's "action at NP occurrence", after an isolation fence (the cluster as last seen: the
            // API is out of reach when it matters).
            ConfiguredIsolationAction = () => _view.Current.Cluster?.Spec.IsolationAction ?? IsolationAction.StopGroups,
            RunIsolationAction = (action, reason) => IsolationActions.RunAsync(system, action, reason),

            // A first join waits for its answer only as long as the answer is usable (the cluster as last seen).
            Heartbeat = () => _view.Current.Cluster?.Spec.Heartbeat is { IntervalMs: > 0, TimeoutMs: > 0 } heartbeat
                ? (TimeSpan.FromMilliseconds(heartbeat.IntervalMs), TimeSpan.FromMilliseconds(heartbeat.TimeoutMs))
                : null,
        };
        _events = new AgentEvents(client, options.Cluster, options.Server, loggers.CreateLogger<AgentEvents>());
        Lease = new LeaseKeeper(leases, Fencer, leaseOptions, time, loggers.CreateLogger<LeaseKeeper>());
        Lease.Fenced += fence => _ = ReportFenceAsync(fence);
        Recovery = new NodeRecoveryActions(options.Cluster, options.Server, drivers, Local, () => _view.Current, system, Wake, loggers.CreateLogger<NodeRecoveryActions>());
        if (network is not null)
        {
            Heartbeats = new HeartbeatService(options.Cluster, options.Server, network.Transport, () => _view.Current, Lease, time, loggers.CreateLogger<HeartbeatService>());
            Partitions = new PartitionMonitor(options.Server, Heartbeats, () => _view.Current, network.Checks, network.Media ?? new Dictionary<NpResolverType, NpMediumFactory>(), time, loggers.CreateLogger<PartitionMonitor>());
            Heartbeats.Observation = Partitions.Observation;
            leaseOptions.RelaySource = Heartbeats.RelayTokens;
            leaseOptions.Deferral = Partitions.ShouldDefer;
        }
    }

    /// <summary>The LAN heartbeats, when this agent has a network (null in tests without one).</summary>
    public HeartbeatService? Heartbeats { get; }

    /// <summary>This server's part of NP resolution, with the heartbeats.</summary>
    public PartitionMonitor? Partitions { get; }

    internal NodeRecoveryActions Recovery { get; }

    public LocalState Local { get; }

    public LeaseKeeper Lease { get; }

    internal GroupExecutor Executor { get; }

    internal Fencer Fencer { get; }

    /// <summary>The cluster as this agent last saw it (the clp-agent host sends its resources to the fence guard).</summary>
    public ClusterView View => _view.Current;

    /// <summary>Whether the cluster is suspended, as this agent last saw it: its monitors and NP checks stop,
    /// its lease keeps renewing and its fence stays armed.</summary>
    public bool ClusterSuspended => _view.Current.Cluster?.Status?.Phase == ClusterPhase.Suspended;

    public async Task StartAsync()
    {
        _scheduler = await MonitorScheduler.StartAsync(loggers: _loggers);
        Lease.Renewed += _ => Wake();
        _leaseLoop = Task.Run(() => Lease.RunAsync(_leaseStop.Token));
        _loops.Add(Task.Run(() => WatchAsync(_stop.Token)));
        _loops.Add(Task.Run(() => WatchClusterObjectAsync(_stop.Token)));
        _loops.Add(Task.Run(() => ReconcileLoopAsync(_stop.Token)));
        if (Heartbeats is not null)
        {
            _loops.Add(Task.Run(() => Heartbeats.RunAsync(_stop.Token)));
            _loops.Add(Task.Run(() => PartitionLoopAsync(_stop.Token)));
        }
    }

    /// <summary>Every heartbeat interval: the NP checks that are due, and an event for each peer lost or
    /// heard again on an interconnect (then a status report).</summary>
    private async Task PartitionLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var interval = TimeSpan.FromMilliseconds(Math.Max(100, _view.Current.Cluster?.Spec.Heartbeat.IntervalMs ?? 3000));
            await Task.Delay(interval, _time, cancellationToken);
            try
            {
                Partitions!.RunDueChecks(cancellationToken);
                Partitions.ExchangeMedia();
                var changes = Heartbeats!.Peers.Changes(Heartbeats.Expected(), Now(), Heartbeats.Timeout);
                if (changes.Count > 0)
                {
                    Wake();
                    foreach (var (peer, interconnect, heard) in changes)
                    {
                        LogHeartbeatChange(peer, interconnect, heard ? "heard again" : "lost");
                        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        bounded.CancelAfter(interval);
                        await _events.OnHeartbeatAsync(peer, interconnect, heard, bounded.Token);
                    }
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogPartitionLoopFailed(e.Message);
            }
        }
    }

    private Policy.Time.Instant Now() => Policy.Time.Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    private void Wake() => _wake.Release();

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _client.Watcher.WatchClusterAsync(_options.Cluster, _view.RelistAsync, cancellationToken: cancellationToken))
                {
                    if (change.Type == WatchEventType.Relisted || _view.Apply(change))
                    {
                        Wake();
                    }
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogWatchFailed(e.Message);
                await Task.Delay(_options.RetryDelay, _time, cancellationToken);
            }
        }
    }

    /// <summary>Follows this cluster's own object (phase, e.g. Suspended; spec edits) on the clusters feed: the
    /// per-cluster feed carries every kind in the cluster but not the Cluster itself.</summary>
    private async Task WatchClusterObjectAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _client.Watcher.WatchKindAsync(Kinds.Cluster, _options.Cluster, _view.RelistClusterAsync, cancellationToken: cancellationToken))
                {
                    if (change.Type == WatchEventType.Relisted || _view.ApplyClusterObject(change))
                    {
                        Wake();
                    }
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogWatchFailed(e.Message);
                await Task.Delay(_options.RetryDelay, _time, cancellationToken);
            }
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var again = false;
            try
            {
                again = await ReconcileOnceAsync(cancellationToken);
                delay = _options.RetryDelay;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogReconcileFailed(e.Message);
                again = true;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }

            using var timeout = new CancellationTokenSource(again ? delay : _options.ResyncInterval, _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _wake.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Resync or retry.
            }
        }
    }

    /// <summary>One level-triggered pass; true when something is left to do (deferred or failed).</summary>
    private async Task<bool> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var grant = Lease.Grant;
        var view = _view.Current;
        if (grant is null || view.Cluster is null)
        {
            return false;
        }

        if (!_adopted)
        {
            await AdoptAsync(view, cancellationToken);
            _adopted = true;
        }

        var byGroup = view.ResourcesByGroup();
        _operations.Begin(view, g => GroupPlanner.IsPlacedHere(g, _options.Server, grant.StoreUid, grant.EpochFloor), Runners());
        var plans = GroupPlanner.Plan(_options.Server, grant.StoreUid, grant.EpochFloor, view.Groups.Values, byGroup, Local, _operations.HeldOffline(view));
        var pending = false;
        var steps = _steps;
        if (steps.IsCancellationRequested)
        {
            _steps = steps = new CancellationTokenSource();
        }

        foreach (var plan in plans)
        {
            // A failover this agent asked for (Online Failure at this epoch) waits for the controller: no
            // retries here meanwhile, so the request is not overwritten before the controller sees it.
            if (plan.AwaitingReissue
                || (plan.PlacedHere && Local.Group(plan.Group) is { State: ObjectState.OnlineFailure } requested && requested.Epoch == plan.Epoch))
            {
                continue;
            }

            if (plan.Converged)
            {
                Local.SetGroup(plan.Group, plan.PlacedHere ? ObjectState.Online : ObjectState.Offline, plan.Epoch);
                continue;
            }

            var reason = plan.PlacedHere ? GroupEvent.Start : GroupEvent.Stop;
            var outcome = await Executor.ExecuteAsync(plan, reason, steps.Token);
            pending |= outcome.Kind != PlanOutcomeKind.Converged;
            if (outcome.Kind != PlanOutcomeKind.Converged)
            {
                LogPlanOutcome(plan.Group, outcome.Kind.ToString(), outcome.Error ?? "");

                // "Online Failure" at the current epoch is the agent's request for a recovery failover (the
                // controller's failover threshold bounds it); a retry still pending stays "Online Pending".
                var state = outcome.Kind switch
                {
                    PlanOutcomeKind.FailoverRequested or PlanOutcomeKind.FinalAction when plan.PlacedHere => ObjectState.OnlineFailure,
                    _ when plan.PlacedHere => ObjectState.OnlinePending,
                    _ => ObjectState.OfflineFailure,
                };
                Local.SetGroup(plan.Group, state, plan.Epoch, outcome.Error);
            }
        }

        await SyncMonitorsAsync(view, _operations.SuspendedMonitors(view), cancellationToken);

        _operations.Complete(view, Runners());
        await ReportAsync(grant.Incarnation, cancellationToken);
        if (_operations.PendingOsAction(view) is { } action)
        {
            await RunOsActionAsync(action.Verb, action.Operation, cancellationToken);
        }

        return pending;
    }

    private Dictionary<string, MonitorRunner> Runners() =>
        _monitors.ToDictionary(m => m.Key, m => m.Value.Runner, StringComparer.OrdinalIgnoreCase);

    /// <summary>The OS step of a shutdown or reboot operation, after the controller released every group.</summary>
    private Task RunOsActionAsync(OperationVerb verb, string operation, CancellationToken cancellationToken)
    {
        var reason = $"operation {operation} ({verb})";
        LogOsAction(verb.ToString(), operation);
        return verb is OperationVerb.ClusterReboot or OperationVerb.ServerReboot
            ? _system.RebootAsync(reason, cancellationToken)
            : _system.ShutdownAsync(reason, cancellationToken);
    }

    /// <summary>Schedules a runner for every monitor that runs on this server (a new runner when its spec
    /// changed) and unschedules the rest.</summary>
    /// <param name="suspended">The monitors suspended on this server (monitor suspend/resume operations).</param>
    private async Task SyncMonitorsAsync(ClusterView view, IReadOnlySet<string> suspended, CancellationToken cancellationToken)
    {
        var wanted = view.Monitors.Values
            .Where(m => m.Spec.Servers.Count == 0 || m.Spec.Servers.Contains(_options.Server, StringComparer.OrdinalIgnoreCase))
            .Where(m => _probes.ContainsKey(m.Spec.Type))
            .ToDictionary(m => m.Metadata.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var name in _monitors.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
        {
            await _scheduler!.UnscheduleAsync(name, cancellationToken);
            _monitors.Remove(name);
            _messages.Forget(name);
        }

        foreach (var monitor in wanted.Values)
        {
            if (_monitors.TryGetValue(monitor.Metadata.Name, out var existing) && existing.Generation == monitor.Metadata.Generation)
            {
                existing.Runner.Suspended = suspended.Contains(monitor.Metadata.Name);
                continue;
            }

            var runner = NewRunner(monitor, view);
            runner.Suspended = suspended.Contains(monitor.Metadata.Name);
            _monitors[monitor.Metadata.Name] = (monitor.Metadata.Generation, runner);
            var target = monitor.Spec.Target;
            await _scheduler!.ScheduleAsync(monitor.Metadata.Name, TimeSpan.FromSeconds(monitor.Spec.IntervalSeconds), async ct =>
            {
                var before = runner.Status;
                var active = target is null || Local.Resource(target)?.State == ObjectState.Online;
                await runner.RunOnceAsync(active, _view.Current.Cluster?.Spec.SuppressMonitorRecovery ?? false, ct);
                if (runner.Status != before)
                {
                    Wake();
                }
            }, cancellationToken);
        }
    }

    private MonitorRunner NewRunner(Monitor monitor, ClusterView view)
    {
        var spec = monitor.Spec;
        var target = spec.Target is null ? null : view.Resources.GetValueOrDefault(spec.Target);
        var context = new MonitorContext(_options.Cluster, _options.Server, monitor.Metadata.Name, spec.Type, spec.Parameters, spec.Target, target?.Spec.Parameters);
        var recovery = spec.Recovery.TargetKind switch
        {
            RecoveryTargetKind.Resource => RecoveryTarget.ForResource(spec.Recovery.Target ?? "", view.Resources.GetValueOrDefault(spec.Recovery.Target ?? "")?.Spec.Group ?? ""),
            RecoveryTargetKind.Group => RecoveryTarget.ForGroup(spec.Recovery.Target ?? ""),
            RecoveryTargetKind.AllGroups => RecoveryTarget.AllGroups,
            _ => RecoveryTarget.LocalServer,
        };
        var defaultTiming = Core.Catalog.TypeCatalog.Default.FindMonitorType(spec.Type)?.DefaultTiming ?? MonitorTiming.Always;
        if (string.Equals(spec.Type, MessageReceiveProbe.TypeName, StringComparison.OrdinalIgnoreCase))
        {
            // The monitor's start on this agent: only messages the view has not seen yet count.
            _messages.Start(monitor.Metadata.Name, view.Version);
        }

        return new MonitorRunner(context, spec, defaultTiming, recovery, _probes[spec.Type], Recovery, _time, _loggers.CreateLogger<MonitorRunner>())
        {
            // DESIGN rule 8: while the cluster is suspended no monitor probes or recovers (the resources keep
            // running, the lease keeps renewing); the timeout ratio this agent applied stretches probe timeouts.
            ClusterSuspended = () => ClusterSuspended,
            TimeoutRatio = () => Lease.TimeoutRatio,
        };
    }

    /// <summary>Rule 7: record what already runs here as Online, so it is kept (still placed here) or
    /// stopped (placed elsewhere), never started twice.</summary>
    private async Task AdoptAsync(ClusterView view, CancellationToken cancellationToken)
    {
        foreach (var resource in view.Resources.Values)
        {
            if (!_drivers.TryGetValue(resource.Spec.Type, out var driver))
            {
                continue;
            }

            var epoch = view.Groups.GetValueOrDefault(resource.Spec.Group)?.Status?.Epoch ?? 0;
            var context = new ResourceContext(_options.Cluster, _options.Server, resource.Spec.Group, resource.Metadata.Name, resource.Spec.Type, resource.Spec.Parameters, GroupEvent.Start, epoch);
            if ((await driver.ProbeAsync(context, cancellationToken)).Healthy)
            {
                Local.SetResource(resource.Metadata.Name, ObjectState.Online, epoch, resource.Metadata.Generation);
                LogAdopted(resource.Metadata.Name);
            }
        }
    }

    private async Task ReportAsync(long incarnation, CancellationToken cancellationToken)
    {
        var (resources, groups, operations) = Local.Snapshot();
        var monitors = _monitors.ToDictionary(m => m.Key, m => new ObjectStateOnServer { State = m.Value.Runner.Status, LastError = m.Value.Runner.Status is ObjectState.Normal ? null : m.Value.Runner.LastMessage });
        var status = new ServerStatus
        {
            Phase = ObjectState.Online,
            Incarnation = incarnation,
            Resources = resources,
            Groups = groups,
            Monitors = monitors,
            Operations = operations.Count == 0 ? null : operations,
            Capabilities = Capabilities(),
            LastFence = Lease.LastFence is { } fence ? Report(fence) : null,
            Heartbeats = Heartbeats?.Peers.Status(Heartbeats.Expected(), Now(), Heartbeats.Timeout) is { Count: > 0 } hb ? hb : null,
            Partition = Partitions?.Observation(),
        };
        var text = System.Text.Json.JsonSerializer.Serialize(status, Core.Json.ClpJson.Options);
        if (text == _lastStatus)
        {
            return;
        }

        await _client.Servers.ReplaceServerStatusAsync(_options.Cluster, _options.Server, status, cancellationToken: cancellationToken);
        _lastStatus = text;
        await _events.OnStatusAsync(status, cancellationToken);
    }

    private static FenceReport Report(FenceRecord fence) => new()
    {
        Reason = fence.Reason,
        Incarnation = fence.Incarnation,
        CompletedAt = fence.CompletedAt,
        LeaseAgeMs = fence.LeaseAgeAtCompletion is { } age ? (long)Math.Ceiling(age.TotalMilliseconds) : null,
        HeartbeatTimeoutMs = (long)fence.Timeout.TotalMilliseconds,
        BudgetMs = (long)fence.Budget.TotalMilliseconds,
        IsolationAction = fence.IsolationAction,
    };

    /// <summary>What this server cannot run (from the host's platform checks); null when nothing is.</summary>
    private ServerCapabilities? Capabilities() => _options.UnsupportedTypes.Count == 0
        ? null
        : new ServerCapabilities
        {
            // Sorted, so the serialized status is stable and an unchanged status is not written again.
            UnsupportedTypes = _options.UnsupportedTypes.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
        };

    /// <summary>Records the fence in the alert log, off the lease keeper's path (it rejoins meanwhile).</summary>
    private async Task ReportFenceAsync(FenceRecord fence)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        await _events.OnFencedAsync(fence.Reason, fence.LeaseAgeAtCompletion, fence.Timeout, fence.IsolationAction, bounded.Token);
        Wake();
    }

    /// <summary>The agent's graceful stop (what clp-agent does on SIGTERM): stop joining, renewing, watching
    /// and reconciling, cancel the steps in flight, then release every group through the fence path (the same
    /// <see cref="Fencer"/> within the same budget F, escalating to the system actions' power off if anything
    /// outlives it), and return. Call <see cref="DisposeAsync"/> afterwards.</summary>
    /// <remarks>Why a fence and not "stop the service, keep the resources": once the agent stops renewing, the
    /// controller judges the server down after T + M and starts its groups elsewhere; resources this agent left
    /// running would then run twice. The lease is not released (the API has no release): the controller fails
    /// the groups over when it judges the server down, after T + M; a new agent on this server takes the
    /// lease over at once and the groups are re-issued to it.</remarks>
    public async Task LeaveAsync(string reason)
    {
        // Steps in flight are cancelled first so the loops end promptly. The lease keeps renewing while every
        // group here stops with its resources' full stop timeouts (a planned stop, not the fence's short
        // budget); only then does renewal stop, through the fence path with nothing left to release. If the
        // lease is lost meanwhile, the lease keeper fences as usual.
        await _steps.CancelAsync();
        await StopLoopsAsync(includeLease: false);
        var groups = _view.Current.ResourcesByGroup().Values;
        var planned = Policy.Leases.StopPath.OfServer(groups) + TimeSpan.FromSeconds(5);
        await Fencer.FenceAsync("leaving: " + reason, planned, CancellationToken.None);
        await Lease.FenceNowAsync(reason);
    }

    private async Task StopLoopsAsync(bool includeLease = true)
    {
        await _stop.CancelAsync();
        if (includeLease)
        {
            await _leaseStop.CancelAsync();
        }

        Wake();
        foreach (var loop in includeLease && _leaseLoop is not null ? [.. _loops, _leaseLoop] : _loops)
        {
            try
            {
                await loop.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (_stop.IsCancellationRequested)
            {
                // Stopping: a call cut short by the stop may fail any way it likes (a 499, a cancellation).
                LogStopped(e.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopsAsync();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        await Lease.DisposeAsync();
        if (Heartbeats is not null)
        {
            await Heartbeats.DisposeAsync();
        }

        Partitions?.Dispose();
        _stop.Dispose();
        _leaseStop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeats of {Peer} on {Interconnect}: {Change}")]
    private partial void LogHeartbeatChange(string peer, string interconnect, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition loop failed: {Reason}")]
    private partial void LogPartitionLoopFailed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A loop ended with {Exception} while stopping")]
    private partial void LogStopped(string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch failed: {Reason}")]
    private partial void LogWatchFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile failed: {Reason}")]
    private partial void LogReconcileFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Group}: {Outcome} {Error}")]
    private partial void LogPlanOutcome(string group, string outcome, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Verb}: operation {Operation} completed; this server goes down now")]
    private partial void LogOsAction(string verb, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted {Resource}, already active here")]
    private partial void LogAdopted(string resource);
}
