using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>What happened to the lease, at <see cref="Now"/> on the agent's monotonic clock.</summary>
public abstract record LeaseEvent(Instant Now);

/// <summary>A join sent at <paramref name="Sent"/> was answered with <paramref name="Grant"/>.</summary>
/// <param name="LongestStopPath">The stop path F is derived from (DESIGN rule 3), as the agent sees it now.</param>
public sealed record GrantAnswered(Instant Now, LeaseTerms Grant, Instant Sent, TimeSpan LongestStopPath) : LeaseEvent(Now);

/// <summary>A renewal of <paramref name="Incarnation"/> sent at <paramref name="Sent"/>, stating <paramref name="Stated"/>,
/// succeeded; the answer gives the cluster's T (<paramref name="Timeout"/>), ratio, isolation action and vote token now.</summary>
public sealed record RenewalAnswered(
    Instant Now, long Incarnation, Instant Sent, TimeSpan Stated, TimeSpan? Timeout, int? TimeoutRatio, IsolationAction? IsolationAction,
    long? VoteToken, TimeSpan LongestStopPath) : LeaseEvent(Now);

/// <summary>A peer relayed a renewal token this agent sent at <paramref name="Sent"/>, and the API took it.</summary>
public sealed record RelayAcknowledged(Instant Now, long Incarnation, Instant Sent, TimeSpan Stated, TimeSpan LongestStopPath) : LeaseEvent(Now);

/// <summary>The API refused a renewal of <paramref name="Incarnation"/> (409: revoked or replaced).</summary>
public sealed record RenewalRejected(Instant Now, long Incarnation, string Message) : LeaseEvent(Now);

/// <summary>The one-shot fence timer fired (perhaps a fraction early, perhaps late).</summary>
public sealed record FenceTimerFired(Instant Now) : LeaseEvent(Now);

/// <summary>The one-shot deferral-check timer fired, one interval before the fence time (perhaps early or late).</summary>
public sealed record CheckTimerFired(Instant Now) : LeaseEvent(Now);

/// <summary>The deferral check asked for by <see cref="CheckDeferral"/> answered.</summary>
/// <param name="FiredAt">When the timer fired that asked (the lease age of the decision counts from there).</param>
/// <param name="Defer">Whether this side may keep its resources running without the API.</param>
/// <param name="Reason">Why (logged); null when no deferral check is configured (never defers).</param>
public sealed record DeferralDecided(Instant Now, long Incarnation, Instant FiredAt, bool Defer, string? Reason) : LeaseEvent(Now);

/// <summary>Fence now, whatever the lease age: the graceful stop, the fence guard's release.</summary>
/// <param name="Incarnation">Only for this incarnation; null for whichever is current.</param>
public sealed record FenceRequested(Instant Now, string Reason, FenceCause Cause, long? Incarnation = null) : LeaseEvent(Now);

/// <summary>The fence under way released everything.</summary>
/// <param name="ConfiguredIsolationAction">The cluster's action as the agent last listed it, used when no answer of
/// the API stated one (<see cref="LeaseState.StatedIsolationAction"/>).</param>
public sealed record FenceCompleted(Instant Now, IsolationAction? ConfiguredIsolationAction) : LeaseEvent(Now);

/// <summary>The isolation action holding the keeper down failed: the fence already made the server safe.</summary>
public sealed record IsolationActionFailed(Instant Now) : LeaseEvent(Now);
