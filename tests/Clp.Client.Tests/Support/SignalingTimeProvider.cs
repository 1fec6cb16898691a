using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Client.Tests.Support;

/// <summary>A <see cref="FakeTimeProvider"/> that reports every timer created on it, so the test (the only
/// driver of this clock) advances exactly when the code under test waits, by exactly what it waits. Timers
/// created disarmed (infinite due time) are not reported.</summary>
internal sealed class SignalingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _created.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>The due time of the next timer created.</summary>
    public Task<TimeSpan> NextTimerAsync(string awaited) => _created.Reader.ReadAsync(awaited);

    /// <summary>Whether a timer was created that no <see cref="NextTimerAsync"/> has taken.</summary>
    public bool HasPendingTimer => _created.Reader.TryPeek(out _);
}
