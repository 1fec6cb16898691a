using Clp.Core.Model;
using Clp.Core.Validation;
using Clp.Policy.Time;

namespace Clp.Policy.Leases;

/// <summary>The lease arithmetic of DESIGN "Leases and safety" rules 2-5: the down margin M, the
/// fence budget F, the agent's fence deadline and its fresh-lease test.</summary>
/// <remarks>
/// <para>T = <see cref="Timeout"/> (the heartbeat timeout times the timeout ratio), I =
/// <see cref="Interval"/> (not scaled by the ratio). M = max(0.1 T, 200 ms); F = the longest stop path
/// clamped to [0.2 T, T − 2 I]. Fractions round up: a longer M judges down later, a longer F fences
/// earlier; both err safe.</para>
/// <para>Agent side: the lease age is measured from when the agent SENT the last renewal that
/// succeeded, on the agent's own monotonic clock (it errs old, hence safe). The agent fences at
/// send + T − F: the fence cancels every step in flight and releases everything within F, powering the
/// server off if anything still runs when F is spent, so nothing runs past age T; the controller waits
/// T + M after the last RECEIVED renewal, which is later still, before it places the group elsewhere.
/// A step starts only while the lease has at least one more interval before T − F (age + min(step
/// timeout, I) &lt;= T − F): a step that outlives the lease is cut short by the fence, so its own timeout
/// (CLUSTERPRO's defaults are 30 minutes) need not fit inside T.</para>
/// <para>Why F is clamped: a planned stop uses each resource's full stop timeout, but a fence cannot wait
/// that long without letting the lease run out; stop paths longer than T − 2 I are fenced with the
/// budget T − 2 I and the power-off escalation behind it (documented; an operator who wants graceful
/// fences raises the heartbeat timeout).</para>
/// </remarks>
public sealed record LeaseTiming
{
    /// <summary>How many heartbeat intervals a vote token counts for after the API issued it
    /// (docs/partition-safety.md, section 6); the agent counts itself countable by a deferring side only
    /// this long after it received its newest token.</summary>
    public const int VoteValidityIntervals = 3;

    /// <summary>The floor of the down margin M.</summary>
    public static readonly TimeSpan MinMargin = TimeSpan.FromMilliseconds(200);

    /// <summary>The floor of the heartbeat interval.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private LeaseTiming(TimeSpan interval, TimeSpan timeout, TimeSpan longestStopPath, int timeoutRatio)
    {
        Interval = interval;
        Timeout = timeout;
        LongestStopPath = longestStopPath;
        TimeoutRatio = timeoutRatio;
    }

    public TimeSpan Interval { get; }

    /// <summary>T with the timeout ratio applied.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>See <see cref="StopPath"/>.</summary>
    public TimeSpan LongestStopPath { get; }

    public int TimeoutRatio { get; }

    /// <summary>M, what the controller waits beyond T before judging a server down.</summary>
    public TimeSpan Margin => MarginFor(Timeout);

    /// <summary>F, the time the agent reserves before age T to release everything: the longest stop path
    /// clamped to [0.2 T, T − 2 I] (never below 0.2 T).</summary>
    public TimeSpan FenceBudget => Max(CeilDiv(Timeout, 5), Min(LongestStopPath, Timeout - Times(Interval, 2)));

    /// <summary>T − F: the lease age by which the fence starts and every step must have ended.
    /// Negative when the configuration is invalid (then no step may start).</summary>
    public TimeSpan ActWindow => Timeout - FenceBudget;

    /// <summary>T − F − I: how long after its send a join's answer can still be used. The new incarnation's lease
    /// counts from the acquire's send, and its first renewal (sent at once, with a timeout of I) must be able to end
    /// before the fence time; a grant that arrives later would fence the incarnation at once. At least I for a valid
    /// configuration (F ≤ T − 2 I).</summary>
    public TimeSpan GrantUsableFor => ActWindow - Interval;

    /// <summary>Whether a grant that arrived <paramref name="age"/> after its acquire was sent may be used
    /// (<see cref="GrantUsableFor"/>, inclusive); otherwise the agent refuses it and joins again.</summary>
    public bool CanUseGrant(TimeSpan age) => age <= GrantUsableFor;

