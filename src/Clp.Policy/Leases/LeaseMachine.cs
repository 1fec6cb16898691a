using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>The agent's lease keeper as pure transitions (DESIGN "Leases and safety" rules 1-3):
/// <c>Next(state, event) -> (state, actions)</c>. The shell (<c>Clp.Agent.Leases.LeaseKeeper</c>) owns the clock,
/// the timer, the API calls and the fence, feeds every outcome in as an event and carries out the actions in order.</summary>
/// <remarks>
/// <para>The rules the transitions keep: a new incarnation is fenced only on its own lease age (a grant is used only
/// while its first renewal can still end before its fence time, T − F − I after the acquire's send; a timer or a
/// decision about another incarnation changes nothing); the fence timer is armed at the last successful send + T − F
/// after every success and is never left unarmed while renewing (a timer that fires early arms again); a success
/// older than the newest one moves nothing; a LONGER T governs only from the send of a renewal that stated it, a
/// SHORTER one at once; a fence is never cancelled, and an isolation action other than StopGroups follows only a
/// lease that ran out.</para>
/// <para>Phases: Joining → Renewing ⇄ Deferring → Fencing → Rejoining (→ Renewing with the next grant) or HeldDown
/// (→ Rejoining if the isolation action fails).</para>
/// </remarks>
public static class LeaseMachine
{
    public static (LeaseState State, IReadOnlyList<LeaseAction> Actions) Next(LeaseState state, LeaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        return e switch
        {
            GrantAnswered g => OnGrant(state, g),
            RenewalAnswered r => OnRenewal(state, r),
            RelayAcknowledged r => Success(state, r.Incarnation, r.Sent, r.Stated, r.LongestStopPath, r.Now),
            RenewalRejected r => StartFence(state, $"lease of incarnation {r.Incarnation} revoked: {r.Message}", FenceCause.Revoked, r.Incarnation),
            FenceTimerFired f => OnTimer(state, f),
            CheckTimerFired c => OnCheckTimer(state, c),
            DeferralDecided d => OnDeferral(state, d),
            FenceRequested f => StartFence(state, f.Reason, f.Cause, f.Incarnation),
            FenceCompleted c => OnFenceCompleted(state, c),
            IsolationActionFailed => state.Phase == LeasePhase.HeldDown
                ? (state with { Phase = LeasePhase.Rejoining, HeldDownBy = null }, [new ReleaseHold()])
                : (state, []),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not a lease event"),
        };
    }

    private static (LeaseState, IReadOnlyList<LeaseAction>) OnGrant(LeaseState state, GrantAnswered g)
    {
        if (state.Phase is not (LeasePhase.Joining or LeasePhase.Rejoining))
        {
            // The shell joins only when no lease is held and no fence or hold is in the way.
            return (state, [new RefuseGrant($"a grant cannot be used while {state.Phase}")]);
        }

        var grant = g.Grant;
        var age = LeaseTiming.LeaseAge(g.Now, g.Sent);
        var timing = LeaseTiming.Create(grant.Interval, grant.Timeout, g.LongestStopPath);
        if (!timing.CanUseGrant(age))
        {
            return (state, [new RefuseGrant($"the grant arrived {age.TotalMilliseconds:F0} ms after the acquire was sent, past T - F - I " +
                                             $"({timing.GrantUsableFor.TotalMilliseconds:F0} ms): too late for its first renewal to end before its fence time")]);
        }

        var joined = state with
        {
            Phase = LeasePhase.Renewing,
            Grant = grant,
            Fence = null,
            LastSuccessfulSend = null,
            VoteToken = grant.VoteToken,
            VoteReceivedAt = grant.VoteToken is null ? null : g.Now,
            DeferringSince = null,
            Stated = grant.Timeout,
            Ratio = Math.Max(1, grant.TimeoutRatio),
            StatedIsolationAction = grant.IsolationAction ?? state.StatedIsolationAction,
        };
        var (renewed, actions) = Success(joined, grant.Incarnation, g.Sent, grant.Timeout, g.LongestStopPath, g.Now);
        return (renewed, [.. actions, new JoinedNote(grant.Incarnation, grant.Interval, grant.Timeout)]);
    }

    private static (LeaseState, IReadOnlyList<LeaseAction>) OnRenewal(LeaseState state, RenewalAnswered r)
    {
        var s = r.IsolationAction is { } action ? state with { StatedIsolationAction = action } : state;
        if (r.VoteToken is { } token && s.Grant?.Incarnation == r.Incarnation)
        {
            s = s with { VoteToken = token, VoteReceivedAt = r.Now };
        }

        var (succeeded, first) = Success(s, r.Incarnation, r.Sent, r.Stated, r.LongestStopPath, r.Now);
        var (learned, second) = Learn(succeeded, r);
        return (learned, [.. first, .. second]);
    }

