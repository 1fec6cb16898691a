using Clp.Controller.Leases;
using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Placement;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Reconciliation;

/// <summary>One level-triggered reconcile of one cluster, inside one store transaction: apply the
/// operations the controller owns, judge servers down, decide placements with
/// <see cref="PlacementPolicy.Decide"/>, and plan every write (STYLE 13, 14: the decisions are pure,
/// this is the thin shell).</summary>
/// <remarks>Order matters: phase and membership operations first (a resume restarts the down count, a
/// suspend stops judging); then the down judgement, whose revocations are taken in the registry before
/// anything is written (so no renewal can succeed after it); then placement, which sees the new
/// liveness, so a down server's revocation and its groups' new placements land in one transaction.</remarks>
internal sealed partial class ReconcilePass
{
    private readonly ClusterObjects _objects;
    private readonly ClusterState _state;
    private readonly LeaseRegistry _registry;
    private readonly ILogger _logger;
    private readonly Instant _now;
    private readonly DateTimeOffset _wall;
    private readonly string _storeUid;
    private readonly long _issuedAfter;
    private readonly Func<Instant, Instant> _countingFloor;
    private readonly ClusterStatus _status;
    private readonly ClusterStatus _statusBefore;
    private readonly Dictionary<string, ServerState> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GroupStatus> _groupStatus = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _judged = [];
    private readonly List<string> _revoked = [];
    private Instant? _startedAt;
    private Instant _countingFrom;
    private Instant? _recheckAt;
    private Instant? _ratioEnd;
    private DateTimeOffset? _ratioUntil;
    private bool _resetCounts;
    private int _failovers;
    private DownJudge? _judge;

    /// <summary>The judgement with the cluster's own T (the down timer raises it to the T agents stated, as
    /// this pass's <see cref="_judge"/> does, at each renewal).</summary>
    private DownJudge? _baseJudge;

    public ReconcilePass(
        ClusterObjects objects, ClusterState state, LeaseRegistry registry, ILogger logger, Instant now, DateTimeOffset wall,
        string storeUid, long issuedAfter, Func<Instant, Instant> countingFloor)
    {
        _objects = objects;
        _state = state;
        _registry = registry;
        _logger = logger;
        _now = now;
        _wall = wall;
        _storeUid = storeUid;
        _issuedAfter = issuedAfter;
        _countingFloor = countingFloor;
        _statusBefore = objects.Cluster.Value.Status ?? new ClusterStatus();
        _status = Clone(_statusBefore);
        _startedAt = state.StartedAt;
        _countingFrom = state.CountingFrom;
        _ratioEnd = state.RatioEnd;
        _ratioUntil = state.RatioUntil;
        Plan = new WritePlan(state.Key, wall);
        foreach (var group in objects.Groups)
        {
            _groupStatus[group.Name] = Clone(group.Value.Status ?? new GroupStatus());
        }
    }

    public WritePlan Plan { get; }

    private string ClusterName => _objects.Cluster.Value.Metadata.Name;

    public ReconcileOutcome Run()
    {
        EnsurePhase();
        ExpireTimeoutRatio();
        ApplyClusterOperations();
        ReturnPoweredDownServers();
        JudgeServers();
        var result = Decide();
        ApplyDecisions(result);
        if (result.StartupComplete && _status.Phase == ClusterPhase.Starting && _objects.Servers.Count > 0)
        {
            SetPhase(ClusterPhase.Running, "the startup sync is over");
        }

        MirrorAgentOperations();
        CompleteOperations();
        PlanGroupAndClusterWrites();
        var ratio = CurrentRatio;
        var heartbeat = _objects.Cluster.Value.Spec.Heartbeat ?? new HeartbeatSpec();
        return new ReconcileOutcome
        {
            Writes = Plan.Count,
            Failovers = _failovers,
            DownJudgements = _revoked.Count,
            Revoked = _revoked,
            Heartbeat = new ClusterHeartbeat(heartbeat.IntervalMs, (int)Math.Min(int.MaxValue, (long)heartbeat.TimeoutMs * ratio), ratio, _objects.Cluster.Value.Spec.IsolationAction),
            Judge = _baseJudge,
            JudgedServers = _judged,
            Held = _held,
            RecheckAt = Min(Min(result.RecheckAt, _ratioEnd), _recheckAt),
            StartedAt = _status.Phase == ClusterPhase.Starting ? _startedAt : null,
            CountingFrom = _countingFrom,
            RatioEnd = _ratioEnd,
            RatioUntil = _ratioUntil,
        };
    }

    /// <summary>A cluster the controller sees for the first time is Starting: the startup sync wait
    /// applies from when it first has a server. A controller that restarts during a start waits again
    /// from its own start (errs late).</summary>
    private void EnsurePhase()
    {
        if (_status.Phase is null)
        {
            SetPhase(ClusterPhase.Starting, "a new cluster starts");
        }

        if (_status.Phase == ClusterPhase.Starting)
        {
            // Without servers there is nothing to wait for yet: the sync wait counts from the first
            // reconcile that sees a server (a cluster is built object by object).
            _startedAt = _objects.Servers.Count == 0 ? _now : _startedAt ?? _now;
        }
    }

    private int CurrentRatio => _status.TimeoutRatio is { } set ? Math.Max(1, set.Ratio) : 1;

    /// <summary>The ratio's end is a duration on this controller's clock from when it was applied; a
    /// controller that did not apply it derives the remaining time from the stored end once.</summary>
    private void ExpireTimeoutRatio()
    {
        if (_status.TimeoutRatio is not { } set)
        {
            (_ratioEnd, _ratioUntil) = (null, null);
            return;
        }

        if (_ratioUntil != set.Until || (_ratioEnd is null && set.Until is not null))
        {
            _ratioUntil = set.Until;
            _ratioEnd = set.Until is { } until ? _now + (until > _wall ? until - _wall : TimeSpan.Zero) : null;
        }

        if (_ratioEnd is { } end && _now >= end)
        {
            _status.TimeoutRatio = null;
            (_ratioEnd, _ratioUntil) = (null, null);
            Plan.Event(ControllerEvents.TimeoutRatioChanged, EventSeverity.Info,
                $"The timeout ratio {set.Ratio} of cluster {ClusterName} ended", About(Kinds.Cluster, ClusterName));
        }
    }

    private void SetPhase(ClusterPhase phase, string why)
    {
        var was = _status.Phase;
        if (was == phase)
        {
            return;
        }

        _status.Phase = phase;
        _status.PhaseTime = _wall;
        if (phase == ClusterPhase.Starting)
        {
            _startedAt = _now;
        }

        Plan.Event(ControllerEvents.ClusterPhaseChanged, EventSeverity.Info,
            $"Cluster {ClusterName} is {phase} (was {was?.ToString() ?? "new"}): {why}", About(Kinds.Cluster, ClusterName));
        LogPhase(ClusterName, was?.ToString() ?? "new", phase.ToString());
    }

    private static ObjectReference About(KindInfo kind, string name) => ControllerEvents.About(kind.Kind, name);

    private static Instant? Min(Instant? a, Instant? b) => a is null ? b : b is null ? a : Instant.Min(a.Value, b.Value);

    private static T Clone<T>(T value) =>
        System.Text.Json.JsonSerializer.Deserialize<T>(StoredJson.ToJson(value), Core.Json.ClpJson.StoredOptions)!;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster} phase {From} -> {To}")]
    private partial void LogPhase(string cluster, string from, string to);
}
