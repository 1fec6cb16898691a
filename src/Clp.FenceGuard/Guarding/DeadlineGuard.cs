using Clp.Core.Drivers;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;

namespace Clp.FenceGuard.Guarding;

/// <summary>The fence guard's logic (DESIGN "Leases and safety" rule 11): holds the latest deadline the agent
/// armed, and when it passes without a re-arm or a disarm, releases the server's resources within the budget
/// and powers the server off if anything is still held when the budget ends.</summary>
/// <remarks>
/// <para>One one-shot <see cref="TimeProvider"/> timer, re-armed by every <see cref="Arm"/> at
/// <see cref="GuardTiming.ActAt"/> (D + F / 10; see <see cref="GuardTiming"/> for why a little after the agent's own
/// fence time); a deadline already past fires at once. Every arm replaces the previous one, whatever its incarnation:
/// messages from one agent arrive in order, and a new incarnation's first arm follows its join.</para>
/// <para>A disarm cancels the deadline but not a release under way: a release is idempotent and stopping it half way
/// is worse than finishing it. Power off is asked for at <see cref="ArmOrder.ReleaseBy"/> (D + F = send + T) when
/// something is still held then, or as soon as every group finished with something held.</para>
/// <para>Failure modes operators must know: the guard is a process like the agent and can itself be frozen or killed
/// (then nothing releases a frozen agent's resources; <c>/dev/watchdog</c> is the production answer where it exists);
/// the resource list is the one the agent sent with its last renewal, so a resource created and started within one
/// heartbeat interval before the agent froze is not on it.</para>
/// </remarks>
public sealed partial class DeadlineGuard : IAsyncDisposable
{
    private readonly ServerRelease _release;
    private readonly ISystemActions _system;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _releasing = new(1, 1);
    private readonly object _gate = new();
    private ArmOrder? _armed;
    private IReadOnlyList<GuardGroup>? _groups;
    private bool _busy;
    private GuardFire? _lastFire;

