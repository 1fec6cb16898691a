using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>What the lease keeper's shell must do after a transition, in order.</summary>
public abstract record LeaseAction;

/// <summary>Set the one-shot fence timer to fire at <paramref name="At"/> (rounded up to the millisecond).</summary>
public sealed record ArmFenceTimer(Instant At) : LeaseAction;

/// <summary>Set the one-shot deferral-check timer to fire at <paramref name="At"/>: one interval before the fence time
/// (<see cref="LeaseMachine.CheckAt"/>).</summary>
public sealed record ArmCheckTimer(Instant At) : LeaseAction;

/// <summary>Set the one-shot fence timer to fire <paramref name="Delay"/> from now (the deferral's next check).</summary>
public sealed record ArmFenceTimerAfter(TimeSpan Delay) : LeaseAction;

/// <summary>Stop the fence timer and the deferral-check timer (a fence began).</summary>
public sealed record DisarmFenceTimer : LeaseAction;

/// <summary>A success moved the deadline (a join, a renewal, a relay, a shorter T): tell the fence guard and the
/// observers.</summary>
public sealed record NotifyRenewed(Instant Sent) : LeaseAction;

/// <summary>The fence guard's deadline while the fence is deferred: <paramref name="Until"/> (the next check plus one
/// interval), unless confirmed again; or the fence time itself, when a deferral is refused ahead of it.</summary>
public sealed record NotifyDeferred(Instant Until) : LeaseAction;

/// <summary>Ask the deferral check (it may take a while) and answer with <see cref="DeferralDecided"/>.</summary>
public sealed record CheckDeferral(long Incarnation, Instant FiredAt) : LeaseAction;

/// <summary>The grant is refused (too late to be used): join again.</summary>
public sealed record RefuseGrant(string Reason) : LeaseAction;

/// <summary>End the incarnation's renewal loop at once.</summary>
public sealed record StopRenewals : LeaseAction;

/// <summary>Release everything within <see cref="FenceOrder.Budget"/>, then answer <see cref="FenceCompleted"/>.</summary>
public sealed record StartFence(FenceOrder Order) : LeaseAction;

/// <summary>Record the completed fence (DESIGN rule 3) and report it.</summary>
/// <param name="LeaseAge">The lease age at completion; null when no renewal had succeeded.</param>
/// <param name="Late">Completed past T: the controller may have started this server's groups elsewhere meanwhile.</param>
public sealed record RecordFence(FenceOrder Order, TimeSpan? LeaseAge, bool Late, IsolationAction? IsolationAction) : LeaseAction;

/// <summary>Carry out the isolation action (not StopGroups) after the fence: it holds the keeper down.</summary>
public sealed record RunIsolationAction(IsolationAction Action, FenceOrder Order, TimeSpan? LeaseAge) : LeaseAction;

/// <summary>Release the hold (the action failed): the keeper joins again.</summary>
public sealed record ReleaseHold : LeaseAction;

/// <summary>Something to log (the shell's log lines; no behaviour depends on them).</summary>
public abstract record LeaseNote : LeaseAction;

public sealed record JoinedNote(long Incarnation, TimeSpan Interval, TimeSpan Timeout) : LeaseNote;

public sealed record DeferringNote(TimeSpan Age, string Reason) : LeaseNote;

public sealed record DeferralEndedNote(TimeSpan Deferred) : LeaseNote;

public sealed record DeferralRefusedNote(string Reason) : LeaseNote;

public sealed record TimeoutChangedNote(TimeSpan? From, TimeSpan To, int FromRatio, int ToRatio) : LeaseNote;
