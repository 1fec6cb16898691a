namespace Clp.Policy.Time;

/// <summary>A point on ONE machine's monotonic clock, in <see cref="TimeSpan"/> ticks since an arbitrary
/// origin (the process's timestamp origin).</summary>
/// <remarks>
/// Instants are only comparable with instants taken on the same clock of the same process: the
/// controller's receive times with the controller's own start, the agent's send times with the
/// agent's own now. Never store one for another machine or process to read (DESIGN "Leases and
/// safety": durations on monotonic clocks, never compared across machines); persist durations or
/// wall-clock timestamps instead.
/// </remarks>
public readonly record struct Instant(long Ticks) : IComparable<Instant>
{
    /// <summary>The clock's origin; useful in tests.</summary>
    public static Instant Origin => default;

    /// <summary>Converts a raw monotonic timestamp (<c>TimeProvider.GetTimestamp()</c> with its
    /// <c>TimestampFrequency</c>) without overflowing for large timestamps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frequency is not positive.</exception>
    public static Instant FromTimestamp(long timestamp, long frequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequency);
        if (frequency == TimeSpan.TicksPerSecond)
        {
            return new(timestamp);
        }

        // Split whole seconds from the remainder: timestamp * TicksPerSecond overflows after about
        // 15 minutes at a 1 GHz frequency.
        var seconds = Math.DivRem(timestamp, frequency, out var rest);
        return new(checked((seconds * TimeSpan.TicksPerSecond) + (rest * TimeSpan.TicksPerSecond / frequency)));
    }

    /// <summary>The instant <paramref name="sinceOrigin"/> after <see cref="Origin"/>.</summary>
    public static Instant At(TimeSpan sinceOrigin) => new(sinceOrigin.Ticks);

    public TimeSpan SinceOrigin => TimeSpan.FromTicks(Ticks);

    public static Instant Max(Instant a, Instant b) => a.Ticks >= b.Ticks ? a : b;

    public static Instant Min(Instant a, Instant b) => a.Ticks <= b.Ticks ? a : b;

    public static Instant operator +(Instant instant, TimeSpan duration) => new(checked(instant.Ticks + duration.Ticks));

    public static Instant operator -(Instant instant, TimeSpan duration) => new(checked(instant.Ticks - duration.Ticks));

    /// <summary>The duration between two instants of the same clock.</summary>
    public static TimeSpan operator -(Instant later, Instant earlier) => TimeSpan.FromTicks(checked(later.Ticks - earlier.Ticks));

    public static bool operator <(Instant a, Instant b) => a.Ticks < b.Ticks;

    public static bool operator >(Instant a, Instant b) => a.Ticks > b.Ticks;

    public static bool operator <=(Instant a, Instant b) => a.Ticks <= b.Ticks;

    public static bool operator >=(Instant a, Instant b) => a.Ticks >= b.Ticks;

    public int CompareTo(Instant other) => Ticks.CompareTo(other.Ticks);

    public override string ToString() => $"@{SinceOrigin:c}";
}
