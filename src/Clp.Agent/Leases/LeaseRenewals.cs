using Clp.Policy.Leases;
using Clp.Policy.Time;

namespace Clp.Agent.Leases;

/// <summary>The lease keeper's conversation with the API: the join attempts and the renewal loop of each
/// incarnation. Every answer goes into the keeper's lease machine (<see cref="LeaseKeeper"/>); nothing here decides.</summary>
internal sealed class LeaseRenewals(LeaseKeeper keeper, ILeaseEndpoint endpoint, LeaseKeeperOptions options, TimeProvider time, ILogger logger)
{
    private long _lastIncarnation;

    /// <summary>Joins and renews until cancelled; after a fence, joins again once it completed, unless held down.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await keeper.MayJoinAsync(cancellationToken);
            var (grant, sent, renewals) = await JoinAsync(cancellationToken);
            try
            {
                await RenewUntilFencedAsync(grant, sent, renewals.Token, cancellationToken);
            }
            finally
            {
                keeper.RenewalsEnded(renewals);
                renewals.Dispose();
            }
        }
    }

    /// <summary>Joins with a new incarnation; a grant that arrives too late for its first renewal to end before its
    /// fence time (T − F − I after the acquire's send) is refused and the join tried again, and an attempt waits for
    /// its answer no longer than that (an acquire stuck in TCP retries during a cut may be answered long after).</summary>
    private async Task<(JoinGrant Grant, Instant Sent, CancellationTokenSource Renewals)> JoinAsync(CancellationToken cancellationToken)
    {
        var backoff = options.JoinBackoff;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var incarnation = NextIncarnation();
            var wait = JoinTimeout();
            var sent = keeper.Now();
            try
            {
                using var timeout = new CancellationTokenSource(wait, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

                // The API records the larger of this and the T it grants: the agent fences by the grant's T.
                var grant = await endpoint.AcquireAsync(incarnation, keeper.Read(s => s.JoinStates), linked.Token);
                var renewals = new CancellationTokenSource();
                var terms = new LeaseTerms(grant.Incarnation, grant.Interval, grant.Timeout, grant.TimeoutRatio, grant.IsolationAction, grant.VoteToken);
                var actions = keeper.Joined(new GrantAnswered(keeper.Now(), terms, sent, options.LongestStopPath()), grant, renewals);
                if (actions.OfType<RefuseGrant>().FirstOrDefault() is { } refused)
                {
                    renewals.Dispose();
                    throw new TimeoutException(refused.Reason);
                }

                keeper.Run(actions);
                return (grant, sent, renewals);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var why = e is OperationCanceledException ? $"no answer within {wait.TotalMilliseconds:F0} ms (T - F - I)" : e.Message;
                LeaseLog.LogJoinFailed(logger, incarnation, why, backoff.TotalMilliseconds);
                await Task.Delay(Jitter(backoff), time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxJoinBackoff.Ticks));
            }
        }
    }

    /// <summary>How long a join attempt waits for its answer: T − F − I of the last grant, else of the cluster as the
    /// agent saw it, else <see cref="LeaseKeeperOptions.FirstJoinTimeout"/>.</summary>
    private TimeSpan JoinTimeout()
    {
        try
        {
            if ((keeper.Read(s => s.KnownHeartbeat) ?? options.Heartbeat()) is { } k && k.Interval > TimeSpan.Zero && k.Timeout > k.Interval)
            {
                var timing = LeaseTiming.Create(k.Interval, k.Timeout, options.LongestStopPath());
                return timing.GrantUsableFor > k.Interval ? timing.GrantUsableFor : k.Interval;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException)
        {
            // The view is not readable yet, or its timing is not one a lease can have: the default applies.
        }

        return options.FirstJoinTimeout;
    }

    /// <summary>Renews every interval, each renewal due one interval after the previous one was SENT (the first one
    /// after the acquire's send), with a timeout of one interval and no retry; never two in flight.</summary>
    /// <param name="fenced">Cancelled when this incarnation fences.</param>
    private async Task RenewUntilFencedAsync(JoinGrant grant, Instant joinSent, CancellationToken fenced, CancellationToken cancellationToken)
    {
        var previous = joinSent;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, fenced);
        while (true)
        {
            var wait = previous + grant.Interval - keeper.Now();
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
            if (keeper.Read(s => s.Fenced))
            {
                return;
            }

            var sent = previous = keeper.Now();
            using var timeout = new CancellationTokenSource(grant.Interval, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, timeout.Token);
            try
            {
                var relayed = options.RelaySource?.Invoke() ?? [];
                var (token, stated, ratio) = keeper.Read(s => (s.VoteToken, s.Stated ?? grant.Timeout, s.Ratio));
                var answer = await endpoint.RenewAsync(grant.Incarnation, stated, ratio, token, relayed, linked.Token);
                keeper.Run(keeper.Transition(new RenewalAnswered(keeper.Now(), grant.Incarnation, sent, stated, answer.Timeout, answer.TimeoutRatio, answer.IsolationAction,
                    answer.VoteToken, options.LongestStopPath())));
                if (answer.Relayed.Count > 0)
                {
                    keeper.OnRelayResults(answer.Relayed);
                }
            }
            catch (LeaseRejectedException e)
            {
                // The API answered: this server is not isolated, so no isolation action follows; it rejoins.
                LeaseLog.LogRevoked(logger, grant.Incarnation, e.Message);
                await keeper.ExecuteAsync(keeper.Transition(new RenewalRejected(keeper.Now(), grant.Incarnation, e.Message)));
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
                LeaseLog.LogRenewFailed(logger, grant.Incarnation, e.Message);
            }
        }
    }

    /// <summary>Completes <paramref name="delay"/> from now on the keeper's clock. The continuation runs on the timer's
    /// thread: a renewal goes out the moment it is due (and a test's fake clock has sent it when its Advance returns).
    /// A cancellation completes it on the thread pool, never inside the canceller's call.</summary>
    private async Task DueAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = new TaskCompletionSource();
        using var timer = time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), due, delay, Timeout.InfiniteTimeSpan);
        using var cancelled = cancellationToken.UnsafeRegister(
            static s => ThreadPool.UnsafeQueueUserWorkItem(static t => ((TaskCompletionSource)t!).TrySetCanceled(), s), due);
        await due.Task;
    }

    private long NextIncarnation()
    {
        var next = options.NextIncarnation?.Invoke(_lastIncarnation)
            ?? Math.Max(_lastIncarnation + 1, time.GetUtcNow().ToUnixTimeMilliseconds());
        _lastIncarnation = Math.Max(next, _lastIncarnation + 1);
        return _lastIncarnation;
    }

    private static TimeSpan Jitter(TimeSpan backoff) =>
        backoff + TimeSpan.FromTicks((long)(backoff.Ticks * 0.2 * Random.Shared.NextDouble()));
}
