using Clp.Controller.Timing;
using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Controller.Tests.Timing;

/// <summary>The one-shot timer behind down judgements: fires at its instant, not before; re-arming at the
/// same instant does not move it; a later instant moves it.</summary>
public sealed class WakeupTimerTests
{
    [Fact]
    public void ArmAt_FiresAtTheInstant_NotOneTickBefore()
    {
        var clock = new FakeTimeProvider();
        var fired = 0;
        using var timer = new WakeupTimer(clock, () => fired++);
        var at = Now(clock) + TimeSpan.FromSeconds(3);
        timer.ArmAt(at);
        clock.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, fired);
        Assert.Null(timer.ArmedAt);
    }

    [Fact]
    public void ArmAt_SameInstant_DoesNotMoveIt_LaterInstantDoes_NullDisarms()
    {
        var clock = new FakeTimeProvider();
        var fired = 0;
        using var timer = new WakeupTimer(clock, () => fired++);
        var at = Now(clock) + TimeSpan.FromSeconds(3);
        timer.ArmAt(at);
        clock.Advance(TimeSpan.FromSeconds(1));
        timer.ArmAt(at);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, fired);

        timer.ArmAt(Now(clock) + TimeSpan.FromSeconds(1));
        timer.ArmAt(Now(clock) + TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
        timer.ArmAt(null);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, fired);
    }

    private static Instant Now(TimeProvider clock) => Instant.FromTimestamp(clock.GetTimestamp(), clock.TimestampFrequency);
}
