using Clp.Controller.Timing;
using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Controller.Reconciliation;

/// <summary>What the controller keeps in memory per cluster, on its own clock (never persisted: instants
/// mean nothing to another process). Lost on restart, which errs late: a start's sync wait and every
/// lease's grace begin again.</summary>
internal sealed class ClusterState(string key) : IDisposable
{
    public string Key { get; } = key;

    /// <summary>When the current cluster start began (phase Starting).</summary>
    public Instant? StartedAt { get; set; }

    /// <summary>When the cluster was last resumed: leases get a fresh T + M from here (rule 8).</summary>
    public Instant CountingFrom { get; set; }

    /// <summary>When the timeout ratio in force ends (null: none, or until reset).</summary>
    public Instant? RatioEnd { get; set; }

    /// <summary>The stored ratio <see cref="RatioEnd"/> was computed for (to notice a change).</summary>
    public DateTimeOffset? RatioUntil { get; set; }

    /// <summary>The judgement of the last reconcile, and the servers whose leases it judges; null while
    /// nothing is judged (suspended). Used to re-arm the down timer on each renewal.</summary>
    public DownJudge? Judge { get; set; }

    public IReadOnlyList<string> JudgedServers { get; set; } = [];

    /// <summary>Silent servers not judged down for want of a quorum, already reported (one event each).</summary>
    public HashSet<string> Held { get; } = new(StringComparer.OrdinalIgnoreCase);

    public WakeupTimer? DownTimer { get; set; }

    public WakeupTimer? RecheckTimer { get; set; }

    public void Dispose()
    {
        DownTimer?.Dispose();
        RecheckTimer?.Dispose();
    }
}
