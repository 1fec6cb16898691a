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

    public static TheoryData<string, TimeSpan, TimeSpan, TimeSpan, TimeSpan, TimeSpan, bool> GrantRows() => new()
    {
        // row, I, T, longest stop path, answer age, T - F - I, usable
        { "T 3 s, I 1 s, F 0.6 s: answered at once", S(1), S(3), TimeSpan.Zero, TimeSpan.Zero, Ms(1400), true },
        { "T 3 s, I 1 s: answered at the limit", S(1), S(3), TimeSpan.Zero, Ms(1400), Ms(1400), true },
        { "T 3 s, I 1 s: one tick past", S(1), S(3), TimeSpan.Zero, Ms(1400) + TimeSpan.FromTicks(1), Ms(1400), false },
        { "T 6 s, I 0.5 s, stop path 4 s: F 4 s", Ms(500), S(6), S(4), Ms(1500), Ms(1500), true },
        { "T 6 s, I 0.5 s, stop path 60 s: F clamped to T - 2 I", Ms(500), S(6), S(60), Ms(600), Ms(500), false },
        { "a connect stuck in TCP retries, answered after the heal", S(1), S(3), TimeSpan.Zero, Ms(1590), Ms(1400), false },
    };

    [Theory]
    [MemberData(nameof(GrantRows))]
    public void CanUseGrant_OnlyWhileItsFirstRenewalCanEndBeforeTheFenceTime(
        string row, TimeSpan interval, TimeSpan timeout, TimeSpan stopPath, TimeSpan age, TimeSpan usableFor, bool usable)
    {
        var timing = LeaseTiming.Create(interval, timeout, stopPath);

        Assert.True(usableFor == timing.GrantUsableFor, $"{row}: {timing.GrantUsableFor}");
        Assert.True(usable == timing.CanUseGrant(age), row);
        Assert.True(timing.GrantUsableFor >= interval, $"{row}: T - F - I is at least I for a valid configuration");
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
        { "stop path one tick past T - 2 I: F is clamped to T - 2 I", S(3), S(30), S(24) + TimeSpan.FromTicks(1), [] },
        { "CLUSTERPRO's 30-minute stop timeouts: F is clamped", S(3), S(30), TimeSpan.FromMinutes(60), [] },
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

        time.Advance(S(22));
        Assert.True(timing.CanStartStep(Now(time), sent, S(2)));     // a step shorter than I: its own timeout counts

        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(timing.CanStartStep(Now(time), sent, S(2)));
    }

    [Fact]
    public void CanStartStep_ALongStep_NeedsOnlyOneIntervalOfFreshness_TheFenceCutsItShort()
    {
        var time = new FakeTimeProvider();
        var timing = LeaseTiming.Create(S(3), S(30));                 // T - F = 24 s, I = 3 s
        var sent = Now(time);

        time.Advance(S(21));
        Assert.True(timing.CanStartStep(Now(time), sent, TimeSpan.FromMinutes(30)));

        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(timing.CanStartStep(Now(time), sent, TimeSpan.FromMinutes(30)));
    }

    [Theory]
    [InlineData(0, 6)]           // no stop path: the 0.2 T floor
    [InlineData(10, 10)]         // within the range: the stop path
    [InlineData(24, 24)]         // exactly T - 2 I
    [InlineData(1800, 24)]       // longer: clamped to T - 2 I
    public void FenceBudget_IsTheStopPathClampedToTheRange(int stopPathSeconds, int expectedSeconds)
    {
        Assert.Equal(S(expectedSeconds), LeaseTiming.Create(S(3), S(30), S(stopPathSeconds)).FenceBudget);
    }

    [Fact]
    public void CanStartStep_LeaseAgeCountsFromTheSendNotTheReply()
    {
        var time = new FakeTimeProvider();
        var timing = LeaseTiming.Create(S(3), S(30));
        var sent = Now(time);
        time.Advance(S(2));                                            // the reply arrives 2 s later

        Assert.Equal(S(2), LeaseTiming.LeaseAge(Now(time), sent));
        time.Advance(S(19));                                           // age 21 s + I = T - F
        Assert.True(timing.CanStartStep(Now(time), sent, S(22)));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(timing.CanStartStep(Now(time), sent, S(22)));
    }

    [Fact]
    public void CanStartStep_NoSuccessfulRenewalYet_Never()
    {
        Assert.False(LeaseTiming.Create(S(3), S(30)).CanStartStep(Instant.Origin, null, TimeSpan.Zero));
    }

    [Fact]
    public void CanStartStep_InvalidConfiguration_Never()
    {
        var timing = LeaseTiming.Create(S(3), S(3), S(31));           // T < 3 I (refused by validation): T - F = 2.4 s < I

        Assert.NotEmpty(timing.Validate());
        Assert.False(timing.CanStartStep(Instant.Origin, Instant.Origin, S(3)));
    }

    private static Instant Now(FakeTimeProvider time) => Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
}
