using System.Threading.Channels;
using Clp.Agent.Fencing;
using Clp.Agent.Leases;
using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Tests.Leases;

/// <summary>The agent's lease keeper on a fake clock: I = 1 s, T = 5 s, so F = 1 s and the fence is armed
/// at send + 4 s. The test owns every tick and reads outcomes from channels.</summary>
public sealed class LeaseKeeperTests : IAsyncDisposable
{
    private static readonly TimeSpan I = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan T = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeEndpoint _endpoint;
    private readonly FakeFence _fence;
    private readonly LeaseKeeper _keeper;
    private readonly LeaseKeeperOptions _options = new() { NextIncarnation = last => last + 1 };
    private readonly Channel<(IsolationAction Action, TimeSpan At, string Reason, FenceRecord? FenceBefore)> _actions =
        Channel.CreateUnbounded<(IsolationAction, TimeSpan, string, FenceRecord?)>();
    private readonly Channel<Instant> _renewed = Channel.CreateUnbounded<Instant>();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public LeaseKeeperTests()
    {
        _endpoint = new FakeEndpoint(_time);
        _fence = new FakeFence(_time);
        _keeper = new LeaseKeeper(_endpoint, _fence, _options, _time, NullLogger<LeaseKeeper>.Instance);
        _keeper.Renewed += sent => _renewed.Writer.TryWrite(sent);
    }

