using Clp.Controller.Leases;
using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Controller.Reconciliation;

/// <summary>What one reconcile did and what the controller must do after its commit: update the
/// in-memory cluster state, the registry's heartbeat, metrics and timers.</summary>
internal sealed record ReconcileOutcome
{
    public static ReconcileOutcome Gone { get; } = new() { ClusterGone = true };

    public bool ClusterGone { get; init; }

    public int Writes { get; init; }

    public int Failovers { get; init; }

    public int DownJudgements { get; init; }

    public ClusterHeartbeat? Heartbeat { get; init; }

    /// <summary>The judgement with the cluster's own T (null while the cluster is suspended) and the servers it
    /// judges; whoever uses it raises its T to the longest T a live agent stated (<see cref="DownJudge.Acknowledged"/>).</summary>
    public DownJudge? Judge { get; init; }

    public IReadOnlyList<string> JudgedServers { get; init; } = [];

    /// <summary>The silent servers held for want of a quorum (reported once each).</summary>
    public IReadOnlySet<string> Held { get; init; } = new HashSet<string>();

    /// <summary>When time alone changes a decision (startup sync end, timeout ratio end).</summary>
    public Instant? RecheckAt { get; init; }

    public Instant? StartedAt { get; init; }

    public Instant CountingFrom { get; init; }

    public Instant? RatioEnd { get; init; }

    public DateTimeOffset? RatioUntil { get; init; }

    /// <summary>Leases revoked in the registry by this pass: they must reach the store before anything
    /// relies on them (they do: the same transaction).</summary>
    public IReadOnlyList<string> Revoked { get; init; } = [];
}
