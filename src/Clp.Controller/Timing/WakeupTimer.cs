using Clp.Policy.Time;

namespace Clp.Controller.Timing;

/// <summary>A one-shot timer armed at an instant of the controller's clock (not a periodic scan). Arming
/// it at the instant it is already armed at is a no-op, so re-arming with unchanged inputs never moves
/// it; a timer computed from an earlier "now" can only fire late, never early.</summary>
internal sealed class WakeupTimer(TimeProvider clock, Action fire) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>The instant it fires at; null when disarmed.</summary>
    public Instant? ArmedAt { get; private set; }

    /// <summary>Arms at <paramref name="at"/> (null disarms).</summary>
    public void ArmAt(Instant? at)
    {
        lock (_gate)
        {
            if (_disposed || at == ArmedAt)
            {
                return;
            }

            ArmedAt = at;
            if (at is not { } due)
            {
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            var delay = due - Instant.FromTimestamp(clock.GetTimestamp(), clock.TimestampFrequency);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            _timer ??= clock.CreateTimer(_ => Fired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Fired()
    {
        lock (_gate)
        {
            ArmedAt = null;
        }

        fire();
    }
}