    /// <summary>T + M: the silence after which the controller judges a server down.</summary>
    public TimeSpan DownAfter => Timeout + Margin;

    /// <param name="longestStopPath">The longest stop path of the groups the server may hold; zero
    /// when only the 0.2 T floor matters.</param>
    /// <param name="timeoutRatio">CLUSTERPRO's timeout ratio (1 = none); it multiplies T only.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative duration or a ratio below 1.</exception>
    public static LeaseTiming Create(TimeSpan interval, TimeSpan timeout, TimeSpan longestStopPath = default, int timeoutRatio = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(longestStopPath, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutRatio, 1);
        return new(interval, TimeSpan.FromTicks(checked(timeout.Ticks * timeoutRatio)), longestStopPath, timeoutRatio);
    }

    /// <inheritdoc cref="Create"/>
    public static LeaseTiming From(HeartbeatSpec heartbeat, TimeSpan longestStopPath = default, int timeoutRatio = 1)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return Create(
            TimeSpan.FromMilliseconds(heartbeat.IntervalMs), TimeSpan.FromMilliseconds(heartbeat.TimeoutMs), longestStopPath, timeoutRatio);
    }

    /// <summary>M for a given T: max(0.1 T, 200 ms), rounded up.</summary>
    public static TimeSpan MarginFor(TimeSpan timeout) => Max(CeilDiv(timeout, 10), MinMargin);

    /// <summary>Every broken rule (empty when valid): I &lt; 100 ms, T &lt; 3 I, F > T − 2 I (only when
    /// 0.2 T itself exceeds T − 2 I, which T &gt;= 3 I rules out).</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (Interval < MinInterval)
        {
            errors.Add(new("spec.heartbeat.intervalMs", "heartbeat-interval-min",
                $"spec.heartbeat.intervalMs ({Interval.TotalMilliseconds} ms) must be at least {MinInterval.TotalMilliseconds} ms"));
        }

        if (Timeout < Times(Interval, 3))
        {
            errors.Add(new("spec.heartbeat.timeoutMs", "heartbeat-timeout-min",
                $"spec.heartbeat.timeoutMs ({Ms(Timeout)}) must be at least 3 x spec.heartbeat.intervalMs ({Ms(Times(Interval, 3))})"));
        }

        if (FenceBudget > Timeout - (Times(Interval, 2)))
        {
            errors.Add(new("spec.heartbeat.timeoutMs", "fence-budget-max",
                $"fence budget F ({Ms(FenceBudget)}: the longest stop path {Ms(LongestStopPath)} within [0.2 x timeout, timeout - 2 x interval]) must not exceed " +
                $"timeout - 2 x interval ({Ms(Timeout - (Times(Interval, 2)))}): raise spec.heartbeat.timeoutMs or shorten the stop timeouts"));
        }

        return errors;
    }

    /// <summary>The agent's fence deadline: send + T − F, on the agent's clock.</summary>
    public Instant FenceAt(Instant lastSuccessfulSend) => lastSuccessfulSend + ActWindow;

    /// <summary>The lease age at <paramref name="now"/>, both on the agent's clock.</summary>
    public static TimeSpan LeaseAge(Instant now, Instant lastSuccessfulSend) => now - lastSuccessfulSend;

    /// <summary>Whether a step with <paramref name="stepTimeout"/> may start: age + min(timeout, I) &lt;= T − F
    /// (DESIGN rule 4, with the fence cutting short a step that outlives the lease). No renewal has
    /// succeeded yet (null): never.</summary>
    public bool CanStartStep(Instant now, Instant? lastSuccessfulSend, TimeSpan stepTimeout) =>
        lastSuccessfulSend is { } sent && LeaseAge(now, sent) + Min(stepTimeout, Interval) <= ActWindow;

    private static TimeSpan CeilDiv(TimeSpan value, long divisor) =>
        TimeSpan.FromTicks((value.Ticks + divisor - 1) / divisor);

    private static TimeSpan Times(TimeSpan value, long factor) => TimeSpan.FromTicks(checked(value.Ticks * factor));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds} ms";
}
