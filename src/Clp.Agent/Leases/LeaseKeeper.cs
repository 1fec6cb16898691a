using Clp.Agent.Fencing;
using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Agent.Leases;

/// <summary>Keeps this server's node lease (DESIGN "Leases and safety" rules 1-3): joins with a new
/// incarnation, renews every interval with a timeout of one interval and no retry, and after every
/// successful renewal re-arms a one-shot fence timer at send + T − F. The timer does not depend on the
/// renewal call, the reconcile queue or any other loop: when it fires, the agent fences, then joins again
/// with a new incarnation. A 409 on a renewal (revoked or replaced) fences at once. After a fence whose lease ran
/// out (isolation: no deferral held) the cluster's isolation action follows (<see cref="IsolationDecision"/>);
/// every action but StopGroups holds the keeper down: it does not join again.</summary>
/// <remarks>The lease age is measured from when the agent SENT the last renewal that succeeded, on this
/// process's monotonic clock: a slow answer makes the lease look older, never younger (it errs safe).
/// Failure mode operators must know: if the process is frozen (SIGSTOP, a long pause) the timer cannot
/// fire either; the fence guard process (clp-fence-guard, armed by the clp-agent host from <see cref="Renewed"/>)
/// covers that. An isolation action that fails (e.g. a shutdown refused to a non-root agent) is logged Critical
/// and the keeper joins again as after StopGroups: the fence already released everything, so a server that
/// stays up is better used than idle.
/// <para>A change of T (spec edit or timeout ratio) arrives in a renewal answer. The agent states the new T and
/// ratio (<c>timeoutRatioAck</c>) from its next renewal on, and never fences later than a T it stated: a
/// LONGER T governs the fence only from the send of a renewal that stated it and succeeded; a SHORTER one
/// governs it at once (the fence timer moves earlier before any renewal states it), so whether or not the
/// API receives that renewal, and whether or not its answer comes back, the agent fences by the shorter T.
/// The controller, for its part, judges with the larger of the cluster's T and the T every live agent last
/// stated (DESIGN rule 8).</para></remarks>
public sealed partial class LeaseKeeper : IAsyncDisposable
{
    private readonly ILeaseEndpoint _endpoint;
    private readonly IFence _fence;
    private readonly LeaseKeeperOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaseKeeper> _logger;
    private readonly ITimer _fenceTimer;
    private readonly SemaphoreSlim _fencing = new(1, 1);
    private readonly object _gate = new();
    private JoinGrant? _grant;
    private LeaseTiming? _timing;
    private Instant? _lastSuccessfulSend;
    private long _lastIncarnation;
    private bool _fenced;
    private TaskCompletionSource _fenceDone = Completed();
    private TaskCompletionSource _heldDown = Completed();
    private IsolationAction? _heldDownBy;
    private IsolationAction? _statedIsolationAction;
    private FenceRecord? _lastFence;
    private Instant? _deferringSince;
    private long? _voteToken;
    private Instant? _voteReceivedAt;
    private TimeSpan? _stated;
    private int _ratio = 1;
    private CancellationTokenSource? _renewals;

