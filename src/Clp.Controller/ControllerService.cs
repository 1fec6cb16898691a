using System.Collections.Concurrent;
using Clp.Controller.Leadership;
using Clp.Controller.Leases;
using Clp.Controller.Options;
using Clp.Controller.Queue;
using Clp.Controller.Reconciliation;
using Clp.Controller.Timing;
using Clp.Controller.Watching;
using Clp.Core.Model;
using Clp.Core.Store;
using Clp.Core.Time;
using Clp.Policy.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clp.Controller;

/// <summary>The controller hosted in clp-api: wins the leader lease, then watches every cluster and
/// reconciles each through a de-duplicating queue into placements, down judgements and operation
/// outcomes (DESIGN "Controller", rules 5, 6 and 8).</summary>
/// <remarks>
/// <para>One leadership = one session: list the clusters, start counting (every lease gets a fresh
/// T + M from the moment this leader has seen the store), watch, and run one worker (concurrency 1,
/// STYLE 18). The session ends when leadership is lost (a write found its term stale, or the lease could
/// not be renewed for a lease duration) or the history has a gap; the controller then campaigns again
/// and a new session starts from scratch.</para>
/// <para>Timers: per cluster, a one-shot down timer at the earliest <c>DownAt</c> of its leases
/// (re-armed on every renewal, synchronously in the renewal request) and a recheck timer (startup sync
/// end, timeout ratio end); plus the stall monitor. All run on the controller's clock
/// (<see cref="ClpClocks.Controller"/>).</para>
/// <para>Failure modes: an unexpected exception in the session stops the host (fatal, STYLE 19); an
/// expected one (store busy, a failed write) retries the cluster with exponential backoff.</para>
/// </remarks>
public sealed partial class ControllerService : BackgroundService
{
    private readonly IResourceStore _store;
    private readonly LeaseRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly ControllerOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger<ControllerService> _logger;
    private readonly ILoggerFactory _loggers;
    private readonly LeaderElector _elector;
    private readonly ConcurrentDictionary<string, ClusterState> _states = new(StringComparer.Ordinal);
    private Session? _session;
    private long _countingStartTicks;
    private long _stallTicks;
    private StallMonitor? _stall;

    public ControllerService(
        IResourceStore store,
        LeaseRegistry registry,
        [FromKeyedServices(ClpClocks.Controller)] TimeProvider clock,
        IOptions<ControllerOptions> options,
        ControllerMetrics metrics,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _store = store;
        _registry = registry;
        _clock = clock;
        _options = options.Value;
        _metrics = metrics;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ControllerService>();
        _elector = new LeaderElector(store, clock, _options, loggers.CreateLogger<LeaderElector>());
    }

    /// <summary>Raised after each committed reconcile with the cluster key and the number of writes
    /// (tests wait on it instead of sleeping).</summary>
    internal event Action<string, int>? Reconciled;

    internal bool IsLeader => _elector.IsLeader;

    internal long Term => _elector.Term;

    /// <summary>Where the down timer of <paramref name="cluster"/> is armed (null: disarmed or unknown).</summary>
    internal Instant? DownTimerAt(string cluster) =>
        _states.TryGetValue(cluster.ToLowerInvariant(), out var state) ? state.DownTimer?.ArmedAt : null;

    internal Instant? RecheckTimerAt(string cluster) =>
        _states.TryGetValue(cluster.ToLowerInvariant(), out var state) ? state.RecheckTimer?.ArmedAt : null;

    /// <summary>The heartbeat timing lease answers carry now (set once a pass has committed, so a moment after its
    /// writes are visible in the store).</summary>
    internal ClusterHeartbeat? AnsweredHeartbeat(string cluster) => _registry.GetHeartbeat(cluster.ToLowerInvariant());

    private Instant Now => Instant.FromTimestamp(_clock.GetTimestamp(), _clock.TimestampFrequency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled();
            return;
        }

