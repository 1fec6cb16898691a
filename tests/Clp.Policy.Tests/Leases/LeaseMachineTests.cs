using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Policy.Tests.Leases;

/// <summary>The lease keeper's transitions, every phase × every event, with I = 1 s and T = 5 s (F = 1 s, so the fence
/// is at send + 4 s, the deferral is asked ahead at send + 3 s, and a grant is usable for 3 s after its acquire was
/// sent). Each phase is reached the way the keeper reaches it; the last successful send L is at 10 s.</summary>
public class LeaseMachineTests
{
    private static readonly TimeSpan I = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan T = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly Instant L = At(10);

    private static Instant At(double seconds) => Instant.At(TimeSpan.FromSeconds(seconds));

    private static LeaseTerms Grant(long incarnation, long? vote = null, IsolationAction? action = null) => new(incarnation, I, T, 1, action, vote);

    private static LeaseState Apply(LeaseState state, params LeaseEvent[] events)
    {
        foreach (var e in events)
        {
            state = LeaseMachine.Next(state, e).State;
        }

        return state;
    }

    private static LeaseState Renewing() => Apply(LeaseState.Initial, new GrantAnswered(At(10.2), Grant(7), L, TimeSpan.Zero));

    private static LeaseState Phase(LeasePhase phase) => phase switch
    {
        LeasePhase.Joining => LeaseState.Initial,
        LeasePhase.Renewing => Renewing(),
        LeasePhase.Deferring => Apply(Renewing(), new DeferralDecided(At(14.1), 7, At(14), true, "this side survives")),
        LeasePhase.Fencing => Apply(Renewing(), new RenewalRejected(At(10.5), 7, "revoked")),
        LeasePhase.Rejoining => Apply(Renewing(), new RenewalRejected(At(10.5), 7, "revoked"), new FenceCompleted(At(11), null)),
        LeasePhase.HeldDown => Apply(Renewing(), new DeferralDecided(At(14.1), 7, At(14), false, "no side survives"), new FenceCompleted(At(14.5), IsolationAction.Shutdown)),
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>"Now" of each phase's events: after the state was reached.</summary>
    private static Instant NowIn(LeasePhase phase) => phase switch
    {
        LeasePhase.Deferring => At(15),
        LeasePhase.HeldDown => At(15),
        _ => At(11.5),
    };

    private static LeaseEvent Event(string name, Instant now) => name switch
    {
        "grant" => new GrantAnswered(now, Grant(8), now - I, TimeSpan.Zero),
        "grant-late" => new GrantAnswered(now, Grant(8), now - TimeSpan.FromSeconds(3) - Tick, TimeSpan.Zero),
        "renewed" => new RenewalAnswered(now, 7, now - TimeSpan.FromMilliseconds(500), T, T, 1, null, null, TimeSpan.Zero),
        "renewed-older" => new RenewalAnswered(now, 7, L - I, T, T, 1, null, null, TimeSpan.Zero),
        "renewed-other" => new RenewalAnswered(now, 6, now - TimeSpan.FromMilliseconds(500), T, T, 1, null, null, TimeSpan.Zero),
        "renewed-shorter-t" => new RenewalAnswered(now, 7, now - TimeSpan.FromMilliseconds(500), T, TimeSpan.FromSeconds(4), 1, null, null, TimeSpan.Zero),
        "renewed-longer-t" => new RenewalAnswered(now, 7, now - TimeSpan.FromMilliseconds(500), T, TimeSpan.FromSeconds(8), 1, null, null, TimeSpan.Zero),
        "relayed" => new RelayAcknowledged(now, 7, now - TimeSpan.FromMilliseconds(500), T, TimeSpan.Zero),
        "rejected" => new RenewalRejected(now, 7, "revoked"),
        "rejected-other" => new RenewalRejected(now, 6, "revoked"),
        "timer-early" => new FenceTimerFired(L + TimeSpan.FromSeconds(4) - Tick),
        "timer" => new FenceTimerFired(L + TimeSpan.FromSeconds(4)),
        "timer-late" => new FenceTimerFired(L + TimeSpan.FromSeconds(6)),
        "check-early" => new CheckTimerFired(L + TimeSpan.FromSeconds(3) - Tick),
        "check" => new CheckTimerFired(L + TimeSpan.FromSeconds(3)),
        "check-late" => new CheckTimerFired(L + TimeSpan.FromSeconds(4)),
        "defer-early" => new DeferralDecided(L + TimeSpan.FromSeconds(3.1), 7, L + TimeSpan.FromSeconds(3), true, "this side survives"),
        "no-defer-early" => new DeferralDecided(L + TimeSpan.FromSeconds(3.1), 7, L + TimeSpan.FromSeconds(3), false, "no side survives"),
        "defer" => new DeferralDecided(L + TimeSpan.FromSeconds(4.2), 7, L + TimeSpan.FromSeconds(4), true, "this side survives"),
        "no-defer" => new DeferralDecided(L + TimeSpan.FromSeconds(4.2), 7, L + TimeSpan.FromSeconds(4), false, "no side survives"),
        "defer-other" => new DeferralDecided(L + TimeSpan.FromSeconds(4.2), 6, L + TimeSpan.FromSeconds(4), false, "no side survives"),
        "fence-now" => new FenceRequested(now, "leaving", FenceCause.Leaving),
        "fence-done" => new FenceCompleted(now, IsolationAction.Shutdown),
        "isolation-failed" => new IsolationActionFailed(now),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private const string Fence = "DisarmFenceTimer StopRenewals StartFence";
    private const string Success = "ArmCheckTimer ArmFenceTimer NotifyRenewed";

    /// <summary>Every phase × every event: the phase after, and the actions in order (type names).</summary>
    public static TheoryData<LeasePhase, string, LeasePhase, string> Rows() => new()
    {
        // Joining: no grant yet, so nothing but a grant or a graceful stop does anything.
        { LeasePhase.Joining, "grant", LeasePhase.Renewing, $"{Success} JoinedNote" },
        { LeasePhase.Joining, "grant-late", LeasePhase.Joining, "RefuseGrant" },
        { LeasePhase.Joining, "renewed", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "renewed-older", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "renewed-other", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "renewed-shorter-t", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "renewed-longer-t", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "relayed", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "rejected", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "rejected-other", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "timer-early", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "timer", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "timer-late", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "check-early", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "check", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "check-late", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "defer-early", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "no-defer-early", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "defer", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "no-defer", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "defer-other", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "fence-now", LeasePhase.Fencing, Fence },
        { LeasePhase.Joining, "fence-done", LeasePhase.Joining, "" },
        { LeasePhase.Joining, "isolation-failed", LeasePhase.Joining, "" },

        // Renewing.
        { LeasePhase.Renewing, "grant", LeasePhase.Renewing, "RefuseGrant" },
        { LeasePhase.Renewing, "grant-late", LeasePhase.Renewing, "RefuseGrant" },
        { LeasePhase.Renewing, "renewed", LeasePhase.Renewing, Success },
        { LeasePhase.Renewing, "renewed-older", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "renewed-other", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "renewed-shorter-t", LeasePhase.Renewing, $"{Success} TimeoutChangedNote {Success}" },
        { LeasePhase.Renewing, "renewed-longer-t", LeasePhase.Renewing, $"{Success} TimeoutChangedNote" },
        { LeasePhase.Renewing, "relayed", LeasePhase.Renewing, Success },
        { LeasePhase.Renewing, "rejected", LeasePhase.Fencing, Fence },
        { LeasePhase.Renewing, "rejected-other", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "timer-early", LeasePhase.Renewing, "ArmFenceTimer" },
        { LeasePhase.Renewing, "timer", LeasePhase.Renewing, "CheckDeferral" },
        { LeasePhase.Renewing, "timer-late", LeasePhase.Renewing, "CheckDeferral" },
        { LeasePhase.Renewing, "check-early", LeasePhase.Renewing, "ArmCheckTimer" },
        { LeasePhase.Renewing, "check", LeasePhase.Renewing, "CheckDeferral" },
        { LeasePhase.Renewing, "check-late", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "defer-early", LeasePhase.Deferring, "ArmFenceTimerAfter DeferringNote NotifyDeferred" },
        { LeasePhase.Renewing, "no-defer-early", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "defer", LeasePhase.Deferring, "ArmFenceTimerAfter DeferringNote NotifyDeferred" },
        { LeasePhase.Renewing, "no-defer", LeasePhase.Fencing, Fence },
        { LeasePhase.Renewing, "defer-other", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "fence-now", LeasePhase.Fencing, Fence },
        { LeasePhase.Renewing, "fence-done", LeasePhase.Renewing, "" },
        { LeasePhase.Renewing, "isolation-failed", LeasePhase.Renewing, "" },

        // Deferring: any success ends the deferral.
        { LeasePhase.Deferring, "grant", LeasePhase.Deferring, "RefuseGrant" },
        { LeasePhase.Deferring, "grant-late", LeasePhase.Deferring, "RefuseGrant" },
        { LeasePhase.Deferring, "renewed", LeasePhase.Renewing, $"DeferralEndedNote {Success}" },
        { LeasePhase.Deferring, "renewed-older", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "renewed-other", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "renewed-shorter-t", LeasePhase.Renewing, $"DeferralEndedNote {Success} TimeoutChangedNote {Success}" },
        { LeasePhase.Deferring, "renewed-longer-t", LeasePhase.Renewing, $"DeferralEndedNote {Success} TimeoutChangedNote" },
        { LeasePhase.Deferring, "relayed", LeasePhase.Renewing, $"DeferralEndedNote {Success}" },
        { LeasePhase.Deferring, "rejected", LeasePhase.Fencing, Fence },
        { LeasePhase.Deferring, "rejected-other", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "timer-early", LeasePhase.Deferring, "ArmFenceTimer" },
        { LeasePhase.Deferring, "timer", LeasePhase.Deferring, "CheckDeferral" },
        { LeasePhase.Deferring, "timer-late", LeasePhase.Deferring, "CheckDeferral" },
        { LeasePhase.Deferring, "check-early", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "check", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "check-late", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "defer-early", LeasePhase.Deferring, "ArmFenceTimerAfter NotifyDeferred" },
        { LeasePhase.Deferring, "no-defer-early", LeasePhase.Renewing, "DeferralRefusedNote ArmFenceTimer NotifyDeferred" },
        { LeasePhase.Deferring, "defer", LeasePhase.Deferring, "ArmFenceTimerAfter NotifyDeferred" },
        { LeasePhase.Deferring, "no-defer", LeasePhase.Fencing, $"DeferralRefusedNote {Fence}" },
        { LeasePhase.Deferring, "defer-other", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "fence-now", LeasePhase.Fencing, Fence },
        { LeasePhase.Deferring, "fence-done", LeasePhase.Deferring, "" },
        { LeasePhase.Deferring, "isolation-failed", LeasePhase.Deferring, "" },

        // Fencing: nothing of the old incarnation counts any more, and a fence is never cancelled.
        { LeasePhase.Fencing, "grant", LeasePhase.Fencing, "RefuseGrant" },
        { LeasePhase.Fencing, "grant-late", LeasePhase.Fencing, "RefuseGrant" },
        { LeasePhase.Fencing, "renewed", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "renewed-older", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "renewed-other", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "renewed-shorter-t", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "renewed-longer-t", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "relayed", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "rejected", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "rejected-other", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "timer-early", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "timer", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "timer-late", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "check-early", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "check", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "check-late", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "defer-early", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "no-defer-early", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "defer", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "no-defer", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "defer-other", LeasePhase.Fencing, "" },
        { LeasePhase.Fencing, "fence-now", LeasePhase.Fencing, "" },
        // Revoked while the API answered: not isolated, so no isolation action follows whatever is configured.
        { LeasePhase.Fencing, "fence-done", LeasePhase.Rejoining, "RecordFence" },
        { LeasePhase.Fencing, "isolation-failed", LeasePhase.Fencing, "" },

        // Rejoining: only the next grant counts; the old incarnation's timer and decisions are stale.
        { LeasePhase.Rejoining, "grant", LeasePhase.Renewing, $"{Success} JoinedNote" },
        { LeasePhase.Rejoining, "grant-late", LeasePhase.Rejoining, "RefuseGrant" },
        { LeasePhase.Rejoining, "renewed", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "renewed-older", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "renewed-other", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "renewed-shorter-t", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "renewed-longer-t", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "relayed", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "rejected", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "rejected-other", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "timer-early", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "timer", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "timer-late", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "check-early", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "check", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "check-late", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "defer-early", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "no-defer-early", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "defer", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "no-defer", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "defer-other", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "fence-now", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "fence-done", LeasePhase.Rejoining, "" },
        { LeasePhase.Rejoining, "isolation-failed", LeasePhase.Rejoining, "" },

        // HeldDown: only a failed isolation action lets the keeper join again.
        { LeasePhase.HeldDown, "grant", LeasePhase.HeldDown, "RefuseGrant" },
        { LeasePhase.HeldDown, "grant-late", LeasePhase.HeldDown, "RefuseGrant" },
        { LeasePhase.HeldDown, "renewed", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "renewed-older", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "renewed-other", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "renewed-shorter-t", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "renewed-longer-t", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "relayed", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "rejected", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "rejected-other", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "timer-early", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "timer", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "timer-late", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "check-early", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "check", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "check-late", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "defer-early", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "no-defer-early", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "defer", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "no-defer", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "defer-other", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "fence-now", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "fence-done", LeasePhase.HeldDown, "" },
        { LeasePhase.HeldDown, "isolation-failed", LeasePhase.Rejoining, "ReleaseHold" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Next_EveryPhaseAndEvent(LeasePhase from, string e, LeasePhase to, string actions)
    {
        var state = Phase(from);
        Assert.Equal(from, state.Phase);

        var (next, done) = LeaseMachine.Next(state, Event(e, NowIn(from)));

        Assert.Equal(to, next.Phase);
        Assert.Equal(actions, string.Join(" ", done.Select(a => a.GetType().Name)));
    }

    [Fact]
    public void Rows_CoverEveryPhaseTimesEveryEvent()
    {
        var rows = Rows().Select(r => ((LeasePhase)r[0], (string)r[1])).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(Enum.GetValues<LeasePhase>().Length * 24, rows.Count);
    }

    [Fact]
    public void SlowAcquire_NoRenewalSucceeds_FencesAtTheAcquiresSendPlusTMinusF()
    {
        // The acquire was sent at 0 and answered 2.9 s later (usable: within T − F − I = 3 s).
        var (joined, armed) = LeaseMachine.Next(LeaseState.Initial, new GrantAnswered(At(2.9), Grant(1), At(0), TimeSpan.Zero));
        Assert.Equal(At(3), Assert.IsType<ArmCheckTimer>(armed[0]).At);
        Assert.Equal(At(4), Assert.IsType<ArmFenceTimer>(armed[1]).At);

        // Asked ahead (no deferral here): the lease still holds until its fence time.
        var (_, check) = LeaseMachine.Next(joined, new CheckTimerFired(At(3)));
        Assert.Equal(At(3), Assert.IsType<CheckDeferral>(Assert.Single(check)).FiredAt);
        var (waiting, none) = LeaseMachine.Next(joined, new DeferralDecided(At(3.1), 1, At(3), false, null));
        Assert.Empty(none);

        var (_, early) = LeaseMachine.Next(waiting, new FenceTimerFired(At(4) - Tick));
        Assert.Equal(At(4), Assert.IsType<ArmFenceTimer>(Assert.Single(early)).At);
        var (_, again) = LeaseMachine.Next(waiting, new FenceTimerFired(At(4)));
        Assert.Equal(At(4), Assert.IsType<CheckDeferral>(Assert.Single(again)).FiredAt);
        var (fencing, fence) = LeaseMachine.Next(waiting, new DeferralDecided(At(4.1), 1, At(4), false, null));

        var order = Assert.IsType<StartFence>(fence[^1]).Order;
        Assert.Equal(("no successful renewal for 4000 ms (fence at T - F)", FenceCause.LeaseRanOut, 1L), (order.Reason, order.Cause, order.Incarnation));
        Assert.Equal((TimeSpan.FromSeconds(1), At(0)), (order.Budget, order.LastSuccessfulSend!.Value));
        Assert.Null(fencing.Deadline);
    }

    [Fact]
    public void ASideThatMayDefer_ExtendsTheGuardBeforeTheFenceTimePasses()
    {
        // Soak, seed 973697105, under load: the agent decided to defer 130 ms past D, and the guard had acted at
        // D + F/10. Asked at D − I, the deferral reaches the guard a whole interval before D.
        var renewing = Renewing();

        var (_, check) = LeaseMachine.Next(renewing, new CheckTimerFired(At(13)));
        Assert.IsType<CheckDeferral>(Assert.Single(check));
        var (deferring, actions) = LeaseMachine.Next(renewing, new DeferralDecided(At(13.05), 7, At(13), true, "this side survives"));

        Assert.Equal(LeasePhase.Deferring, deferring.Phase);
        var until = Assert.IsType<NotifyDeferred>(actions[^1]).Until;
        Assert.Equal(At(15), until);
        Assert.True(until > renewing.Deadline!.Value.FenceAt);
        Assert.DoesNotContain(actions, a => a is StartFence);
    }

    [Fact]
    public void ADeferralRefusedAhead_EndsIt_AndGivesTheFenceTimerAndTheGuardTheFenceTimeBack()
    {
        var deferring = Apply(Renewing(), new DeferralDecided(At(13.05), 7, At(13), true, "this side survives"));

        var (state, actions) = LeaseMachine.Next(deferring, new DeferralDecided(At(13.55), 7, At(13.5), false, "no side survives"));

        Assert.Equal((LeasePhase.Renewing, (Instant?)null), (state.Phase, state.DeferringSince));
        Assert.Equal(At(14), Assert.IsType<ArmFenceTimer>(actions[1]).At);
        Assert.Equal(At(14), Assert.IsType<NotifyDeferred>(actions[2]).Until);
        Assert.DoesNotContain(actions, a => a is StartFence);
    }

    [Theory]
    [InlineData(3000, true)]
    [InlineData(3001, false)]
    public void Grant_IsUsedOnlyWithinTMinusFMinusIOfItsSend(int answeredAfterMs, bool used)
    {
        var (state, actions) = LeaseMachine.Next(LeaseState.Initial, new GrantAnswered(At(0) + TimeSpan.FromMilliseconds(answeredAfterMs), Grant(1), At(0), TimeSpan.Zero));

        Assert.Equal(used ? LeasePhase.Renewing : LeasePhase.Joining, state.Phase);
        Assert.Equal(used ? nameof(ArmCheckTimer) : nameof(RefuseGrant), actions[0].GetType().Name);
    }

    [Fact]
    public void StaleTimerAndDecision_AfterARejoin_NeitherFenceTheNewIncarnation()
    {
        // Incarnation 7 fenced; 8 joined at 20 s. 7's timer (set for 14 s) and its deferral decision arrive late.
        var rejoined = Apply(Phase(LeasePhase.Rejoining), new GrantAnswered(At(20.1), Grant(8), At(20), TimeSpan.Zero));

        var (afterTimer, rearm) = LeaseMachine.Next(rejoined, new FenceTimerFired(At(20.2)));
        Assert.Equal(At(24), Assert.IsType<ArmFenceTimer>(Assert.Single(rearm)).At);
        var (afterDecision, none) = LeaseMachine.Next(afterTimer, new DeferralDecided(At(20.3), 7, At(14), false, "no side survives"));
        Assert.Empty(none);
        Assert.Equal((LeasePhase.Renewing, 8L, At(24)), (afterDecision.Phase, afterDecision.Deadline!.Value.Incarnation, afterDecision.Deadline.Value.FenceAt));
    }

    [Fact]
    public void ShorterT_GovernsAtOnce_LongerT_OnlyFromASendThatStatedIt()
    {
        var renewing = Renewing();

        var (shorter, armed) = LeaseMachine.Next(renewing, new RenewalAnswered(At(11.1), 7, At(11), T, TimeSpan.FromSeconds(4), 1, null, null, TimeSpan.Zero));
        // T = 4 s: F = 0.8 s, so the fence moves to the send + 3.2 s at once.
        Assert.Equal(At(14.2), Assert.IsType<ArmFenceTimer>(armed[^2]).At);
        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)), (shorter.Timing!.Timeout, shorter.Stated!.Value));

        var longer = Apply(renewing, new RenewalAnswered(At(11.1), 7, At(11), T, TimeSpan.FromSeconds(8), 1, null, null, TimeSpan.Zero));
        Assert.Equal((T, TimeSpan.FromSeconds(8)), (longer.Timing!.Timeout, longer.Stated!.Value));
        var stated = Apply(longer, new RenewalAnswered(At(12.1), 7, At(12), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8), 1, null, null, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(8), stated.Timing!.Timeout);
        Assert.Equal(At(12) + stated.Timing.ActWindow, stated.Deadline!.Value.FenceAt);
    }

    [Fact]
    public void OlderSuccess_MovesNothing()
    {
        var renewed = Apply(Renewing(), new RenewalAnswered(At(11.1), 7, At(11), T, T, 1, null, null, TimeSpan.Zero));

        var (late, none) = LeaseMachine.Next(renewed, new RelayAcknowledged(At(11.5), 7, At(10.5), T, TimeSpan.Zero));

        Assert.Empty(none);
        Assert.Equal(At(11), late.LastSuccessfulSend);
    }

    [Fact]
    public void Deferral_RecheckedEveryInterval_ThenRefused_FencesWithTheAgeAtTheFiring()
    {
        var deferring = Phase(LeasePhase.Deferring);
        Assert.Equal(At(14), deferring.DeferringSince);

        var (_, again) = LeaseMachine.Next(deferring, new DeferralDecided(At(15.1), 7, At(15), true, "this side survives"));
        Assert.Equal(I, Assert.IsType<ArmFenceTimerAfter>(again[0]).Delay);
        Assert.Equal(At(17), Assert.IsType<NotifyDeferred>(again[1]).Until);

        var (fencing, fence) = LeaseMachine.Next(deferring, new DeferralDecided(At(16.1), 7, At(16), false, "no side survives"));
        Assert.Equal("no side survives", Assert.IsType<DeferralRefusedNote>(fence[0]).Reason);
        Assert.Equal("no successful renewal for 6000 ms (fence at T - F); no side survives", Assert.IsType<StartFence>(fence[^1]).Order.Reason);
        Assert.Null(fencing.DeferringSince);
    }

    [Fact]
    public void RenewedWhileTheDeferralCheckRan_NoFence()
    {
        var renewed = Apply(Renewing(), new RenewalAnswered(At(14.1), 7, At(13.95), T, T, 1, null, null, TimeSpan.Zero));

        var (state, none) = LeaseMachine.Next(renewed, new DeferralDecided(At(14.2), 7, At(14), false, "no side survives"));

        Assert.Empty(none);
        Assert.Equal(LeasePhase.Renewing, state.Phase);
    }

    [Theory]
    [InlineData(null, null, LeasePhase.Rejoining, null)]
    [InlineData(IsolationAction.StopGroups, null, LeasePhase.Rejoining, IsolationAction.StopGroups)]
    [InlineData(IsolationAction.Shutdown, null, LeasePhase.HeldDown, IsolationAction.Shutdown)]
    [InlineData(IsolationAction.Shutdown, IsolationAction.Reboot, LeasePhase.HeldDown, IsolationAction.Reboot)]
    [InlineData(IsolationAction.StopClusterService, IsolationAction.StopGroups, LeasePhase.Rejoining, IsolationAction.StopGroups)]
    public void LeaseRanOut_TheIsolationActionTheApiStated_ElseTheConfiguredOne_Follows(
        IsolationAction? configured, IsolationAction? stated, LeasePhase after, IsolationAction? recorded)
    {
        var fencing = Apply(Renewing(), new RenewalAnswered(At(10.9), 7, At(9.9), T, T, 1, stated, null, TimeSpan.Zero),
            new DeferralDecided(At(14.1), 7, At(14), false, "no side survives"));

        var (state, actions) = LeaseMachine.Next(fencing, new FenceCompleted(At(14.6), configured));

        Assert.Equal(after, state.Phase);
        var record = Assert.IsType<RecordFence>(actions[0]);
        Assert.Equal((recorded ?? IsolationAction.StopGroups, TimeSpan.FromSeconds(4.6), false), (record.IsolationAction ?? IsolationAction.StopGroups, record.LeaseAge!.Value, record.Late));
        Assert.Equal(after == LeasePhase.HeldDown, actions.OfType<RunIsolationAction>().Any());
        Assert.Equal(after == LeasePhase.HeldDown ? recorded : null, state.HeldDownBy);
    }

    [Fact]
    public void FenceCompletedPastT_IsRecordedLate()
    {
        var fencing = Phase(LeasePhase.Fencing);

        var (_, actions) = LeaseMachine.Next(fencing, new FenceCompleted(L + T + Tick, null));

        Assert.True(Assert.IsType<RecordFence>(Assert.Single(actions)).Late);
    }

    [Fact]
    public void VoteToken_FromTheGrant_CountsUntil3IAfterItArrived()
    {
        var joined = Apply(LeaseState.Initial, new GrantAnswered(At(10.2), Grant(7, vote: 42), L, TimeSpan.Zero));

        Assert.Equal(42, joined.VoteToken);
        Assert.False(joined.Countable(At(10.2) + TimeSpan.FromSeconds(3) - Tick));
        Assert.True(joined.Countable(At(10.2) + TimeSpan.FromSeconds(3)));
        Assert.True(LeaseState.Initial.Countable(At(0)));
    }

    [Fact]
    public void Queries_FollowThePhase()
    {
        var renewing = Renewing();
        Assert.True(renewing.IsFresh(L + TimeSpan.FromSeconds(4) - Tick));
        Assert.False(renewing.IsFresh(L + TimeSpan.FromSeconds(4)));
        Assert.True(renewing.CanStartStep(L + TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(30)));
        Assert.False(renewing.CanStartStep(L + TimeSpan.FromSeconds(3) + Tick, TimeSpan.FromMinutes(30)));
        Assert.Equal(7, renewing.CurrentGrant?.Incarnation);

        var fencing = Phase(LeasePhase.Fencing);
        Assert.False(fencing.IsFresh(L));
        Assert.False(fencing.CanStartStep(L, TimeSpan.Zero));
        Assert.Null(fencing.CurrentGrant);
        Assert.Null(fencing.Deadline);
        Assert.Equal(7, fencing.Grant?.Incarnation);
    }
}