    public LeaseKeeper(ILeaseEndpoint endpoint, IFence fence, LeaseKeeperOptions options, TimeProvider time, ILogger<LeaseKeeper> logger)
    {
        _endpoint = endpoint;
        _fence = fence;
        _options = options;
        _time = time;
        _logger = logger;
        _fenceTimer = time.CreateTimer(_ => _ = FenceFromTimerAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised after each successful join or renewal with its send instant (tests observe with it; the
    /// clp-agent host tells its fence guard the new deadline, <see cref="Timing"/>'s <c>FenceAt</c> of it).</summary>
    public event Action<Instant>? Renewed;

    /// <summary>The lease timing (T, F) of the last success, or null before the first one.</summary>
    public LeaseTiming? Timing
    {
        get
        {
            lock (_gate)
            {
                return _timing;
            }
        }
    }

    /// <summary>The current incarnation's fence deadline, read at once: its incarnation, the fence time of its last
    /// successful send, and its timing; null when fenced or before its first success. The clp-agent host arms its fence
    /// guard from this, not from a <see cref="Renewed"/> argument, so an event that arrives after a rejoin can never
    /// give the new incarnation the old one's deadline.</summary>
    public (long Incarnation, Instant FenceAt, LeaseTiming Timing)? Deadline
    {
        get
        {
            lock (_gate)
            {
                return !_fenced && _grant is { } grant && _timing is { } timing && _lastSuccessfulSend is { } sent
                    ? (grant.Incarnation, timing.FenceAt(sent), timing)
                    : null;
            }
        }
    }

    /// <summary>The timeout ratio this agent applied (the API's last answer; 1 before any): it stretches the
    /// monitors' probe timeouts, and it is acknowledged in every renewal (<c>timeoutRatioAck</c>).</summary>
    public int TimeoutRatio
    {
        get
        {
            lock (_gate)
            {
                return _ratio;
            }
        }
    }

    /// <summary>The T (ratio applied) this agent states in its next renewal and renewal token: the API's last
    /// answer; null before the first join.</summary>
    public TimeSpan? StatedTimeout
    {
        get
        {
            lock (_gate)
            {
                return _stated;
            }
        }
    }

    /// <summary>Raised after each renewal carrying relayed tokens, with what the API did with them.</summary>
    public event Action<IReadOnlyList<Clp.Core.Model.RelayedRenewalResult>>? RelayResults;

    /// <summary>Raised each time the fence is deferred, with the instant until which the deferral holds
    /// unless it is confirmed again (the next check, one interval later, plus one interval).</summary>
    public event Action<Instant>? Deferred;

    /// <summary>Whether the lease is fresh: joined, not fenced, and renewed (directly or relayed) within T − F.</summary>
    public bool IsFresh
    {
        get
        {
            lock (_gate)
            {
                return !_fenced && _timing is not null && _lastSuccessfulSend is { } sent && LeaseTiming.LeaseAge(Now(), sent) < _timing.ActWindow;
            }
        }
    }

    /// <summary>Whether a deferring side may count this server (docs/partition-safety.md, section 6): the
    /// API counts its vote until its newest vote token's issue + 3 I, and it received that token no earlier
    /// than its issue, so once 3 I have passed since it received its newest token, the API counts it no more.</summary>
    public bool Countable
    {
        get
        {
            lock (_gate)
            {
                var interval = _timing?.Interval ?? _grant?.Interval;
                return _voteReceivedAt is not { } received || interval is not { } i || Now() - received >= i * LeaseTiming.VoteValidityIntervals;
            }
        }
    }

    /// <summary>Since when the fence has been deferred, or null (on this process's monotonic clock).</summary>
    public Instant? DeferringSince
    {
        get
        {
            lock (_gate)
            {
                return _deferringSince;
            }
        }
    }

    /// <summary>A peer relayed a renewal token this incarnation sent at <paramref name="sent"/>, stating
    /// <paramref name="statedTimeout"/>, and the API took it: a successful renewal sent then (the lease age
    /// still counts from the send, so it errs safe).</summary>
    public void OnRelayedRenewal(long incarnation, Instant sent, TimeSpan statedTimeout)
    {
        JoinGrant? grant;
        lock (_gate)
        {
            grant = _grant;
        }

        if (grant is not null && grant.Incarnation == incarnation)
        {
            OnSuccess(grant, sent, statedTimeout);
        }
    }

    /// <summary>Raised after each fence completed, with its record (the agent reports it and writes the event).</summary>
    public event Action<FenceRecord>? Fenced;

    /// <summary>The last fence this keeper completed (rule 3: its completion age is recorded), or null.</summary>
    public FenceRecord? LastFence
    {
        get
        {
            lock (_gate)
            {
                return _lastFence;
            }
        }
    }

    /// <summary>The isolation action that keeps this keeper from joining again (StopClusterService, Shutdown,
    /// Reboot), or null: the clp-agent host exits with its own code when it is StopClusterService.</summary>
    public IsolationAction? HeldDownBy
    {
        get
        {
            lock (_gate)
            {
                return _heldDownBy;
            }
        }
    }

    /// <summary>The current join, or null before the first one and while rejoining.</summary>
    public JoinGrant? Grant
    {
        get
        {
            lock (_gate)
            {
                return _fenced ? null : _grant;
            }
        }
    }

    /// <summary>Whether a step of <paramref name="stepTimeout"/> may start now (rule 4): lease age + the
    /// step's timeout must not pass T − F.</summary>
    public bool CanStartStep(TimeSpan stepTimeout)
    {
        lock (_gate)
        {
            return !_fenced && _timing is not null && _timing.CanStartStep(Now(), _lastSuccessfulSend, stepTimeout);
        }
    }

    /// <summary>Joins and renews until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A fence under way (from the timer) must release everything before a new incarnation may act, and
            // an isolation action that takes the service or the machine down holds the keeper down for good.
            Task fence;
            lock (_gate)
            {
                fence = _fenceDone.Task;
            }

            await fence.WaitAsync(cancellationToken);
            Task heldDown;
            lock (_gate)
            {
                heldDown = _heldDown.Task;
            }

            await heldDown.WaitAsync(cancellationToken);
            var (grant, sent, renewals) = await JoinAsync(cancellationToken);
            try
            {
                await RenewUntilFencedAsync(grant, sent, renewals.Token, cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_renewals, renewals))
                    {
                        _renewals = null;
                    }
                }

                renewals.Dispose();
            }
        }
    }

    /// <summary>Joins with a new incarnation; returns the grant and when its acquire was sent (the lease's age
    /// counts from there). A grant is worth having only while its first renewal can still succeed before its fence
    /// time: one that arrives later than T − F − I after its send is refused and the join tried again, and an attempt
    /// waits for its answer no longer than that.</summary>
    /// <remarks>Why: an attempt made while the network is cut stays in TCP's connect retries (the first SYN
    /// retransmit waits 1 s, the next ones longer) and may be answered long after the heal; arming the fence and
    /// the fence guard from such a send would fence the new incarnation at once, or even past T, for nothing ran
    /// under it. A refused grant leaves nothing behind: its incarnation never acted, and the next, higher one
    /// takes the lease over. The bound is at least I (F ≤ T − 2 I), the renewals' own timeout.</remarks>
    private async Task<(JoinGrant Grant, Instant Sent, CancellationTokenSource Renewals)> JoinAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.JoinBackoff;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var incarnation = NextIncarnation();
            var wait = JoinTimeout();
            var sent = Now();
            try
            {
                using var timeout = new CancellationTokenSource(wait, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

                // The API records the larger of this and the T it grants: the agent fences by the grant's T.
                var grant = await _endpoint.AcquireAsync(incarnation, _stated ?? _timing?.Timeout ?? TimeSpan.Zero, linked.Token);
                var age = LeaseTiming.LeaseAge(Now(), sent);
                var timing = LeaseTiming.Create(grant.Interval, grant.Timeout, _options.LongestStopPath());
                if (!timing.CanUseGrant(age))
                {
                    throw new TimeoutException($"the grant arrived {age.TotalMilliseconds:F0} ms after the acquire was sent, past T - F - I " +
                                               $"({timing.GrantUsableFor.TotalMilliseconds:F0} ms): too late for its first renewal to end before its fence time");
                }

                // Cancelled when this incarnation fences: its renewal loop ends at once, not at its next due time.
                var renewals = new CancellationTokenSource();
                lock (_gate)
                {
                    _grant = grant;
                    _fenced = false;
                    _lastSuccessfulSend = null;
                    _voteToken = null;
                    _voteReceivedAt = null;
                    _deferringSince = null;
                    _stated = grant.Timeout;
                    _ratio = Math.Max(1, grant.TimeoutRatio);
                    _statedIsolationAction = grant.IsolationAction ?? _statedIsolationAction;
                    _renewals = renewals;
                }

                OnVoteToken(grant, grant.VoteToken);
                OnSuccess(grant, sent, grant.Timeout);
                LogJoined(grant.Incarnation, grant.Interval.TotalMilliseconds, grant.Timeout.TotalMilliseconds);
                return (grant, sent, renewals);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var why = e is OperationCanceledException ? $"no answer within {wait.TotalMilliseconds:F0} ms (T - F - I)" : e.Message;
                LogJoinFailed(incarnation, why, backoff.TotalMilliseconds);
                await Task.Delay(Jitter(backoff), _time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxJoinBackoff.Ticks));
            }
        }
    }

    /// <summary>How long a join attempt waits for its answer: as long as the answer could be used (T − F − I of the
    /// last grant, else of the cluster as the agent saw it), else <see cref="LeaseKeeperOptions.FirstJoinTimeout"/>.</summary>
    private TimeSpan JoinTimeout()
    {
        (TimeSpan Interval, TimeSpan Timeout)? known;
        lock (_gate)
        {
            known = _grant is { } grant ? (grant.Interval, _stated ?? grant.Timeout) : null;
        }

        try
        {
            known ??= _options.Heartbeat();
            if (known is { } k && k.Interval > TimeSpan.Zero && k.Timeout > k.Interval)
            {
                var timing = LeaseTiming.Create(k.Interval, k.Timeout, _options.LongestStopPath());
                return timing.GrantUsableFor > k.Interval ? timing.GrantUsableFor : k.Interval;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException)
        {
            // The view is not readable yet, or its timing is not one a lease can have: the default applies.
        }

        return _options.FirstJoinTimeout;
    }

    /// <summary>Renews every interval, each renewal due one interval after the previous one was SENT (the first one
    /// after the acquire's send, so a slow join is followed by a renewal at once, not a whole interval after its
    /// answer), with a timeout of one interval and no retry; never two in flight.</summary>
    /// <param name="fenced">Cancelled when this incarnation fences.</param>
    private async Task RenewUntilFencedAsync(JoinGrant grant, Instant joinSent, CancellationToken fenced, CancellationToken cancellationToken)
    {
        var previous = joinSent;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, fenced);
        while (true)
        {
            var wait = previous + grant.Interval - Now();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await DueAsync(wait, ended.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (IsFenced())
            {
                return;
            }

            var sent = previous = Now();
            using var timeout = new CancellationTokenSource(grant.Interval, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, timeout.Token);
            try
            {
                var relayed = _options.RelaySource?.Invoke() ?? [];
                long? token;
                TimeSpan stated;
                int ratio;
                lock (_gate)
                {
                    token = _voteToken;
                    stated = _stated ?? grant.Timeout;
                    ratio = _ratio;
                }

                var answer = await _endpoint.RenewAsync(grant.Incarnation, stated, ratio, token, relayed, linked.Token);
                if (answer.IsolationAction is { } statedAction)
                {
                    lock (_gate)
                    {
                        _statedIsolationAction = statedAction;
                    }
                }

                OnVoteToken(grant, answer.VoteToken);
                OnSuccess(grant, sent, stated);
                Learn(grant, answer.Timeout, answer.TimeoutRatio);
                if (answer.Relayed.Count > 0)
                {
                    RelayResults?.Invoke(answer.Relayed);
                }
            }
            catch (LeaseRejectedException e)
            {
                LogRevoked(grant.Incarnation, e.Message);
                // The API answered: this server is not isolated, so no isolation action follows; it rejoins.
                await FenceAsync($"lease of incarnation {grant.Incarnation} revoked: {e.Message}", FenceCause.Revoked, grant);
                return;
            }
            catch (OperationCanceledException) when (fenced.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // This incarnation fenced while its renewal was in flight.
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Expected while the API or the network is away: the fence timer, not this loop, decides.
                LogRenewFailed(grant.Incarnation, e.Message);
            }
        }
    }

    /// <summary>Completes <paramref name="delay"/> from now on the keeper's clock. The continuation runs on the timer's
    /// thread, as a PeriodicTimer's does: a renewal goes out the moment it is due (and a test's fake clock has sent it
    /// when its Advance returns). A cancellation completes it on the thread pool, never inside the canceller's call.</summary>
    private async Task DueAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = new TaskCompletionSource();
        using var timer = _time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), due, delay, Timeout.InfiniteTimeSpan);
        using var cancelled = cancellationToken.UnsafeRegister(
            static s => ThreadPool.UnsafeQueueUserWorkItem(static t => ((TaskCompletionSource)t!).TrySetCanceled(), s), due);
        await due.Task;
    }

    private void OnVoteToken(JoinGrant grant, long? token)
    {
        if (token is null)
        {
            return;
        }

        lock (_gate)
        {
            if (ReferenceEquals(grant, _grant))
            {
                _voteToken = token;
                _voteReceivedAt = Now();
            }
        }
    }

    /// <summary>A join or renewal sent at <paramref name="sent"/>, stating <paramref name="stated"/>, succeeded.</summary>
    private void OnSuccess(JoinGrant grant, Instant sent, TimeSpan stated)
    {
        lock (_gate)
        {
            if (_fenced || !ReferenceEquals(grant, _grant))
            {
                return;
            }

            if (_lastSuccessfulSend is { } last && last >= sent)
            {
                // An older send (a late relay acknowledgement): it moves nothing; F follows the stop path.
                _timing = LeaseTiming.Create(grant.Interval, _timing?.Timeout ?? stated, _options.LongestStopPath());
                return;
            }

            // The T this send stated, or the shorter one learned since (which governs at once, see Learn).
            var timeout = _stated is { } learned && learned < stated ? learned : stated;
            _timing = LeaseTiming.Create(grant.Interval, timeout, _options.LongestStopPath());
            _lastSuccessfulSend = sent;
            if (_deferringSince is { } since)
            {
                LogDeferralEnded((Now() - since).TotalMilliseconds);
                _deferringSince = null;
            }

            ArmFence(sent);
        }

        Renewed?.Invoke(sent);
    }

    /// <summary>A renewal answer stated the cluster's T and ratio now. The next renewal states them. A shorter
    /// T governs the fence at once, before any renewal states it: the API may receive the renewal that states
    /// it and judge by it even if its answer never comes back. A longer one waits for a renewal that stated it.</summary>
    private void Learn(JoinGrant grant, TimeSpan? timeout, int? ratio)
    {
        Instant? shortened = null;
        lock (_gate)
        {
            if (_fenced || !ReferenceEquals(grant, _grant) || timeout is not { } t || t <= TimeSpan.Zero)
            {
                return;
            }

            var before = (_stated, _ratio);
            _stated = t;
            _ratio = Math.Max(1, ratio ?? _ratio);
            if (before != (_stated, _ratio))
            {
                LogTimeoutChanged(before._stated?.TotalMilliseconds ?? 0, t.TotalMilliseconds, before._ratio, _ratio);
            }

            if (_timing is { } timing && t < timing.Timeout && _lastSuccessfulSend is { } sent)
            {
                _timing = LeaseTiming.Create(grant.Interval, t, _options.LongestStopPath());
                ArmFence(sent);
                shortened = sent;
            }
        }

        if (shortened is { } at)
        {
            // The fence guard's deadline follows (it reads Timing.FenceAt of this send).
            Renewed?.Invoke(at);
        }
    }

    /// <summary>Arms the fence timer at <paramref name="sent"/> + T − F of the current timing (under the gate).</summary>
    private void ArmFence(Instant sent) => _fenceTimer.Change(TimerDue.Until(_timing!.FenceAt(sent), Now()), Timeout.InfiniteTimeSpan);

    /// <summary>The fence timer's callback. It acts only for the incarnation whose lease it finds current, and only
    /// on that incarnation's own lease age: a callback that was already under way when its incarnation fenced and a
    /// new one joined (the deferral check can take a while) finds another grant and does nothing, and one that runs
    /// before the new incarnation's first success is recorded finds no send to measure from.</summary>
    private async Task FenceFromTimerAsync()
    {
        JoinGrant? grant;
        Instant? last;
        LeaseTiming? timing;
        lock (_gate)
        {
            if (_fenced || _grant is null || _lastSuccessfulSend is null || _timing is null)
            {
                // Fenced already, or between a join's grant and its first recorded success (which arms the timer).
                return;
            }

            grant = _grant;
            last = _lastSuccessfulSend;
            timing = _timing;
        }

        var now = Now();
        var age = LeaseTiming.LeaseAge(now, last.Value);
        if (age < timing.ActWindow)
        {
            // Not due yet: a renewal succeeded after this callback was scheduled, or the timer fired a fraction
            // early (timers count whole milliseconds). Arm again for the newest send's fence time: returning
            // without a timer would leave the agent with no fence at all.
            lock (_gate)
            {
                if (!_fenced && ReferenceEquals(grant, _grant) && _lastSuccessfulSend is { } newest && _timing is not null)
                {
                    ArmFence(newest);
                }
            }

            return;
        }

        DeferralDecision? decision;
        try
        {
            decision = _options.Deferral?.Invoke();
        }
        catch (Exception e)
        {
            // A check that cannot decide must not keep resources running without a lease: fence.
            decision = DeferralDecision.No($"the deferral check failed: {e.Message}");
        }

        if (decision is { Defer: true })
        {
            bool first;
            lock (_gate)
            {
                if (_fenced || !ReferenceEquals(grant, _grant)
                    || (_lastSuccessfulSend is { } newer && LeaseTiming.LeaseAge(now, newer) < timing.ActWindow))
                {
                    return;
                }

                first = _deferringSince is null;
                _deferringSince ??= now;
                _fenceTimer.Change(timing.Interval, Timeout.InfiniteTimeSpan);
            }

            if (first)
            {
                LogDeferring(age.TotalMilliseconds, decision.Reason);
            }

            Deferred?.Invoke(now + timing.Interval + timing.Interval);
            return;
        }

        lock (_gate)
        {
            if (_fenced || !ReferenceEquals(grant, _grant))
            {
                return;
            }

            if (_lastSuccessfulSend is { } renewed && LeaseTiming.LeaseAge(Now(), renewed) < timing.ActWindow)
            {
                // A renewal succeeded while the deferral check ran: the lease is fresh again (its timer is armed).
                return;
            }

            if (_deferringSince is not null)
            {
                LogDeferralRefused(decision?.Reason ?? "no deferral configured");
            }

            _deferringSince = null;
        }

        await FenceAsync($"no successful renewal for {age.TotalMilliseconds:F0} ms (fence at T - F){(decision is null ? "" : "; " + decision.Reason)}", FenceCause.LeaseRanOut, grant);
    }

    /// <summary>Fences now, as the fence timer would, and returns once the fence (this one, or one already
    /// under way) has completed. The caller stops <see cref="RunAsync"/> first: otherwise the keeper joins
    /// again after the fence. This is the agent's graceful stop (SIGTERM): it leaves nothing running that
    /// its lease no longer protects. <paramref name="cause"/> is never <see cref="FenceCause.LeaseRanOut"/> here
    /// in production (the timer owns that cause), so no isolation action follows.</summary>
    public async Task FenceNowAsync(string reason, FenceCause cause = FenceCause.Leaving)
    {
        await FenceAsync(reason, cause);
        Task done;
        lock (_gate)
        {
            done = _fenceDone.Task;
        }

        await done;
    }

    /// <param name="grant">The incarnation this fence is for; null for any (the graceful stop, the guard's release).
    /// A fence for an incarnation that is no longer current does nothing.</param>
    private async Task FenceAsync(string reason, FenceCause cause, JoinGrant? grant = null)
    {
        TimeSpan budget;
        TaskCompletionSource done;
        Instant? lastSend;
        LeaseTiming? timing;
        long incarnation;
        CancellationTokenSource? renewals;
        lock (_gate)
        {
            if (_fenced || (grant is not null && !ReferenceEquals(grant, _grant)))
            {
                return;
            }

            _fenced = true;
            _fenceDone = done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _fenceTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            timing = _timing;
            budget = timing?.FenceBudget ?? TimeSpan.Zero;
            lastSend = _lastSuccessfulSend;
            incarnation = _grant?.Incarnation ?? 0;
            renewals = _renewals;
        }

        try
        {
            // Outside the gate: the renewal loop's continuation may run inline.
            renewals?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The renewal loop already ended.
        }

        FenceRecord? record = null;
        await _fencing.WaitAsync(CancellationToken.None);
        try
        {
            LogFencing(reason, budget.TotalMilliseconds);

            // Not cancellable by the caller: a fence that stops half way is worse than none.
            await _fence.FenceAsync(reason, budget, CancellationToken.None);

            // The action is decided only now, after everything was released (release by age T stays the
            // guarantee, DESIGN rule 3); the hold is in place before the fence counts as done, so the join loop
            // never slips a rejoin in between.
            var action = IsolationDecision.After(cause, ConfiguredIsolationAction());
            if (!IsolationDecision.Rejoins(action))
            {
                lock (_gate)
                {
                    _heldDownBy = action;
                    _heldDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            record = new FenceRecord(
                reason,
                incarnation,
                _time.GetUtcNow(),
                lastSend is { } sent ? LeaseTiming.LeaseAge(Now(), sent) : null,
                timing?.Timeout ?? TimeSpan.Zero,
                budget,
                action);
            Record(record);
        }
        finally
        {
            _fencing.Release();
            done.TrySetResult();
        }

        if (record?.IsolationAction is { } isolation && isolation != IsolationAction.StopGroups)
        {
            await RunIsolationActionAsync(isolation, record);
        }
    }

    /// <summary>The action the API stated in its last answer (join or renewal: a change reaches the agent within
    /// one interval), else the one the options give (the cluster as the agent last listed it).</summary>
    private IsolationAction ConfiguredIsolationAction()
    {
        lock (_gate)
        {
            if (_statedIsolationAction is { } stated)
            {
                return stated;
            }
        }

        try
        {
            return _options.ConfiguredIsolationAction();
        }
        catch (Exception e)
        {
            // Unknown: the fence alone, which is what every action starts with.
            LogIsolationActionUnknown(e.Message);
            return IsolationAction.StopGroups;
        }
    }

    /// <summary>Runs the isolation action after the fence completed. A failed action releases the hold: the
    /// fence already made this server safe, so it rejoins as after StopGroups.</summary>
    private async Task RunIsolationActionAsync(IsolationAction action, FenceRecord fence)
    {
        var age = fence.LeaseAgeAtCompletion is { } a ? $"{a.TotalMilliseconds:F0} ms" : "unknown";
        var reason = $"isolated: incarnation {fence.Incarnation} fenced at lease age {age} ({fence.Reason}); isolation action {action}";
        LogIsolationAction(action, fence.Incarnation);
        try
        {
            if (_options.RunIsolationAction is not { } run)
            {
                throw new InvalidOperationException("no isolation action runner is configured");
            }

            await run(action, reason);
        }
        catch (Exception e)
        {
            LogIsolationActionFailed(e, action);
            TaskCompletionSource held;
            lock (_gate)
            {
                _heldDownBy = null;
                held = _heldDown;
            }

            held.TrySetResult();
        }
    }

    private void Record(FenceRecord record)
    {
        lock (_gate)
        {
            _lastFence = record;
        }

        var then = record.IsolationAction is { } action ? $"isolated: isolation action {action} follows" : "not isolated: no isolation action";
        if (record.LeaseAgeAtCompletion is { } age && age > record.Timeout)
        {
            LogFencedLate(age.TotalMilliseconds, record.Timeout.TotalMilliseconds, then);
        }
        else
        {
            LogFenceCompleted(record.LeaseAgeAtCompletion?.TotalMilliseconds, record.Timeout.TotalMilliseconds, then);
        }

        Fenced?.Invoke(record);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private bool IsFenced()
    {
        lock (_gate)
        {
            return _fenced;
        }
    }

    private long NextIncarnation()
    {
        var next = _options.NextIncarnation?.Invoke(_lastIncarnation)
            ?? Math.Max(_lastIncarnation + 1, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _lastIncarnation = Math.Max(next, _lastIncarnation + 1);
        return _lastIncarnation;
    }

    private Instant Now() => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    private static TimeSpan Jitter(TimeSpan backoff) =>
        backoff + TimeSpan.FromTicks((long)(backoff.Ticks * 0.2 * Random.Shared.NextDouble()));

    public async ValueTask DisposeAsync()
    {
        await _fenceTimer.DisposeAsync();
        _fencing.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined with incarnation {Incarnation} (interval {IntervalMs} ms, timeout {TimeoutMs} ms)")]
    private partial void LogJoined(long incarnation, double intervalMs, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Join with incarnation {Incarnation} failed: {Reason}; retrying in {BackoffMs} ms")]
    private partial void LogJoinFailed(long incarnation, string reason, double backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewal of incarnation {Incarnation} failed: {Reason}")]
    private partial void LogRenewFailed(long incarnation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lease of incarnation {Incarnation} revoked: {Reason}")]
    private partial void LogRevoked(long incarnation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fencing: {Reason} (budget {BudgetMs} ms)")]
    private partial void LogFencing(string reason, double budgetMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence completed at lease age {AgeMs} ms (heartbeat timeout {TimeoutMs} ms); {Then}")]
    private partial void LogFenceCompleted(double? ageMs, double timeoutMs, string then);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fence completed at lease age {AgeMs} ms, after the heartbeat timeout {TimeoutMs} ms: the controller may have started this server's groups elsewhere meanwhile; {Then}")]
    private partial void LogFencedLate(double ageMs, double timeoutMs, string then);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Isolated: running the isolation action {Action} after incarnation {Incarnation}'s fence; this agent does not join again")]
    private partial void LogIsolationAction(IsolationAction action, long incarnation);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The isolation action {Action} failed; everything is released, so this agent joins again as after StopGroups")]
    private partial void LogIsolationActionFailed(Exception exception, IsolationAction action);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cluster's isolation action could not be read ({Reason}): the fence alone (StopGroups)")]
    private partial void LogIsolationActionUnknown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No renewal for {AgeMs} ms: deferring the fence ({Reason})")]
    private partial void LogDeferring(double ageMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deferral ends: {Reason}")]
    private partial void LogDeferralRefused(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Heartbeat timeout T {FromMs} ms -> {ToMs} ms (timeout ratio {FromRatio} -> {ToRatio}); stated from the next renewal on")]
    private partial void LogTimeoutChanged(double fromMs, double toMs, int fromRatio, int toRatio);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed again after deferring the fence for {DeferredMs} ms")]
    private partial void LogDeferralEnded(double deferredMs);
}
