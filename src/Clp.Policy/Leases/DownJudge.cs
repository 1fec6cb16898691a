using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>The controller's down judgement (DESIGN rule 5): a server is down when no renewal has been
/// RECEIVED for T + M, counted on the controller's own monotonic clock.</summary>
/// <remarks>
/// <para>T is the larger of the cluster's T (<see cref="ClusterTimeout"/>, timeout ratio applied) and
/// the T the server's last renewal stated, and M = max(0.1 T, 200 ms) of that T. Taking the larger
/// makes a change of T safe in both directions: a shorter cluster T reaches a server's judgement only
/// once that server renewed stating it (it fences by the T it last acknowledged), and a longer one only
/// delays the judgement. The controller goes further (DESIGN rule 8): with <see cref="Acknowledged"/> the
/// cluster's T is raised to the longest T any live agent last stated, so a shorter T reaches every
/// judgement (and the settle time 2 T of docs/partition-safety.md, which bounds how long a deferring
/// agent may count a peer) only once every live agent acknowledged it.</para>
/// <para>Counting starts at <see cref="CountingStartedAt"/>: the instant this controller became leader
/// and had seen the store, or resumed the cluster, or recovered from a stall of its own. Renewals it
/// did not see (before that instant) are assumed to have arrived then, so every lease gets a fresh
/// T + M: a new leader can only judge late, never early. Restart the count with
/// <c>judge with { CountingStartedAt = now }</c>.</para>
/// <para>Boundary: at exactly T + M of silence the server is not down; one tick later it is.</para>
/// </remarks>
/// <param name="ClusterTimeout">The cluster's T as this controller knows it (ratio applied).</param>
/// <param name="CountingStartedAt">On the controller's clock.</param>
public sealed record DownJudge(TimeSpan ClusterTimeout, Instant CountingStartedAt)
{
    /// <summary>This judgement with the cluster's T raised to <paramref name="longestStated"/>, the longest T
    /// a live agent last stated (null: none known): a shorter T applies only once every live agent stated
    /// it; a longer cluster T applies at once.</summary>
    public DownJudge Acknowledged(TimeSpan? longestStated) =>
        longestStated is { } stated && stated > ClusterTimeout ? this with { ClusterTimeout = stated } : this;

    /// <summary>T + M for a server whose last renewal stated <paramref name="statedTimeout"/> (null:
    /// none seen, the cluster's T alone).</summary>
    public TimeSpan Limit(TimeSpan? statedTimeout)
    {
        var timeout = statedTimeout is { } stated && stated > ClusterTimeout ? stated : ClusterTimeout;
        return timeout + LeaseTiming.MarginFor(timeout);
    }

    /// <summary>The receive instant silence is counted from: the later of the last receipt and the
    /// start of counting.</summary>
    public Instant EffectiveLast(Instant? lastReceived) =>
        lastReceived is { } received ? Instant.Max(received, CountingStartedAt) : CountingStartedAt;

    /// <summary>Whether the server is down at <paramref name="now"/>: silence > T + M.</summary>
    /// <param name="lastReceived">When the controller received the server's last accepted renewal, on
    /// the controller's clock; null if it has received none since counting started.</param>
    public bool IsDown(Instant now, Instant? lastReceived, TimeSpan? statedTimeout) =>
        now - EffectiveLast(lastReceived) > Limit(statedTimeout);

    /// <summary>The first instant at which <see cref="IsDown"/> is true (one tick past T + M): where to
    /// arm the one-shot down timer. A renewal received before then moves it.</summary>
    public Instant DownAt(Instant? lastReceived, TimeSpan? statedTimeout) =>
        EffectiveLast(lastReceived) + Limit(statedTimeout) + TimeSpan.FromTicks(1);
}
