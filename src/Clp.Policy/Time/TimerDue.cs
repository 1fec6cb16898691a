namespace Clp.Policy.Time;

/// <summary>Due times for one-shot timers that must not fire before an instant.</summary>
public static class TimerDue
{
    /// <summary>The wait until <paramref name="at"/> from <paramref name="now"/>, rounded UP to the millisecond
    /// (timers count whole milliseconds; rounding down would fire them before the instant); zero when past.</summary>
    public static TimeSpan Until(Instant at, Instant now)
    {
        var due = at - now;
        return due <= TimeSpan.Zero
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((due.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
    }
}
