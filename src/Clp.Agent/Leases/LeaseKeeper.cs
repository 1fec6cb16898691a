using Clp.Agent.Fencing;
using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Agent.Leases;

/// <summary>Keeps this server's node lease (DESIGN "Leases and safety" rules 1-3): joins with a new incarnation,
/// renews every interval with a timeout of one interval and no retry, fences when the one-shot fence timer finds the
/// lease older than T − F (or at once on a 409), then joins again unless an isolation action holds it down.</summary>
/// <remarks>
/// <para>A thin shell: every judgement (when to fence, defer, re-arm, which T governs, whether a grant is usable,
/// which isolation action follows) is <see cref="LeaseMachine.Next"/> over an immutable <see cref="LeaseState"/>,
/// table-tested in Clp.Policy. This class owns the clock, the timer, the API calls and the fence: it feeds every
/// outcome in as a <see cref="LeaseEvent"/> and carries out the <see cref="LeaseAction"/>s in order (timer changes
/// under the gate, so two transitions never set the timer out of order).</para>
/// <para>Failure mode operators must know: a frozen process cannot fire its own timer; the fence guard
/// (clp-fence-guard, armed by the clp-agent host from <see cref="Deadline"/>) covers that. An isolation action that
/// fails is logged Critical and the keeper joins again as after StopGroups.</para>
/// </remarks>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IFence _fence;
    private readonly LeaseKeeperOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaseKeeper> _logger;
    private readonly ITimer _fenceTimer;
    private readonly ITimer _checkTimer;
    private readonly LeaseRenewals _loop;
    private readonly SemaphoreSlim _fencing = new(1, 1);
    private readonly object _gate = new();
    private LeaseState _state = LeaseState.Initial;
    private JoinGrant? _grant;
    private TaskCompletionSource _fenceDone = Completed();
    private TaskCompletionSource _heldDown = Completed();
    private FenceRecord? _lastFence;
    private CancellationTokenSource? _renewals;

    public LeaseKeeper(ILeaseEndpoint endpoint, IFence fence, LeaseKeeperOptions options, TimeProvider time, ILogger<LeaseKeeper> logger)
    {
        _fence = fence;
        _options = options;
        _time = time;
        _logger = logger;
        _fenceTimer = time.CreateTimer(_ => _ = ExecuteAsync(Transition(new FenceTimerFired(Now()))), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = new LeaseRenewals(this, endpoint, options, time, logger);
        _checkTimer = time.CreateTimer(_ => _ = ExecuteAsync(Transition(new CheckTimerFired(Now()))), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised after each success that moved the deadline (join, renewal, relay, a shorter T) with its send
    /// instant; the clp-agent host then arms its fence guard from <see cref="Deadline"/>.</summary>
    public event Action<Instant>? Renewed;

    /// <summary>Raised after each renewal carrying relayed tokens, with what the API did with them.</summary>
    public event Action<IReadOnlyList<RelayedRenewalResult>>? RelayResults;

    /// <summary>Raised each time the fence is deferred, with the instant until which the deferral holds unless it is
    /// confirmed again (the next check, one interval later, plus one interval), and when a deferral is refused ahead of
    /// the fence time, with the fence time: the clp-agent host moves its fence guard's deadline there.</summary>
    public event Action<Instant>? Deferred;

    /// <summary>Raised after each fence completed, with its record (the agent reports it and writes the event).</summary>
    public event Action<FenceRecord>? Fenced;

    /// <summary>The lease timing (T, F) of the last success, or null before the first one.</summary>
    public LeaseTiming? Timing => Read(s => s.Timing);

    /// <inheritdoc cref="LeaseState.Deadline"/>
    public (long Incarnation, Instant FenceAt, LeaseTiming Timing)? Deadline => Read(s => s.Deadline);

    /// <summary>The timeout ratio this agent applied (the API's last answer; 1 before any).</summary>
    public int TimeoutRatio => Read(s => s.Ratio);

    /// <summary>The T (ratio applied) this agent states in its next renewal; null before the first join.</summary>
    public TimeSpan? StatedTimeout => Read(s => s.Stated);

    /// <inheritdoc cref="LeaseState.IsFresh"/>
    public bool IsFresh => Read(s => s.IsFresh(Now()));

    /// <inheritdoc cref="LeaseState.Countable"/>
    public bool Countable => Read(s => s.Countable(Now()));

    /// <summary>Since when the fence has been deferred, or null (on this process's monotonic clock).</summary>
    public Instant? DeferringSince => Read(s => s.DeferringSince);

    /// <summary>The isolation action that keeps this keeper from joining again, or null.</summary>
    public IsolationAction? HeldDownBy => Read(s => s.HeldDownBy);

    /// <summary>The last fence this keeper completed (rule 3: its completion age is recorded), or null.</summary>
    public FenceRecord? LastFence => Read(_ => _lastFence);

    /// <summary>The current join, or null before the first one and while fenced or rejoining.</summary>
    public JoinGrant? Grant => Read(s => s.Fenced ? null : _grant);

    /// <inheritdoc cref="LeaseState.CanStartStep"/>
    public bool CanStartStep(TimeSpan stepTimeout) => Read(s => s.CanStartStep(Now(), stepTimeout));

    /// <summary>A peer relayed a renewal token this incarnation sent at <paramref name="sent"/>, and the API took it.</summary>
    public void OnRelayedRenewal(long incarnation, Instant sent, TimeSpan statedTimeout) =>
        Run(Transition(new RelayAcknowledged(Now(), incarnation, sent, statedTimeout, _options.LongestStopPath())));

    /// <summary>Joins and renews until cancelled; after a fence, joins again once it completed, unless held down
    /// (<see cref="LeaseRenewals"/>).</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _loop.RunAsync(cancellationToken);

    /// <summary>Waits until no fence is under way and no isolation action holds the keeper down.</summary>
    internal async Task MayJoinAsync(CancellationToken cancellationToken)
    {
        await Read(_ => _fenceDone.Task).WaitAsync(cancellationToken);
        await Read(_ => _heldDown.Task).WaitAsync(cancellationToken);
    }

    /// <summary>Applies a join's answer; when it is used, <paramref name="grant"/> is the current join and
    /// <paramref name="renewals"/> ends its renewal loop when it fences.</summary>
    internal IReadOnlyList<LeaseAction> Joined(GrantAnswered answered, JoinGrant grant, CancellationTokenSource renewals) =>
        Transition(answered, joined =>
        {
            if (joined.Grant == answered.Grant && !joined.Fenced)
            {
                _grant = grant;
                _renewals = renewals;
            }
        });

    /// <summary>The renewal loop of <paramref name="renewals"/> ended.</summary>
    internal void RenewalsEnded(CancellationTokenSource renewals)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_renewals, renewals))
            {
                _renewals = null;
            }
        }
    }

    internal void OnRelayResults(IReadOnlyList<RelayedRenewalResult> results) => RelayResults?.Invoke(results);

    /// <summary>Fences now, as the fence timer would, and returns once the fence (this one, or one already under way)
    /// has completed. The caller stops <see cref="RunAsync(CancellationToken)"/> first, or the keeper joins again after
    /// it. <paramref name="cause"/> is never <see cref="FenceCause.LeaseRanOut"/> in production (the timer owns that
    /// cause), so no isolation action follows.</summary>
    public async Task FenceNowAsync(string reason, FenceCause cause = FenceCause.Leaving)
    {
        await ExecuteAsync(Transition(new FenceRequested(Now(), reason, cause)));
        await Read(_ => _fenceDone.Task);
    }

    /// <summary>Applies <paramref name="e"/>: the new state, and the timer's changes, under the gate (with
    /// <paramref name="whileLocked"/>, given the new state); the rest of the actions are the caller's to run.</summary>
    internal IReadOnlyList<LeaseAction> Transition(LeaseEvent e, Action<LeaseState>? whileLocked = null)
    {
        lock (_gate)
        {
            (_state, var actions) = LeaseMachine.Next(_state, e);
            whileLocked?.Invoke(_state);
            foreach (var action in actions)
            {
                switch (action)
                {
                    case ArmFenceTimer arm:
                        _fenceTimer.Change(TimerDue.Until(arm.At, Now()), Timeout.InfiniteTimeSpan);
                        break;
                    case ArmCheckTimer check:
                        _checkTimer.Change(TimerDue.Until(check.At, Now()), Timeout.InfiniteTimeSpan);
                        break;
                    case ArmFenceTimerAfter after:
                        _fenceTimer.Change(after.Delay, Timeout.InfiniteTimeSpan);
                        break;
                    case DisarmFenceTimer:
                        _fenceTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                        _checkTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                        break;
                    case StartFence:
                        _fenceDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        break;
                    case RunIsolationAction:
                        _heldDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        break;
                }
            }

            return actions;
        }
    }

    /// <summary>Runs actions that complete at once (a success's notifications and notes).</summary>
    internal void Run(IReadOnlyList<LeaseAction> actions) => ExecuteAsync(actions).GetAwaiter().GetResult();

    /// <summary>Runs the actions outside the gate, in order.</summary>
    internal async Task ExecuteAsync(IReadOnlyList<LeaseAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case NotifyRenewed renewed:
                    Renewed?.Invoke(renewed.Sent);
                    break;
                case NotifyDeferred deferred:
                    Deferred?.Invoke(deferred.Until);
                    break;
                case CheckDeferral check:
                    await ExecuteAsync(Transition(Decide(check)));
                    break;
                case StopRenewals:
                    StopRenewalLoop();
                    break;
                case StartFence start:
                    await FenceAsync(start.Order);
                    break;
                case ReleaseHold:
                    Read(_ => _heldDown).TrySetResult();
                    break;
                case LeaseNote note:
                    LeaseLog.Note(_logger, note);
                    break;
            }
        }
    }

    /// <summary>Asks the deferral check (it may take a while); one that throws cannot decide, so it fences.</summary>
    private DeferralDecided Decide(CheckDeferral check)
    {
        DeferralDecision? decision;
        try
        {
            decision = _options.Deferral?.Invoke();
        }
        catch (Exception e)
        {
            decision = DeferralDecision.No($"the deferral check failed: {e.Message}");
        }

        return new DeferralDecided(Now(), check.Incarnation, check.FiredAt, decision?.Defer ?? false, decision?.Reason);
    }

    private void StopRenewalLoop()
    {
        try
        {
            // Outside the gate: the renewal loop's continuation may run inline.
            Read(_ => _renewals)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The renewal loop already ended.
        }
    }

    /// <summary>Releases everything (not cancellable: a fence that stops half way is worse than none), then records
    /// the fence; the hold of an isolation action is in place before the fence counts as done, so the join loop
    /// never slips a rejoin in between.</summary>
    private async Task FenceAsync(FenceOrder order)
    {
        var done = Read(_ => _fenceDone);
        IReadOnlyList<LeaseAction> after = [];
        await _fencing.WaitAsync(CancellationToken.None);
        try
        {
            LeaseLog.LogFencing(_logger, order.Reason, order.Budget.TotalMilliseconds);
            await _fence.FenceAsync(order.Reason, order.Budget, CancellationToken.None);
            var configured = Read(s => s.StatedIsolationAction) is null ? IsolationActionRunner.Configured(_options, _logger) : (IsolationAction?)null;
            after = Transition(new FenceCompleted(Now(), configured));
            foreach (var recorded in after.OfType<RecordFence>())
            {
                Record(recorded);
            }
        }
        finally
        {
            _fencing.Release();
            done.TrySetResult();
        }

        foreach (var isolation in after.OfType<RunIsolationAction>())
        {
            if (!await IsolationActionRunner.RunAsync(isolation, _options, _logger))
            {
                // The fence already made this server safe: the hold is released and the keeper joins again.
                await ExecuteAsync(Transition(new IsolationActionFailed(Now())));
            }
        }
    }

    private void Record(RecordFence recorded)
    {
        var order = recorded.Order;
        var record = new FenceRecord(order.Reason, order.Incarnation, _time.GetUtcNow(), recorded.LeaseAge, order.Timeout, order.Budget, recorded.IsolationAction);
        lock (_gate)
        {
            _lastFence = record;
        }

        var then = record.IsolationAction is { } action ? $"isolated: isolation action {action} follows" : "not isolated: no isolation action";
        if (recorded.Late)
        {
            LeaseLog.LogFencedLate(_logger, recorded.LeaseAge!.Value.TotalMilliseconds, order.Timeout.TotalMilliseconds, then);
        }
        else
        {
            LeaseLog.LogFenceCompleted(_logger, recorded.LeaseAge?.TotalMilliseconds, order.Timeout.TotalMilliseconds, then);
        }

        Fenced?.Invoke(record);
    }

    internal T Read<T>(Func<LeaseState, T> read)
    {
        lock (_gate)
        {
            return read(_state);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    internal Instant Now() => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    public async ValueTask DisposeAsync()
    {
        await _fenceTimer.DisposeAsync();
        await _checkTimer.DisposeAsync();
        _fencing.Dispose();
    }
}
