using Prometheus;

namespace Clp.Controller;

/// <summary>The controller's Prometheus metrics (prometheus-net's default registry, served by clp-api at
/// <c>/metrics</c>), pre-initialised to 0 so dashboards see every series from the start (STYLE 36).</summary>
public sealed class ControllerMetrics
{
    public const string Success = "success";
    public const string Error = "error";
    public const string LeadershipLost = "leadership_lost";

    private static readonly Counter Reconciles = Metrics.CreateCounter(
        "clp_controller_reconcile_total", "Cluster reconciles by result.", new CounterConfiguration { LabelNames = ["result"] });

    private static readonly Histogram ReconcileSeconds = Metrics.CreateHistogram(
        "clp_controller_reconcile_duration_seconds", "Duration of one cluster reconcile (one store transaction).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });

    private static readonly Counter Failovers = Metrics.CreateCounter(
        "clp_failovers_total", "Failovers charged to failover counts (server down or recovery).");

    private static readonly Counter Downs = Metrics.CreateCounter(
        "clp_controller_down_judgements_total", "Servers judged down (leases revoked).");

    private static readonly Gauge Leader = Metrics.CreateGauge(
        "clp_controller_leader", "1 while this process's controller holds the leader lease.");

    public ControllerMetrics()
    {
        foreach (var result in new[] { Success, Error, LeadershipLost })
        {
            Reconciles.WithLabels(result);
        }

        Failovers.Inc(0);
        Downs.Inc(0);
        Leader.Set(0);
    }

    public void Reconciled(string result, TimeSpan duration)
    {
        Reconciles.WithLabels(result).Inc();
        ReconcileSeconds.Observe(duration.TotalSeconds);
    }

    public void FailedOver(int count) => Failovers.Inc(count);

    public void JudgedDown(int count) => Downs.Inc(count);

    public void IsLeader(bool leader) => Leader.Set(leader ? 1 : 0);
}