        _stall = new StallMonitor(_clock, _options.StallCheckInterval, _options.StallThreshold, OnStall, _loggers.CreateLogger<StallMonitor>());
        _stall.Start();
        _registry.Renewed += OnRenewed;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await CampaignAsync(stoppingToken))
                {
                    _metrics.IsLeader(true);
                    await LeadAsync(stoppingToken);
                    _metrics.IsLeader(false);
                    continue;
                }

                await Task.Delay(_options.LeaderRenewInterval, _clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _registry.Renewed -= OnRenewed;
            _stall.Dispose();
            _metrics.IsLeader(false);
            try
            {
                // A graceful stop hands the lease over at once; CancellationToken.None because the
                // release must not be torn by the stop that asked for it.
                await _elector.ReleaseAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is StoreException or ObjectDisposedException or InvalidOperationException)
            {
                LogReleaseFailed(e);
            }
        }
    }

    private async Task<bool> CampaignAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _elector.TryAcquireOrRenewAsync(cancellationToken);
        }
        catch (StoreException e)
        {
            LogCampaignFailed(e);
            return false;
        }
    }

    /// <summary>One leadership session: list, count, watch, work, until leadership is lost.</summary>
    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var queue = new WorkQueue(_clock);
        var backoff = new Backoff(_options.BaseRetryDelay, _options.MaxRetryDelay);
        var session = new Session(queue, backoff, term);
        var clusters = await _store.ListAsync(new ListQuery(Kinds.Cluster.Kind, ""), stoppingToken);
        var keys = clusters.Items.Select(c => c.Key.Name.ToLowerInvariant()).ToList();

        // Counting starts once this leader has seen the store: every lease gets a fresh T + M now.
        Interlocked.Exchange(ref _countingStartTicks, Now.Ticks);
        _session = session;
        LogSessionStarted(_elector.Identity, _elector.Term, keys.Count);
        foreach (var key in keys)
        {
            queue.Add(key);
        }

        var watcher = new ClusterWatcher(_store, _registry, queue.Add, Forget, _loggers.CreateLogger<ClusterWatcher>());
        var tasks = new[]
        {
            Guard(() => watcher.RunAsync(keys, clusters.ResourceVersion, term.Token), term),
            Guard(() => RenewLoopAsync(term.Token), term),
            Guard(() => WorkAsync(session, term.Token), term),
        };
        try
        {
            await Task.WhenAny(tasks);
            await term.CancelAsync();
            await Task.WhenAll(tasks);
        }
        finally
        {
            _session = null;
            foreach (var state in _states.Values)
            {
                state.Dispose();
            }

            _states.Clear();
            LogSessionEnded(_elector.Identity);
        }
    }

    /// <summary>Runs one session task; its cancellation ends quietly, a store gap ends the session, an
    /// unexpected error propagates (fatal).</summary>
    private async Task Guard(Func<Task> run, CancellationTokenSource term)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
        }
        catch (ResourceVersionGoneException e)
        {
            LogGap(e.Message);
        }
        catch (LeadershipLostException e)
        {
            LogLost(e.Message);
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var lastOk = Now;
        while (true)
        {
            await Task.Delay(_options.LeaderRenewInterval, _clock, cancellationToken);
            try
            {
                if (!await _elector.TryAcquireOrRenewAsync(cancellationToken))
                {
                    return;
                }

                lastOk = Now;
            }
            catch (StoreException e)
            {
                LogRenewFailed(e);
                if (Now - lastOk >= _options.LeaderLeaseDuration)
                {
                    _elector.StepDown();
                    return;
                }
            }
        }
    }

    private async Task WorkAsync(Session session, CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await session.Queue.GetAsync(cancellationToken);
            try
            {
                await ReconcileAsync(session, key, cancellationToken);
            }
            finally
            {
                session.Queue.Done(key);
            }
        }
    }

    private void Forget(string cluster)
    {
        if (_states.TryRemove(cluster, out var state))
        {
            state.Dispose();
        }

        _registry.ForgetCluster(cluster);
    }

    private Instant CountingFloor(Instant now)
    {
        _stall?.CheckBeforeJudging(now);
        return Instant.Max(new Instant(Interlocked.Read(ref _countingStartTicks)), new Instant(Interlocked.Read(ref _stallTicks)));
    }

    private void OnStall(Instant now)
    {
        Interlocked.Exchange(ref _stallTicks, now.Ticks);
        if (_session is { } session)
        {
            foreach (var key in _states.Keys)
            {
                session.Queue.Add(key);
            }
        }
    }

    /// <summary>A renewal moved a lease's deadline: re-arm that cluster's down timer (synchronously, in
    /// the renewal request).</summary>
    private void OnRenewed(string cluster)
    {
        if (_session is not null && _states.TryGetValue(cluster, out var state))
        {
            ArmDownTimer(state);
        }
    }

    private void ArmDownTimer(ClusterState state)
    {
        lock (state)
        {
            Instant? earliest = null;
            if (state.Judge is { } clusterJudge)
            {
                // A renewal may have been the last to acknowledge a shorter T (or state a longer one): judge
                // with the longest T a live agent stated, as the reconcile does.
                var judge = clusterJudge.Acknowledged(_registry.LongestStatedTimeout(state.Key));
                foreach (var server in state.JudgedServers)
                {
                    if (_registry.Get(state.Key, server) is { Revoked: false } view)
                    {
                        var at = judge.DownAt(view.LastReceived, view.StatedTimeout);
                        earliest = earliest is { } e ? Instant.Min(e, at) : at;
                    }
                }
            }

            state.DownTimer?.ArmAt(earliest);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller disabled (Controller:Enabled=false): nothing is placed or judged down")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller could not campaign for the leader lease")]
    private partial void LogCampaignFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller could not renew the leader lease")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller could not release the leader lease")]
    private partial void LogReleaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Identity} leads (term {Term}) over {Clusters} clusters; every lease gets a fresh T + M")]
    private partial void LogSessionStarted(string identity, long term, int clusters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Identity} session ended")]
    private partial void LogSessionEnded(string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller watch fell behind the history ({Detail}); starting a new session")]
    private partial void LogGap(string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller lost leadership: {Detail}")]
    private partial void LogLost(string detail);

    private sealed record Session(WorkQueue Queue, Backoff Backoff, CancellationTokenSource Term);
}
