using Clp.Drivers.Linux.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Drivers.Linux.Tests.Partitions;

/// <summary>A medium's own check: the deadline since the last good exchange, the budget of one exchange,
/// and an exchange that hangs (a stalled write or flush fails the check before it returns).</summary>
public class OwnCheckTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void Passes_BeforeAnyExchange_Fails()
    {
        Assert.False(new OwnCheck(new FakeTimeProvider(), Budget).Passes(Deadline));
    }

    [Fact]
    public void Passes_ExchangeRunningAtTheBudget_Passes_OneTickPast_Fails()
    {
        var clock = new FakeTimeProvider();
        var check = new OwnCheck(clock, Budget);
        check.Completed(check.Started(), failed: false);

        check.Started();
        clock.Advance(Budget);
        Assert.True(check.Passes(Deadline));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(check.Passes(Deadline));
    }

    [Fact]
    public void Passes_ExchangeThatTookLongerThanTheBudget_Fails_UntilAGoodOne()
    {
        var clock = new FakeTimeProvider();
        var check = new OwnCheck(clock, Budget);
        var start = check.Started();
        clock.Advance(Budget + TimeSpan.FromTicks(1));
        check.Completed(start, failed: false);
        Assert.False(check.Passes(Deadline));

        check.Completed(check.Started(), failed: false);
        Assert.True(check.Passes(Deadline));
    }

    [Fact]
    public void Passes_FailedExchangeAfterAGoodOne_Fails()
    {
        var clock = new FakeTimeProvider();
        var check = new OwnCheck(clock, Budget);
        check.Completed(check.Started(), failed: false);

        check.Completed(check.Started(), failed: true);

        Assert.False(check.Passes(Deadline));
    }
}
