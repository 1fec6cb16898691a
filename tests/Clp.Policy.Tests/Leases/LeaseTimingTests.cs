using Clp.Core.Model;
using Clp.Policy.Leases;
using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Policy.Tests.Leases;

/// <summary>DESIGN rules 2-4 arithmetic: M, F, the validity rules, the fence deadline and the
/// fresh-lease test for steps.</summary>
public class LeaseTimingTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static TimeSpan S(double s) => TimeSpan.FromSeconds(s);

    public static TheoryData<string, int, TimeSpan> Margins() => new()
    {
        { "T = 30 s: 0.1 T", 30_000, S(3) },
        { "T = 2.5 s: 0.1 T", 2_500, Ms(250) },
        { "T = 2 s: the 200 ms floor", 2_000, Ms(200) },
        { "T = 1 s: the 200 ms floor", 1_000, Ms(200) },
    };

    [Theory]
    [MemberData(nameof(Margins))]
    public void Margin_IsTenthOfTimeout_WithA200MsFloor(string row, int timeoutMs, TimeSpan expected)
    {
        var timing = LeaseTiming.From(new HeartbeatSpec { IntervalMs = 100, TimeoutMs = timeoutMs });

        Assert.True(expected == timing.Margin, $"{row}: {timing.Margin}");
        Assert.Equal(timing.Timeout + expected, timing.DownAfter);
    }

    [Fact]
    public void FenceBudget_IsTheLargerOfAFifthOfTAndTheLongestStopPath()
    {
        Assert.Equal(S(6), LeaseTiming.Create(S(3), S(30)).FenceBudget);
        Assert.Equal(S(6), LeaseTiming.Create(S(3), S(30), S(5)).FenceBudget);
        Assert.Equal(S(10), LeaseTiming.Create(S(3), S(30), S(10)).FenceBudget);
    }

    [Fact]
    public void TimeoutRatio_MultipliesTOnly()
    {
        var timing = LeaseTiming.Create(S(3), S(30), S(10), timeoutRatio: 2);

        Assert.Equal(S(60), timing.Timeout);
        Assert.Equal(S(3), timing.Interval);
        Assert.Equal(S(6), timing.Margin);
        Assert.Equal(S(12), timing.FenceBudget);
    }

    public static TheoryData<string, TimeSpan, TimeSpan, TimeSpan, string[]> ValidityRows() => new()
    {
        { "defaults", S(3), S(30), TimeSpan.Zero, [] },
        { "smallest legal interval and timeout", Ms(100), Ms(300), TimeSpan.Zero, [] },
        { "interval below 100 ms", Ms(99), S(3), TimeSpan.Zero, ["heartbeat-interval-min"] },
        { "timeout below 3 intervals", S(1), Ms(2999), TimeSpan.Zero, ["heartbeat-timeout-min"] },
        { "stop path at T - 2 I", S(3), S(30), S(24), [] },
        { "stop path one tick past T - 2 I", S(3), S(30), S(24) + TimeSpan.FromTicks(1), ["fence-budget-max"] },
    };

    [Theory]
    [MemberData(nameof(ValidityRows))]
    public void Validate_OneRowPerRule(string row, TimeSpan interval, TimeSpan timeout, TimeSpan stopPath, string[] rules)
    {
        var errors = LeaseTiming.Create(interval, timeout, stopPath).Validate();

        Assert.True(rules.SequenceEqual(errors.Select(e => e.Rule)), $"{row}: {string.Join("; ", errors.Select(e => e.Message))}");
    }

    [Fact]
    public void FenceAt_IsSendPlusTMinusF_OnTheAgentsClock()
    {
        var time = new FakeTimeProvider();
        var sent = Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
        var timing = LeaseTiming.Create(S(3), S(30), S(10));

        Assert.Equal(sent + S(20), timing.FenceAt(sent));
    }

    [Fact]
    public void CanStartStep_AgePlusStepTimeoutAtTheLimit_Yes_OneTickPast_No()
    {
        var time = new FakeTimeProvider();
        var timing = LeaseTiming.Create(S(3), S(30));                 // T - F = 24 s
        var sent = Now(time);

        time.Advance(S(20));
        Assert.True(timing.CanStartStep(Now(time), sent, S(4)));

        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(timing.CanStartStep(Now(time), sent, S(4)));
    }

    [Fact]
    public void CanStartStep_LeaseAgeCountsFromTheSendNotTheReply()
    {
        var time = new FakeTimeProvider();
        var timing = LeaseTiming.Create(S(3), S(30));
        var sent = Now(time);
        time.Advance(S(2));                                            // the reply arrives 2 s later

        Assert.Equal(S(2), LeaseTiming.LeaseAge(Now(time), sent));
        Assert.True(timing.CanStartStep(Now(time), sent, S(22)));
        Assert.False(timing.CanStartStep(Now(time), sent, S(22) + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void CanStartStep_NoSuccessfulRenewalYet_Never()
    {
        Assert.False(LeaseTiming.Create(S(3), S(30)).CanStartStep(Instant.Origin, null, TimeSpan.Zero));
    }

    [Fact]
    public void CanStartStep_InvalidConfiguration_Never()
    {
        var timing = LeaseTiming.Create(S(3), S(30), S(31));

        Assert.False(timing.CanStartStep(Instant.Origin, Instant.Origin, TimeSpan.Zero));
    }

    private static Instant Now(FakeTimeProvider time) => Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
}
