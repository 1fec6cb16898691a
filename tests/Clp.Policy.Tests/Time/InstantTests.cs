using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Policy.Tests.Time;

public class InstantTests
{
    [Fact]
    public void FromTimestamp_FakeTimeProvider_TracksAdvances()
    {
        var time = new FakeTimeProvider();
        var before = Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);

        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency) - before);
    }

    [Fact]
    public void FromTimestamp_NanosecondFrequencyAfterDays_DoesNotOverflow()
    {
        const long nanosecondsIn30Days = 30L * 24 * 3600 * 1_000_000_000;

        var instant = Instant.FromTimestamp(nanosecondsIn30Days + 250, 1_000_000_000);

        Assert.Equal(TimeSpan.FromDays(30) + TimeSpan.FromTicks(2), instant.SinceOrigin);
    }

    [Fact]
    public void Arithmetic_AndOrdering()
    {
        var a = Instant.At(TimeSpan.FromSeconds(10));
        var b = a + TimeSpan.FromSeconds(5);

        Assert.Equal(TimeSpan.FromSeconds(5), b - a);
        Assert.Equal(a, b - TimeSpan.FromSeconds(5));
        Assert.True(a < b && b > a && a <= b && b >= a && !(b <= a));
        Assert.Equal(b, Instant.Max(a, b));
        Assert.Equal(a, Instant.Min(a, b));
        Assert.Equal(-1, a.CompareTo(b));
    }

    [Fact]
    public void FromTimestamp_ZeroFrequency_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Instant.FromTimestamp(1, 0));
    }
}
