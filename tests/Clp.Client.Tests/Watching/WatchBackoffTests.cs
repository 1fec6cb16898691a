using Clp.Client.Watching;

namespace Clp.Client.Tests.Watching;

/// <summary>The reconnect delay, one row per rule: doubling per failure, equal jitter between half and all of
/// the base, the cap, and no overflow after very many failures.</summary>
public class WatchBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 0.0, 125)]
    [InlineData(1, 1.0, 250)]
    [InlineData(1, 0.5, 187.5)]
    [InlineData(2, 0.0, 250)]
    [InlineData(2, 1.0, 500)]
    [InlineData(6, 1.0, 8000)]
    [InlineData(7, 1.0, 10000)] // 16 s capped at the limit
    [InlineData(7, 0.0, 5000)]
    [InlineData(1000, 1.0, 10000)]
    [InlineData(int.MaxValue, 0.0, 5000)]
    public void Delay_FailuresAndDraw_IsTheJitteredCappedExponential(int failures, double random, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WatchBackoff.Delay(failures, Initial, Max, random));
    }

    [Fact]
    public void Delay_NoFailure_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WatchBackoff.Delay(0, Initial, Max, 0.5));
    }
}