    /// <summary>A join, renewal or relay sent at <paramref name="sent"/>, stating <paramref name="stated"/>, succeeded.</summary>
    private static (LeaseState, IReadOnlyList<LeaseAction>) Success(LeaseState state, long incarnation, Instant sent, TimeSpan stated, TimeSpan longestStopPath, Instant now)
    {
        if (!state.IsCurrent(incarnation) || state.Grant is not { } grant)
        {
            return (state, []);
        }

        if (state.LastSuccessfulSend is { } last && last >= sent)
        {
            // An older send (a late relay acknowledgement): it moves nothing; F follows the stop path.
            return (state with { Timing = LeaseTiming.Create(grant.Interval, state.Timing?.Timeout ?? stated, longestStopPath) }, []);
        }

        // The T this send stated, or the shorter one learned since (which governs at once, see Learn).
        var timeout = state.Stated is { } learned && learned < stated ? learned : stated;
        var timing = LeaseTiming.Create(grant.Interval, timeout, longestStopPath);
        List<LeaseAction> actions = [];
        if (state.DeferringSince is { } since)
        {
            actions.Add(new DeferralEndedNote(now - since));
        }

        actions.Add(new ArmCheckTimer(CheckAt(timing, sent)));
        actions.Add(new ArmFenceTimer(timing.FenceAt(sent)));
        actions.Add(new NotifyRenewed(sent));
        return (state with { Phase = LeasePhase.Renewing, Timing = timing, LastSuccessfulSend = sent, DeferringSince = null }, actions);
    }

    /// <summary>A renewal answer stated the cluster's T and ratio now; the next renewal states them. A shorter T
    /// governs the fence at once (the API may receive the renewal that states it even if its answer never comes back);
    /// a longer one waits for a renewal that stated it.</summary>
    private static (LeaseState, IReadOnlyList<LeaseAction>) Learn(LeaseState state, RenewalAnswered r)
    {
        if (!state.IsCurrent(r.Incarnation) || state.Grant is not { } grant || r.Timeout is not { } t || t <= TimeSpan.Zero)
        {
            return (state, []);
        }

        var ratio = Math.Max(1, r.TimeoutRatio ?? state.Ratio);
        List<LeaseAction> actions = [];
        if ((state.Stated, state.Ratio) != (t, ratio))
        {
            actions.Add(new TimeoutChangedNote(state.Stated, t, state.Ratio, ratio));
        }

        var s = state with { Stated = t, Ratio = ratio };
        if (s.Timing is { } timing && t < timing.Timeout && s.LastSuccessfulSend is { } sent)
        {
            var shorter = LeaseTiming.Create(grant.Interval, t, r.LongestStopPath);
            s = s with { Timing = shorter };
            actions.Add(new ArmCheckTimer(CheckAt(shorter, sent)));
            actions.Add(new ArmFenceTimer(shorter.FenceAt(sent)));
            actions.Add(new NotifyRenewed(sent));
        }

        return (s, actions);
    }

    /// <summary>When the deferral is first asked for a send: one interval before its fence time (the deferral lead).</summary>
    /// <remarks>Why the lead: a deferral must reach the fence guard before the guard acts, at D + F/10 (D = send +
    /// T − F). Asked only at D, the agent had F/10 for its timer's latency, the deferral check and the guard link; on a
    /// loaded server (the soak, seed 973697105, an API restart that took 17 s under load) it missed that, and the guard
    /// released a server whose side had every right to defer. Asked at D − I as well (renewals have failed for T − F − I
    /// by then), a side that may defer extends the guard to D + I before D passes; one that may not is asked again at D
    /// by the fence timer, and fences then. The guard is never extended past what a deferral started at D gives
    /// (D + 2 I), and only while this side's deferral check passes, which the controller's hold already covers
    /// (docs/partition-safety.md, section 4).</remarks>
    public static Instant CheckAt(LeaseTiming timing, Instant sent) => timing.FenceAt(sent) - timing.Interval;

    /// <summary>The lease age from which the deferral may be asked: T − F − I.</summary>
    private static TimeSpan CheckAge(LeaseTiming timing) => timing.ActWindow - timing.Interval;

    /// <summary>The deferral check ahead of the fence time: asked only while the lease still holds and no deferral runs
    /// (once the fence time passed, or while deferring, the fence timer asks).</summary>
    private static (LeaseState, IReadOnlyList<LeaseAction>) OnCheckTimer(LeaseState state, CheckTimerFired c)
    {
        if (state.Phase != LeasePhase.Renewing || state.Grant is not { } grant || state.LastSuccessfulSend is not { } last || state.Timing is not { } timing)
        {
            return (state, []);
        }

        var age = LeaseTiming.LeaseAge(c.Now, last);
        if (age < CheckAge(timing))
        {
            // Not due (renewed since, or fired a fraction early): arm again for the newest send.
            return (state, [new ArmCheckTimer(CheckAt(timing, last))]);
        }

        return age < timing.ActWindow ? (state, [new CheckDeferral(grant.Incarnation, c.Now)]) : (state, []);
    }

