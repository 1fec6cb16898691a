using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>Where an agent's lease keeper is (<see cref="LeaseMachine"/>).</summary>
public enum LeasePhase
{
    /// <summary>No lease yet: the first join is under way.</summary>
    Joining,

    /// <summary>Joined: renewing every interval; the fence timer is armed at the last successful send + T − F.</summary>
    Renewing,

    /// <summary>The lease ran out but the fence is deferred (this side survives NP resolution without the API): the
    /// deferral is checked again every interval.</summary>
    Deferring,

    /// <summary>A fence is under way: every resource is being released; no renewal, no join.</summary>
    Fencing,

    /// <summary>The fence completed and the keeper joins again with a new incarnation.</summary>
    Rejoining,

    /// <summary>The fence completed and an isolation action (StopClusterService, Shutdown, Reboot) holds the keeper
    /// down: it does not join again unless that action fails.</summary>
    HeldDown,
}

/// <summary>The terms a join was answered with, as the lease machine needs them.</summary>
public sealed record LeaseTerms(long Incarnation, TimeSpan Interval, TimeSpan Timeout, int TimeoutRatio = 1, IsolationAction? IsolationAction = null, long? VoteToken = null);

/// <summary>The fence under way or last completed: what its record will say.</summary>
public sealed record FenceOrder(string Reason, FenceCause Cause, long Incarnation, TimeSpan Budget, Instant? LastSuccessfulSend, TimeSpan Timeout);

/// <summary>One agent's lease, immutable: every change is a <see cref="LeaseMachine.Next"/> transition.</summary>
/// <remarks>Instants are the agent's monotonic clock. The lease age counts from the SEND of the last renewal that
/// succeeded (it errs old, hence safe).</remarks>
public sealed record LeaseState
{
    public static LeaseState Initial { get; } = new();

    public LeasePhase Phase { get; init; } = LeasePhase.Joining;

    /// <summary>The current (or, while fenced, the last) incarnation's grant.</summary>
    public LeaseTerms? Grant { get; init; }

    /// <summary>The timing (T, F) of the last success; kept through a fence.</summary>
    public LeaseTiming? Timing { get; init; }

    public Instant? LastSuccessfulSend { get; init; }

    /// <summary>The T (ratio applied) the next renewal states: the API's last answer.</summary>
    public TimeSpan? Stated { get; init; }

    /// <summary>The timeout ratio the API last answered (1 before any).</summary>
    public int Ratio { get; init; } = 1;

    /// <summary>The isolation action the API last stated (join or renewal answer).</summary>
    public IsolationAction? StatedIsolationAction { get; init; }

    public Instant? DeferringSince { get; init; }

    public long? VoteToken { get; init; }

    public Instant? VoteReceivedAt { get; init; }

    /// <summary>The action holding the keeper down (<see cref="LeasePhase.HeldDown"/>), else null.</summary>
    public IsolationAction? HeldDownBy { get; init; }

    /// <summary>The fence under way (<see cref="LeasePhase.Fencing"/>), else null.</summary>
    public FenceOrder? Fence { get; init; }

    /// <summary>From a fence's start until the next join succeeds: nothing may run under the old incarnation.</summary>
    public bool Fenced => Phase is LeasePhase.Fencing or LeasePhase.Rejoining or LeasePhase.HeldDown;

    /// <summary>The grant a caller may act under: null before the first join and while fenced.</summary>
    public LeaseTerms? CurrentGrant => Fenced ? null : Grant;

    /// <summary>Whether <paramref name="incarnation"/> is the current, unfenced incarnation.</summary>
    public bool IsCurrent(long incarnation) => !Fenced && Grant is { } grant && grant.Incarnation == incarnation;

    /// <summary>The current incarnation's fence deadline (its last successful send + T − F) and timing; null when
    /// fenced or before its first success.</summary>
    public (long Incarnation, Instant FenceAt, LeaseTiming Timing)? Deadline =>
        !Fenced && Grant is { } grant && Timing is { } timing && LastSuccessfulSend is { } sent
            ? (grant.Incarnation, timing.FenceAt(sent), timing)
            : null;

    /// <summary>Joined, not fenced, and renewed within T − F.</summary>
    public bool IsFresh(Instant now) =>
        !Fenced && Timing is { } timing && LastSuccessfulSend is { } sent && LeaseTiming.LeaseAge(now, sent) < timing.ActWindow;

    /// <summary>DESIGN rule 4: a step of <paramref name="stepTimeout"/> may start now.</summary>
    public bool CanStartStep(Instant now, TimeSpan stepTimeout) =>
        !Fenced && Timing is { } timing && timing.CanStartStep(now, LastSuccessfulSend, stepTimeout);

    /// <summary>Whether a deferring side may count this server (docs/partition-safety.md, section 6): 3 I after it
    /// received its newest vote token, the API counts it no more.</summary>
    public bool Countable(Instant now)
    {
        var interval = Timing?.Interval ?? Grant?.Interval;
        return VoteReceivedAt is not { } received || interval is not { } i || now - received >= i * LeaseTiming.VoteValidityIntervals;
    }

    /// <summary>The interval and T a join attempt is bounded by: the last grant's (with the T stated since), or null
    /// before any grant.</summary>
    public (TimeSpan Interval, TimeSpan Timeout)? KnownHeartbeat => Grant is { } grant ? (grant.Interval, Stated ?? grant.Timeout) : null;

    /// <summary>The T a join states: the last one stated, else the last timing's, else none.</summary>
    public TimeSpan JoinStates => Stated ?? Timing?.Timeout ?? TimeSpan.Zero;
}