    private TimeSpan Elapsed => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency).SinceOrigin - _fence.Origin;

    private async Task StartAndJoinAsync()
    {
        _run = Task.Run(() => _keeper.RunAsync(_stop.Token));
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }

    private async Task AdvanceAndRenewAsync()
    {
        _time.Advance(I);
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task RenewalsStop_FenceFiresAtLastSendPlusTMinusF_NotATickBefore()
    {
        await StartAndJoinAsync();
        await AdvanceAndRenewAsync(); // sent at 1 s: fence at 5 s
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(4) - Tick);
        Assert.Empty(_fence.Calls);
        _time.Advance(Tick);
        var call = await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(TimeSpan.FromSeconds(5), call.At);
        Assert.Equal(TimeSpan.FromSeconds(1), call.Budget);

        // Fenced, it joins again with a new incarnation; placements issued before that join stay void.
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
    }

    [Fact]
    public async Task ASideThatMayDefer_IsDeferredOneIntervalBeforeTheFenceTime_SoTheGuardLearnsItInTime()
    {
        // Soak, seed 973697105, under load: asked only at the fence time, the deferral reached the fence guard after the
        // guard's own act time (D + F/10) and the guard released a server whose side could defer.
        var deferred = Channel.CreateUnbounded<(TimeSpan At, TimeSpan Until)>();
        _keeper.Deferred += until => deferred.Writer.TryWrite((Elapsed, until.SinceOrigin - _fence.Origin));
        _options.Deferral = () => new DeferralDecision(true, "this side survives");
        await StartAndJoinAsync();
        await AdvanceAndRenewAsync(); // sent at 1 s: fence at 5 s, asked ahead at 4 s
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(3) - Tick);
        Assert.False(deferred.Reader.TryRead(out _), "deferred before the fence time minus one interval");

        _time.Advance(Tick);
        var first = await deferred.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6)), first);
        Assert.NotNull(_keeper.DeferringSince);

        // Confirmed every interval after; never fenced while it may defer.
        _time.Advance(I);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7)), await deferred.Reader.ReadAsync().AsTask().WaitAsync(Bound));
        Assert.Empty(_fence.Calls);
    }

    [Fact]
    public async Task Fence_IsRecordedWithTheLeaseAgeAtCompletion_AndNoRejoinBeforeItCompleted()
    {
        FenceRecord? raised = null;
        _keeper.Fenced += r => raised = r;
        await StartAndJoinAsync();
        await AdvanceAndRenewAsync(); // sent at 1 s: fence at 5 s (age 4 s)
        _endpoint.RenewFails = true;
        _fence.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _time.Advance(TimeSpan.FromSeconds(4));
        await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        // The resources take 1.5 s to stop (past a renewal tick): meanwhile the keeper must not join again (a new incarnation
        // could be placed and activate while the old one still releases).
        _endpoint.RenewFails = false;
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal([1L], _endpoint.Acquired.ToArray());
        Assert.Null(_keeper.LastFence);
        _fence.Hold.SetResult();
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the rejoin, only now

        var record = _keeper.LastFence;
        Assert.NotNull(record);
        Assert.Same(record, raised);
        Assert.Equal(TimeSpan.FromMilliseconds(5500), record.LeaseAgeAtCompletion);
        Assert.Equal((T, TimeSpan.FromSeconds(1), 1L), (record.Timeout, record.Budget, record.Incarnation));
        Assert.Contains("no successful renewal", record.Reason, StringComparison.Ordinal);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
    }

    [Fact]
    public async Task RenewalRejected_FencesAtOnce_ThenRejoinsWithAHigherIncarnation()
    {
        await StartAndJoinAsync();
        _endpoint.RenewRejects = true;
        _time.Advance(I);
        var call = await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(I, call.At);
        Assert.Contains("revoked", call.Reason, StringComparison.Ordinal);
        _endpoint.RenewRejects = false;
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the rejoin
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
        Assert.Equal(2, _keeper.Grant!.Incarnation);
    }

    [Fact]
    public async Task SlowSuccessfulRenewal_CountsFromItsSendTime()
    {
        await StartAndJoinAsync();
        _endpoint.RenewDelay = TimeSpan.FromMilliseconds(900);
        _time.Advance(I); // sent at 1 s, answered at 1.9 s
        await UntilAsync(() => _endpoint.DelayedRenewals == 1, "the renewal sent at 1 s to be in flight");
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var sent = await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(I, sent.SinceOrigin - _fence.Origin);
        _endpoint.RenewFails = true;
        _endpoint.RenewDelay = TimeSpan.Zero;
        _time.Advance(TimeSpan.FromSeconds(5) - Elapsed - Tick); // just before 1 s + 4 s
        Assert.Empty(_fence.Calls);
        _time.Advance(Tick);
        Assert.Equal(TimeSpan.FromSeconds(5), (await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound)).At);
    }

    [Fact]
    public async Task CanStartStep_OnlyWhileAgePlusTheShorterOfTimeoutAndIFitsTMinusF()
    {
        await StartAndJoinAsync(); // sent at 0: T - F = 4 s
        Assert.True(_keeper.CanStartStep(TimeSpan.FromMinutes(30))); // a long step: the fence cuts it short if need be
        _endpoint.RenewFails = true;
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(I);
        }

        Assert.True(_keeper.CanStartStep(TimeSpan.FromMinutes(30)));  // age 3 s + I = T - F
        Assert.True(_keeper.CanStartStep(TimeSpan.FromMilliseconds(500)));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(_keeper.CanStartStep(TimeSpan.FromMinutes(30)));
        Assert.True(_keeper.CanStartStep(TimeSpan.FromMilliseconds(500))); // 3.5 s + 0.5 s = T - F
        Assert.False(_keeper.CanStartStep(TimeSpan.FromMilliseconds(500) + Tick));
    }

    [Fact]
    public async Task HungRenewal_DoesNotHoldTheFenceBack()
    {
        await StartAndJoinAsync();
        _endpoint.RenewHangs = true; // ignores cancellation: the renew loop is stuck
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(I);
        }

        Assert.Equal(TimeSpan.FromSeconds(4), (await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound)).At);
    }

    [Fact]
    public async Task FenceNowAsync_AfterStop_FencesOnceWithTheBudget_AndDoesNotRejoin()
    {
        await StartAndJoinAsync();
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run!.WaitAsync(Bound));
        await _keeper.FenceNowAsync("leaving").WaitAsync(Bound);
        var call = Assert.Single(_fence.Calls);
        Assert.Equal(("leaving", TimeSpan.FromSeconds(1)), (call.Reason, call.Budget));
        Assert.Null(_keeper.Grant);
        Assert.False(_keeper.CanStartStep(TimeSpan.Zero));

        // The fence timer finds the lease already fenced, and a second stop waits for nothing new.
        _time.Advance(T);
        await _keeper.FenceNowAsync("again").WaitAsync(Bound);
        Assert.Single(_fence.Calls);
        Assert.Equal([1L], _endpoint.Acquired.ToArray());
    }

    /// <summary>The cluster's isolation action is <paramref name="action"/>; running it records (action, when,
    /// reason, the fence record the keeper had completed by then), or throws when <paramref name="fails"/>.</summary>
    private void Isolation(IsolationAction action, bool fails = false)
    {
        _options.ConfiguredIsolationAction = () => action;
        _options.RunIsolationAction = (a, reason) =>
        {
            _actions.Writer.TryWrite((a, Elapsed, reason, _keeper.LastFence));
            return fails ? Task.FromException(new InvalidOperationException("systemctl poweroff failed")) : Task.CompletedTask;
        };
    }

    [Theory]
    [InlineData(IsolationAction.StopClusterService)]
    [InlineData(IsolationAction.Shutdown)]
    [InlineData(IsolationAction.Reboot)]
    public async Task LeaseRanOut_TheIsolationActionRunsAfterTheFenceCompletedByT_AndTheKeeperDoesNotRejoin(IsolationAction action)
    {
        Isolation(action);
        await StartAndJoinAsync();
        await AdvanceAndRenewAsync(); // sent at 1 s: fence at 5 s, must complete by 6 s
        _endpoint.RenewFails = true;
        _fence.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(5), (await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound)).At);

        // The resources take 0.9 s to stop: nothing runs before the fence has released everything.
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.False(_actions.Reader.TryRead(out _));
        _fence.Hold.SetResult();
        var run = await _actions.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal((action, TimeSpan.FromMilliseconds(5900)), (run.Action, run.At));
        Assert.NotNull(run.FenceBefore);
        Assert.Equal(TimeSpan.FromMilliseconds(4900), run.FenceBefore.LeaseAgeAtCompletion);
        Assert.True(run.FenceBefore.LeaseAgeAtCompletion <= T);
        Assert.Equal(action, run.FenceBefore.IsolationAction);
        Assert.Contains($"isolation action {action}", run.Reason, StringComparison.Ordinal);
        Assert.Contains("lease age 4900 ms", run.Reason, StringComparison.Ordinal);

        // The API answers again: the keeper stays down (no new incarnation, nothing may start).
        _endpoint.RenewFails = false;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(I);
        }

        Assert.Equal([1L], _endpoint.Acquired.ToArray());
        Assert.Equal(action, _keeper.HeldDownBy);
        Assert.Null(_keeper.Grant);
        Assert.False(_keeper.CanStartStep(TimeSpan.Zero));
        Assert.Single(_fence.Calls);
        Assert.False(_actions.Reader.TryRead(out _));
    }

    [Fact]
    public async Task LeaseRanOut_StopGroups_RecordsTheActionAndRunsNothingMore_ThenRejoins()
    {
        Isolation(IsolationAction.StopGroups);
        await StartAndJoinAsync();
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(4));
        await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        _endpoint.RenewFails = false;
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the rejoin

        Assert.Equal(IsolationAction.StopGroups, _keeper.LastFence!.IsolationAction);
        Assert.False(_actions.Reader.TryRead(out _));
        Assert.Null(_keeper.HeldDownBy);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
    }

    [Fact]
    public async Task RenewalRejected_WhileTheApiAnswers_RunsNoIsolationAction_AndRejoins()
    {
        Isolation(IsolationAction.Reboot);
        await StartAndJoinAsync();
        _endpoint.RenewRejects = true;
        _time.Advance(I);
        Assert.Contains("revoked", (await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Reason, StringComparison.Ordinal);
        _endpoint.RenewRejects = false;
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the rejoin

        Assert.Null(_keeper.LastFence!.IsolationAction);
        Assert.False(_actions.Reader.TryRead(out _));
        Assert.Null(_keeper.HeldDownBy);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
    }

    [Theory]
    [InlineData(FenceCause.GuardReleased)]
    [InlineData(FenceCause.Leaving)]
    public async Task FenceNow_ForAnotherCause_RunsNoIsolationAction(FenceCause cause)
    {
        Isolation(IsolationAction.Shutdown);
        await StartAndJoinAsync();
        await _keeper.FenceNowAsync("not isolated", cause).WaitAsync(Bound);
        Assert.Null(_keeper.LastFence!.IsolationAction);
        Assert.False(_actions.Reader.TryRead(out _));
        Assert.Null(_keeper.HeldDownBy);
    }

    [Fact]
    public async Task IsolationAction_TheOneTheLastRenewalStated_WinsOverTheOptions()
    {
        Isolation(IsolationAction.StopGroups); // the view's (stale) cluster
        await StartAndJoinAsync();
        _endpoint.StatedIsolationAction = IsolationAction.Reboot; // changed since: the next renewal states it
        await AdvanceAndRenewAsync();
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(4));
        await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(IsolationAction.Reboot, (await _actions.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Action);
        Assert.Equal(IsolationAction.Reboot, _keeper.HeldDownBy);
    }

    [Fact]
    public async Task IsolationActionFails_TheKeeperRejoinsAsAfterStopGroups()
    {
        Isolation(IsolationAction.Shutdown, fails: true);
        await StartAndJoinAsync();
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(4));
        await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(IsolationAction.Shutdown, (await _actions.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Action);
        _endpoint.RenewFails = false;
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the rejoin

        Assert.Null(_keeper.HeldDownBy);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
    }

    [Fact]
    public async Task ShorterTInAnAnswer_GovernsTheFenceAtOnce_AndTheNextRenewalStatesItWithItsRatio()
    {
        // Joined under ratio 2: T = 10 s, F = 2 s, fence at 8 s.
        _endpoint.Grant = (TimeSpan.FromSeconds(10), 2);
        await StartAndJoinAsync();

        // The ratio is reset: the renewal sent at 1 s stated 10 s (ratio 2) and its answer says 5 s (ratio 1).
        _endpoint.Answer = (T, 1);
        await AdvanceAndRenewAsync();
        await _renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound); // the fence deadline moved earlier
        Assert.Equal((TimeSpan.FromSeconds(10), 2), _endpoint.Stated.Single());
        Assert.Equal(T, _keeper.Timing!.Timeout);
        Assert.Equal((T, 1), (_keeper.StatedTimeout, _keeper.TimeoutRatio));

        // The next renewal states 5 s with ratio 1, and is lost (the API may have received it: it may judge by
        // 5 s from then). The fence is at 1 s + T - F = 5 s already, not at 1 s + 8 s.
        _endpoint.RenewFails = true;
        _time.Advance(I);
        Assert.Equal((T, 1), _endpoint.Stated.Last());
        _time.Advance(TimeSpan.FromSeconds(3) - Tick);
        Assert.Empty(_fence.Calls);
        _time.Advance(Tick);
        var call = await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (call.At, call.Budget));
    }

    [Fact]
    public async Task LongerTInAnAnswer_GovernsTheFenceFromTheSendOfARenewalThatStatedIt()
    {
        await StartAndJoinAsync(); // T = 5 s: fence at 4 s

        // A ratio of 2 is set: the answer to the renewal sent at 1 s (which stated 5 s) says 10 s.
        _endpoint.Answer = (TimeSpan.FromSeconds(10), 2);
        await AdvanceAndRenewAsync();
        Assert.Equal(T, _keeper.Timing!.Timeout);
        Assert.Equal((TimeSpan.FromSeconds(10), 2), (_keeper.StatedTimeout, _keeper.TimeoutRatio));

        // The renewal sent at 2 s states 10 s with ratio 2 and succeeds: from its send, T = 10 s, F = 2 s.
        await AdvanceAndRenewAsync();
        Assert.Equal([(T, 1), (TimeSpan.FromSeconds(10), 2)], _endpoint.Stated.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(10), _keeper.Timing!.Timeout);
        _endpoint.RenewFails = true;
        _time.Advance(TimeSpan.FromSeconds(8) - Tick);
        Assert.Empty(_fence.Calls);
        _time.Advance(Tick);
        var call = await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (call.At, call.Budget));
    }

    [Fact]
    public async Task LongerTInAnAnswer_ARenewalStatingItIsLost_TheFenceKeepsTheShorterT()
    {
        await StartAndJoinAsync(); // T = 5 s
        _endpoint.Answer = (TimeSpan.FromSeconds(10), 2);
        await AdvanceAndRenewAsync(); // sent at 1 s stating 5 s: fence at 5 s

        // The renewal stating 10 s fails: the API never confirmed it, so the agent never fences by it.
        _endpoint.RenewFails = true;
        _time.Advance(I);
        Assert.Equal((TimeSpan.FromSeconds(10), 2), _endpoint.Stated.Last());
        _time.Advance(TimeSpan.FromSeconds(3) - Tick);
        Assert.Empty(_fence.Calls);
        _time.Advance(Tick);
        var call = await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (call.At, call.Budget));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _endpoint.Release();
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(Bound);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        await _keeper.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task AFenceTimerFiringAFractionEarly_IsArmedAgain_AndTheFenceStillFiresAtTMinusF()
    {
        // System timers count whole milliseconds and may fire just before the instant asked for: the callback must
        // then arm the timer again, not return and leave the agent without a fence (the soak found one that did).
        var endpoint = new FakeEndpoint(_time);
        var fence = new FakeFence(_time);
        await using var keeper = new LeaseKeeper(endpoint, fence, new LeaseKeeperOptions { NextIncarnation = last => last + 1 },
            new EarlyTimers(_time, TimeSpan.FromTicks(5_000)), NullLogger<LeaseKeeper>.Instance);
        var renewed = Channel.CreateUnbounded<Instant>();
        keeper.Renewed += sent => renewed.Writer.TryWrite(sent);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => keeper.RunAsync(stop.Token));
        await renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var sent = await AdvanceUntilRenewedAsync(renewed);
        endpoint.RenewFails = true;
        var fenceAt = sent + TimeSpan.FromSeconds(4);

        // The timer fires 0.5 ms before the fence time: not due yet, so it is armed again.
        _time.Advance(fenceAt.SinceOrigin - Now.SinceOrigin - TimeSpan.FromTicks(2_500));
        await Task.Delay(20);
        Assert.Empty(fence.Calls);

        // Armed again for the rest, rounded up to the millisecond: it fires within a millisecond after the fence time.
        _time.Advance(TimeSpan.FromTicks(2_500 + 10_000));
        var call = await fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.InRange(call.At, fenceAt.SinceOrigin - fence.Origin, fenceAt.SinceOrigin - fence.Origin + TimeSpan.FromMilliseconds(1));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    private Instant Now => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    /// <summary>The clock every timer of a keeper runs on: exact, firing 0.5 ms early, or firing 30 ms late.</summary>
    public static TheoryData<string> Timers => new() { "exact", "early", "late" };

    private TimeProvider TimersOf(string kind) => kind switch
    {
        "early" => new EarlyTimers(_time, TimeSpan.FromTicks(5_000)),
        "late" => new LateTimers(_time, TimeSpan.FromMilliseconds(30)),
        _ => _time,
    };

    /// <summary>How late a timer of <paramref name="kind"/> may fire (early ones are armed again, rounded up to the ms).</summary>
    private static TimeSpan Lateness(string kind) => kind == "late" ? TimeSpan.FromMilliseconds(30) : TimeSpan.FromMilliseconds(1);

    /// <summary>Stops a keeper's run: it ends by the cancellation (or between two joins, without an exception).</summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        try
        {
            await run.WaitAsync(Bound);
        }
        catch (OperationCanceledException)
        {
            // The usual way it ends.
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds, with the fake clock standing still.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out waiting for " + what);
    }

    [Theory]
    [MemberData(nameof(Timers))]
    public async Task SlowAcquire_TheFirstRenewalGoesAtOnce_AndNothingFences(string timers)
    {
        // A fresh join whose acquire takes 1.5 s of the 4 s window (a cold process on a loaded machine). The first renewal
        // must not wait a whole interval after the answer: sent at 2.5 s, one loss more and the lease would run out at
        // 4 s. It is due one interval after the acquire's send, so it goes at once, and its success carries the lease on.
        var endpoint = new FakeEndpoint(_time) { AcquireDelay = TimeSpan.FromMilliseconds(1500) };
        var fence = new FakeFence(_time);
        await using var keeper = new LeaseKeeper(endpoint, fence, new LeaseKeeperOptions { NextIncarnation = last => last + 1 }, TimersOf(timers), NullLogger<LeaseKeeper>.Instance);
        var renewed = Channel.CreateUnbounded<Instant>();
        keeper.Renewed += sent => renewed.Writer.TryWrite(sent);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => keeper.RunAsync(stop.Token));
        await endpoint.AcquireStarted.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var origin = Now;
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        var join = await renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var first = await renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(origin, join); // the lease counts from the acquire's send
        Assert.Equal(TimeSpan.FromMilliseconds(1500), first - origin);

        // Renewals go on, each one interval after its predecessor's send; nothing fences for two windows.
        for (var i = 0; i < 8; i++)
        {
            await AdvanceUntilRenewedAsync(renewed);
        }

        Assert.Empty(fence.Calls);
        Assert.Equal([1L], endpoint.Acquired.ToArray());
        await StopAsync(stop, run);
    }

    [Theory]
    [MemberData(nameof(Timers))]
    public async Task SlowAcquire_NoRenewalSucceeds_TheAgentStillFencesAtTheAcquiresSendPlusTMinusF(string timers)
    {
        // The fix above suppresses no genuine fence: the acquire answers slowly, every renewal fails, and the fence fires
        // at the acquire's send + T − F (4 s), not a tick before, and no later than a timer's lateness after.
        var endpoint = new FakeEndpoint(_time) { AcquireDelay = TimeSpan.FromMilliseconds(1500), RenewFails = true };
        var fence = new FakeFence(_time);
        await using var keeper = new LeaseKeeper(endpoint, fence, new LeaseKeeperOptions { NextIncarnation = last => last + 1 }, TimersOf(timers), NullLogger<LeaseKeeper>.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => keeper.RunAsync(stop.Token));
        await endpoint.AcquireStarted.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var origin = Now.SinceOrigin - fence.Origin;
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        await UntilAsync(() => !endpoint.Stated.IsEmpty, "the first renewal (it fails)");
        _time.Advance(TimeSpan.FromMilliseconds(2500) - Tick);
        Assert.Empty(fence.Calls);
        for (var i = 0; i < 100 && fence.Calls.IsEmpty; i++)
        {
            _time.Advance(i == 0 ? Tick : TimeSpan.FromMilliseconds(1));
        }

        var call = await fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.InRange(call.At - origin, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4) + Lateness(timers));
        Assert.Contains("no successful renewal", call.Reason, StringComparison.Ordinal);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task AcquireAnsweredTooLateToRenewInTime_IsRefused_AndTheJoinIsTriedAgain_WithNoFence()
    {
        // An acquire sent while the network was cut, answered after the heal through TCP's retransmits: 3.5 s after its
        // send, past T − F − I (3 s), so its first renewal could not end before its fence time (4 s). Arming the fence (and
        // the guard) from that send would fence the new incarnation at once. The grant is refused; the next join is used.
        var timers = new RecordingTimers(_time);
        var endpoint = new FakeEndpoint(_time) { AcquireDelay = TimeSpan.FromMilliseconds(3500) };
        var fence = new FakeFence(_time);
        var options = new LeaseKeeperOptions { NextIncarnation = last => last + 1, FirstJoinTimeout = TimeSpan.FromSeconds(10) };
        await using var keeper = new LeaseKeeper(endpoint, fence, options, timers, NullLogger<LeaseKeeper>.Instance);
        var renewed = Channel.CreateUnbounded<Instant>();
        keeper.Renewed += sent => renewed.Writer.TryWrite(sent);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => keeper.RunAsync(stop.Token));
        Assert.Equal(1L, await endpoint.AcquireStarted.Reader.ReadAsync().AsTask().WaitAsync(Bound));
        endpoint.AcquireDelay = TimeSpan.Zero;
        _time.Advance(TimeSpan.FromMilliseconds(3500));

        // The refusal is followed by the join backoff (200 ms + up to 20 % jitter); its timer is set before the clock moves on.
        await UntilAsync(() => timers.DueTimes.Any(d => d >= TimeSpan.FromMilliseconds(200) && d <= TimeSpan.FromMilliseconds(240)), "the join backoff");
        var sent = await AdvanceUntilRenewedAsync(renewed);
        Assert.Equal([1L, 2L], endpoint.Acquired.ToArray());
        Assert.Equal(2L, keeper.Grant!.Incarnation);
        Assert.InRange(sent.SinceOrigin - fence.Origin, TimeSpan.FromMilliseconds(3700), TimeSpan.FromMilliseconds(3800));
        Assert.Empty(fence.Calls);
        Assert.True(keeper.IsFresh);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task RejoinAttempt_WaitsForItsAnswerOnlyWhileItIsUsable_ThenTriesAgain()
    {
        // After a fence the keeper knows I and T: an attempt with no answer T − F − I (3 s) after its send is abandoned (a
        // connect stuck in TCP retries would otherwise be answered long after), and the next one is made.
        await StartAndJoinAsync();
        _endpoint.RenewRejects = true;
        _endpoint.AcquireDelay = TimeSpan.FromSeconds(30);
        _time.Advance(I);
        await _fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound); // 409: fenced
        Assert.Equal(1L, await _endpoint.AcquireStarted.Reader.ReadAsync().AsTask().WaitAsync(Bound));
        Assert.Equal(2L, await _endpoint.AcquireStarted.Reader.ReadAsync().AsTask().WaitAsync(Bound)); // the rejoin, unanswered
        _endpoint.RenewRejects = false;
        _time.Advance(TimeSpan.FromSeconds(3) - Tick);
        await Task.Delay(50);
        Assert.Equal([1L, 2L], _endpoint.Acquired.ToArray());
        _endpoint.AcquireDelay = TimeSpan.Zero;
        _time.Advance(Tick); // abandoned: the next attempt follows the backoff
        await AdvanceUntilRenewedAsync(_renewed);
        Assert.Equal([1L, 2L, 3L], _endpoint.Acquired.ToArray());
        Assert.Equal(3L, _keeper.Grant?.Incarnation);
        Assert.Single(_fence.Calls);
    }

    [Theory]
    [MemberData(nameof(Timers))]
    public async Task StaleFenceTimerCallback_AfterARejoin_DoesNotFenceTheNewIncarnation(string timers)
    {
        // Incarnation 1's renewal sent at 1 s hangs; its fence timer fires at 4 s and its deferral check takes a while.
        // Meanwhile the hung renewal is answered 409: incarnation 1 fences and incarnation 2 joins. The old callback then
        // finds "do not defer": it must not fence incarnation 2, whose own lease is fresh.
        var endpoint = new FakeEndpoint(_time) { RenewHangs = true };
        var fence = new FakeFence(_time);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checks = 0;
        var options = new LeaseKeeperOptions
        {
            NextIncarnation = last => last + 1,
            Deferral = () =>
            {
                if (Interlocked.Increment(ref checks) == 1)
                {
                    entered.TrySetResult();
                    release.Task.Wait(Bound);
                }

                return DeferralDecision.No("this server hears no peer");
            },
        };
        await using var keeper = new LeaseKeeper(endpoint, fence, options, TimersOf(timers), NullLogger<LeaseKeeper>.Instance);
        var renewed = Channel.CreateUnbounded<Instant>();
        keeper.Renewed += sent => renewed.Writer.TryWrite(sent);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => keeper.RunAsync(stop.Token));
        await renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        // The fake clock runs timer callbacks on the thread that advances it: that thread stays in the deferral check.
        var advancing = Task.Run(() => _time.Advance(TimeSpan.FromMilliseconds(4100)));
        await entered.Task.WaitAsync(Bound);
        endpoint.RenewRejects = true;
        endpoint.Release();
        var revoked = await fence.Next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Contains("revoked", revoked.Reason, StringComparison.Ordinal);
        await UntilAsync(() => keeper.Grant?.Incarnation == 2, "incarnation 2 to join");
        endpoint.RenewRejects = false;

        release.SetResult();
        await advancing.WaitAsync(Bound);
        Assert.Single(fence.Calls);
        Assert.Equal(2L, keeper.Grant?.Incarnation);
        Assert.True(keeper.IsFresh);

        // Incarnation 2 renews on; nothing fences it for two windows.
        for (var i = 0; i < 8; i++)
        {
            await AdvanceUntilRenewedAsync(renewed);
        }

        Assert.Single(fence.Calls);
        Assert.Equal(2L, keeper.Grant?.Incarnation);
        await StopAsync(stop, run);
    }

    /// <summary>Advances the clock in 100 ms steps until a renewal succeeds (at most 2 s: one interval, with room for
    /// late timers), then waits for it.</summary>
    private async Task<Instant> AdvanceUntilRenewedAsync(Channel<Instant> renewed)
    {
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            if (renewed.Reader.TryRead(out var sent))
            {
                return sent;
            }

            await Task.Delay(5);
        }

        return await renewed.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }

    /// <summary>The fake clock, with every timer firing <paramref name="early"/> before the time it was set for.</summary>
    private sealed class EarlyTimers(FakeTimeProvider inner, TimeSpan early) : TimeProvider
    {
        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Early(inner.CreateTimer(callback, state, Shift(dueTime, early), Shift(period, early)), early);

        private static TimeSpan Shift(TimeSpan t, TimeSpan by) => t == Timeout.InfiniteTimeSpan || t <= by ? t : t - by;

        private sealed class Early(ITimer timer, TimeSpan early) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(Shift(dueTime, early), Shift(period, early));

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    /// <summary>The fake clock, recording the due time of every timer set on it (so a test can wait for one to exist).</summary>
    private sealed class RecordingTimers(FakeTimeProvider inner) : TimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            DueTimes.Enqueue(dueTime);
            return timer;
        }
    }

    /// <summary>The fake clock, with every timer firing <paramref name="late"/> after the time it was set for.</summary>
    private sealed class LateTimers(FakeTimeProvider inner, TimeSpan late) : TimeProvider
    {
        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Late(inner.CreateTimer(callback, state, Shift(dueTime, late), Shift(period, late)), late);

        private static TimeSpan Shift(TimeSpan t, TimeSpan by) => t == Timeout.InfiniteTimeSpan ? t : t + by;

        private sealed class Late(ITimer timer, TimeSpan late) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(Shift(dueTime, late), Shift(period, late));

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    private sealed class FakeEndpoint(FakeTimeProvider time) : ILeaseEndpoint
    {
        private readonly TaskCompletionSource _hang = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<long> Acquired { get; } = new();

        public volatile bool RenewFails;
        public volatile bool RenewRejects;
        public volatile bool RenewHangs;

        public TimeSpan RenewDelay { get; set; }

        private int _delayedRenewals;

        /// <summary>How many renewals have started their <see cref="RenewDelay"/> on the fake clock.</summary>
        public int DelayedRenewals => Volatile.Read(ref _delayedRenewals);

        /// <summary>The isolation action the answers state (null: none, as an API that states none).</summary>
        public IsolationAction? StatedIsolationAction { get; set; }

        /// <summary>The T and ratio the join grants.</summary>
        public (TimeSpan Timeout, int Ratio) Grant { get; set; } = (T, 1);

        /// <summary>The T and ratio renewal answers state (null: none, as before).</summary>
        public (TimeSpan Timeout, int Ratio)? Answer { get; set; }

        /// <summary>What each renewal stated (T, timeoutRatioAck), whether or not it succeeded.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<(TimeSpan Timeout, int RatioAck)> Stated { get; } = new();

        /// <summary>How long each acquire takes to answer (on the fake clock; a cancellation ends it).</summary>
        public TimeSpan AcquireDelay { get; set; }

        public async Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Acquired.Enqueue(incarnation);
            AcquireStarted.Writer.TryWrite(incarnation);
            if (AcquireDelay > TimeSpan.Zero)
            {
                await Task.Delay(AcquireDelay, time, cancellationToken);
            }

            return new JoinGrant(incarnation, I, Grant.Timeout, "store-1", 10, TimeoutRatio: Grant.Ratio, IsolationAction: StatedIsolationAction);
        }

        /// <summary>Each acquire's incarnation, as it is sent.</summary>
        public Channel<long> AcquireStarted { get; } = Channel.CreateUnbounded<long>();

        public async Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<Clp.Core.Model.RelayedRenewal> relayed, CancellationToken cancellationToken)
        {
            Stated.Enqueue((timeout, timeoutRatioAck));
            if (RenewHangs)
            {
                await _hang.Task;
            }

            if (RenewDelay > TimeSpan.Zero)
            {
                // The delay's timer exists on the fake clock before the test may advance it (counted after creation).
                var delay = Task.Delay(RenewDelay, time, CancellationToken.None);
                Interlocked.Increment(ref _delayedRenewals);
                await delay;
            }

            if (RenewRejects)
            {
                throw new LeaseRejectedException("revoked by the controller");
            }

            if (RenewFails)
            {
                throw new HttpRequestException("connection refused");
            }

            Relayed.Enqueue([.. relayed]);
            if (StatedIsolationAction is not null)
            {
                return new RenewAnswer(null, [], Answer?.Timeout, Answer?.Ratio, StatedIsolationAction);
            }

            return Answer is { } answer ? new RenewAnswer(null, [], answer.Timeout, answer.Ratio) : RenewAnswer.Empty;
        }

        public System.Collections.Concurrent.ConcurrentQueue<List<Clp.Core.Model.RelayedRenewal>> Relayed { get; } = new();

        public void Release() => _hang.TrySetResult();
    }

    private sealed class FakeFence(FakeTimeProvider time) : IFence
    {
        /// <summary>The clock's reading when the test began: every recorded instant is relative to it.</summary>
        public TimeSpan Origin { get; } = Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency).SinceOrigin;

        public System.Collections.Concurrent.ConcurrentQueue<(TimeSpan At, string Reason, TimeSpan Budget)> Calls { get; } = new();

        public Channel<(TimeSpan At, string Reason, TimeSpan Budget)> Next { get; } = Channel.CreateUnbounded<(TimeSpan, string, TimeSpan)>();

        /// <summary>When set, a fence ends only once the test completes it (a stop that takes time).</summary>
        public TaskCompletionSource? Hold { get; set; }

        public Task FenceAsync(string reason, TimeSpan budget, CancellationToken cancellationToken)
        {
            var call = (Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency).SinceOrigin - Origin, reason, budget);
            Calls.Enqueue(call);
            Next.Writer.TryWrite(call);
            return Hold?.Task ?? Task.CompletedTask;
        }
    }
}