    /// <summary>The fence timer acts only for the current incarnation, only on its own lease age: before its first
    /// success (no send to measure from), or after a fence, a firing is stale and changes nothing.</summary>
    private static (LeaseState, IReadOnlyList<LeaseAction>) OnTimer(LeaseState state, FenceTimerFired f)
    {
        if (state.Fenced || state.Grant is not { } grant || state.LastSuccessfulSend is not { } last || state.Timing is not { } timing)
        {
            return (state, []);
        }

        if (LeaseTiming.LeaseAge(f.Now, last) < timing.ActWindow)
        {
            // Not due: a renewal succeeded after the timer was set, or it fired a fraction early (timers count whole
            // milliseconds). Arm again: returning without a timer would leave the agent with no fence at all.
            return (state, [new ArmFenceTimer(timing.FenceAt(last))]);
        }

        return (state, [new CheckDeferral(grant.Incarnation, f.Now)]);
    }

    private static (LeaseState, IReadOnlyList<LeaseAction>) OnDeferral(LeaseState state, DeferralDecided d)
    {
        if (!state.IsCurrent(d.Incarnation) || state.LastSuccessfulSend is not { } last || state.Timing is not { } timing)
        {
            return (state, []);
        }

        var age = LeaseTiming.LeaseAge(d.FiredAt, last);
        if (d.Defer)
        {
            if (age < CheckAge(timing))
            {
                return (state, []);
            }

            List<LeaseAction> deferring = [new ArmFenceTimerAfter(timing.Interval)];
            if (state.DeferringSince is null)
            {
                deferring.Add(new DeferringNote(age, d.Reason ?? ""));
            }

            deferring.Add(new NotifyDeferred(d.FiredAt + timing.Interval + timing.Interval));
            return (state with { Phase = LeasePhase.Deferring, DeferringSince = state.DeferringSince ?? d.FiredAt }, deferring);
        }

        var ageNow = LeaseTiming.LeaseAge(d.Now, last);
        if (ageNow < CheckAge(timing))
        {
            // A renewal succeeded while the deferral check ran: the lease is fresh again (its timers are armed).
            return (state, []);
        }

        List<LeaseAction> notes = state.DeferringSince is null ? [] : [new DeferralRefusedNote(d.Reason ?? "no deferral configured")];
        if (ageNow < timing.ActWindow)
        {
            // Asked ahead of the fence time and refused: the lease holds until then, where the fence timer asks again.
            // A deferral this refusal ends gives the fence timer and the guard the fence time back.
            var fenceAt = timing.FenceAt(last);
            return state.DeferringSince is null
                ? (state, [])
                : (state with { Phase = LeasePhase.Renewing, DeferringSince = null }, [.. notes, new ArmFenceTimer(fenceAt), new NotifyDeferred(fenceAt)]);
        }
        var (fencing, actions) = StartFence(
            state with { DeferringSince = null },
            $"no successful renewal for {age.TotalMilliseconds:F0} ms (fence at T - F){(d.Reason is null ? "" : "; " + d.Reason)}",
            FenceCause.LeaseRanOut,
            d.Incarnation);
        return (fencing, [.. notes, .. actions]);
    }

    /// <param name="incarnation">Only for this incarnation; null for whichever is current (even none yet).</param>
    private static (LeaseState, IReadOnlyList<LeaseAction>) StartFence(LeaseState state, string reason, FenceCause cause, long? incarnation)
    {
        if (state.Fenced || (incarnation is { } wanted && state.Grant?.Incarnation != wanted))
        {
            return (state, []);
        }

        var order = new FenceOrder(reason, cause, state.Grant?.Incarnation ?? 0, state.Timing?.FenceBudget ?? TimeSpan.Zero,
            state.LastSuccessfulSend, state.Timing?.Timeout ?? TimeSpan.Zero);
        return (state with { Phase = LeasePhase.Fencing, Fence = order }, [new DisarmFenceTimer(), new StopRenewals(), new StartFence(order)]);
    }

    /// <summary>The isolation action is decided only once everything was released (release by age T stays the
    /// guarantee); the hold is in place before the keeper may join again.</summary>
    private static (LeaseState, IReadOnlyList<LeaseAction>) OnFenceCompleted(LeaseState state, FenceCompleted c)
    {
        if (state.Phase != LeasePhase.Fencing || state.Fence is not { } order)
        {
            return (state, []);
        }

        var action = IsolationDecision.After(order.Cause, state.StatedIsolationAction ?? c.ConfiguredIsolationAction ?? IsolationAction.StopGroups);
        TimeSpan? age = order.LastSuccessfulSend is { } sent ? LeaseTiming.LeaseAge(c.Now, sent) : null;
        var record = new RecordFence(order, age, age is { } a && a > order.Timeout, action);
        return IsolationDecision.Rejoins(action)
            ? (state with { Phase = LeasePhase.Rejoining, Fence = null }, [record])
            : (state with { Phase = LeasePhase.HeldDown, HeldDownBy = action, Fence = null }, [record, new RunIsolationAction(action!.Value, order, age)]);
    }
}