    public DeadlineGuard(ServerRelease release, ISystemActions system, TimeProvider time, ILogger logger)
    {
        _release = release;
        _system = system;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(_ => _ = FireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised after each release (the process reports it; tests read outcomes from it).</summary>
    public event Action<GuardFire>? Fired;

    /// <summary>Arms (or moves) the deadline. <paramref name="groups"/> null keeps the last list. An incarnation
    /// whose deadline already fired (or an older one) is not armed again: its lease is over, its resources were
    /// released; the reply's <see cref="GuardReply.LastFire"/> tells its agent to fence and rejoin.</summary>
    /// <remarks>Why: a thawed agent's arm, queued before its freeze, arrives with the old, long past deadline.
    /// Arming it would fire again at once with no budget left, find the already released resources not yet
    /// confirmed gone, and power the server off for nothing.</remarks>
    /// <exception cref="InvalidOperationException">No list was ever given.</exception>
    public GuardReply Arm(long incarnation, Instant fenceAt, TimeSpan budget, TimeSpan timeout, IReadOnlyList<GuardGroup>? groups)
    {
        lock (_gate)
        {
            if (_lastFire is { } fired && incarnation <= fired.Incarnation)
            {
                LogStaleArm(incarnation, fired.Incarnation);
                return Reply();
            }

            var list = groups ?? _groups ?? throw new InvalidOperationException("arm without groups: the guard has no resource list yet; send it");
            _groups = list;
            _armed = new ArmOrder(incarnation, fenceAt, budget < TimeSpan.Zero ? TimeSpan.Zero : budget, timeout, list);
            Schedule(_armed.ActAt);
            return Reply();
        }
    }

    /// <summary>Cancels the deadline; a release under way finishes.</summary>
    public GuardReply Disarm(string reason)
    {
        lock (_gate)
        {
            if (_armed is { } armed)
            {
                LogDisarmed(armed.Incarnation, reason);
            }

            _armed = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return Reply();
        }
    }

    public GuardReply Status()
    {
        lock (_gate)
        {
            return Reply();
        }
    }

    private async Task FireAsync()
    {
        await _releasing.WaitAsync(CancellationToken.None);
        try
        {
            ArmOrder order;
            lock (_gate)
            {
                // A re-arm or disarm may have won the race with this callback.
                if (_armed is not { } armed)
                {
                    return;
                }

                // A system timer counts whole milliseconds and may fire a fraction early: wait out the rest.
                if (armed.ActAt > Now())
                {
                    Schedule(armed.ActAt);
                    return;
                }

                order = armed;
                _armed = null;
                _busy = true;
            }

            await ReleaseAsync(order);
        }
        finally
        {
            lock (_gate)
            {
                _busy = false;
            }

            _releasing.Release();
        }
    }

    private async Task ReleaseAsync(ArmOrder order)
    {
        var now = Now();
        var left = order.ReleaseBy - now;
        LogFiring(order.Incarnation, order.LeaseAge(now).TotalMilliseconds, order.Timeout.TotalMilliseconds, Math.Max(0, left.TotalMilliseconds));

        // The budget ends at D + F whatever the lateness of this timer: a late start shortens the release, never
        // the deadline of the power off.
        using var budget = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
        var held = await _release.ReleaseAsync(order.Groups, budget.Token);
        var age = order.LeaseAge(Now());
        var fire = new GuardFire
        {
            Incarnation = order.Incarnation,
            LeaseAgeMs = age.TotalMilliseconds,
            TimeoutMs = order.Timeout.TotalMilliseconds,
            Released = [.. order.Groups.SelectMany(g => g.Resources).Select(r => r.Name).Where(n => !held.Contains(n, StringComparer.OrdinalIgnoreCase))],
            Held = held,
            PoweredOff = held.Count > 0,
        };
        lock (_gate)
        {
            _lastFire = fire;
        }

        if (held.Count > 0)
        {
            LogEscalating(string.Join(", ", held), age.TotalMilliseconds);
            Fired?.Invoke(fire);

            // Something outlived the budget: only a power off releases it by lease age T.
            await _system.PowerOffAsync($"fence guard: lease of incarnation {order.Incarnation} expired; still held after the budget: {string.Join(", ", held)}", CancellationToken.None);
            return;
        }

        if (age > order.Timeout)
        {
            LogReleasedLate(order.Incarnation, fire.Released.Count, age.TotalMilliseconds, order.Timeout.TotalMilliseconds);
        }
        else
        {
            LogReleased(order.Incarnation, fire.Released.Count, age.TotalMilliseconds, order.Timeout.TotalMilliseconds);
        }

        Fired?.Invoke(fire);
    }

    /// <summary>Sets the one-shot timer for <paramref name="at"/>, rounded UP to the millisecond (timers count whole
    /// milliseconds; rounding down would fire before the instant). Called under the gate.</summary>
    private void Schedule(Instant at) => _timer.Change(TimerDue.Until(at, Now()), Timeout.InfiniteTimeSpan);

    private GuardReply Reply() => new()
    {
        Ok = true,
        State = _busy ? "Releasing" : _armed is null ? "Disarmed" : "Armed",
        GuardPid = Environment.ProcessId,
        ArmedIncarnation = _armed?.Incarnation,
        ActAtTicks = _armed?.ActAt.Ticks,
        LastFire = _lastFire,
    };

    private Instant Now() => Instant.FromTimestamp(_time.GetTimestamp(), _time.TimestampFrequency);

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        _releasing.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not arming incarnation {Incarnation}: the deadline of incarnation {Fired} already fired (its agent must fence and rejoin)")]
    private partial void LogStaleArm(long incarnation, long fired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disarmed (incarnation {Incarnation}): {Reason}")]
    private partial void LogDisarmed(long incarnation, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Deadline of incarnation {Incarnation} passed (lease age {AgeMs} ms, T {TimeoutMs} ms): releasing this server's resources within {BudgetMs} ms")]
    private partial void LogFiring(long incarnation, double ageMs, double timeoutMs, double budgetMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence guard released incarnation {Incarnation}'s {Count} resources at lease age {AgeMs} ms (heartbeat timeout {TimeoutMs} ms)")]
    private partial void LogReleased(long incarnation, int count, double ageMs, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fence guard released incarnation {Incarnation}'s {Count} resources at lease age {AgeMs} ms, after the heartbeat timeout {TimeoutMs} ms")]
    private partial void LogReleasedLate(long incarnation, int count, double ageMs, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fence guard budget spent with {Resources} still held at lease age {AgeMs} ms: powering off")]
    private partial void LogEscalating(string resources, double ageMs);
}
