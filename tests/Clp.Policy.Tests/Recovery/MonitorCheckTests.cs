using Clp.Core.Model;
using Clp.Policy.Recovery;
using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Policy.Tests.Recovery;

public class MonitorCheckTests
{
    private static readonly MonitorCheck RetryOnce = new(1, TimeSpan.Zero, MonitorTiming.Always);

    private static MonitorVerdict[] Run(MonitorCheck check, params ProbeOutcome[] outcomes)
    {
        var state = MonitorCheckState.Initial;
        var verdicts = new List<MonitorVerdict>();
        foreach (var outcome in outcomes)
        {
            var observation = check.Observe(state, outcome);
            verdicts.Add(observation.Verdict);
            state = observation.Next;
        }

        return [.. verdicts];
    }

    [Fact]
    public void Error_WhenFailuresExceedRetryCount_ThenRecoveredOnSuccess()
    {
        Assert.Equal(
            [MonitorVerdict.Failing, MonitorVerdict.Error, MonitorVerdict.Recovered, MonitorVerdict.Normal],
            Run(RetryOnce, ProbeOutcome.Failure, ProbeOutcome.Failure, ProbeOutcome.Success, ProbeOutcome.Success));
    }

    [Fact]
    public void Timeout_CountsAsAFailure()
    {
        Assert.Equal([MonitorVerdict.Failing, MonitorVerdict.Error], Run(RetryOnce, ProbeOutcome.Timeout, ProbeOutcome.Failure));
    }

    [Fact]
    public void RetryCountZero_FirstFailureIsAnError()
    {
        Assert.Equal([MonitorVerdict.Error], Run(RetryOnce with { RetryCount = 0 }, ProbeOutcome.Failure));
    }

    [Fact]
    public void AfterAnError_TheNextStepNeedsAsManyFailuresAgain()
    {
        Assert.Equal(
            [MonitorVerdict.Failing, MonitorVerdict.Error, MonitorVerdict.Failing, MonitorVerdict.Error],
            Run(RetryOnce, ProbeOutcome.Failure, ProbeOutcome.Failure, ProbeOutcome.Failure, ProbeOutcome.Timeout));
    }

    [Fact]
    public void SuccessWithinRetries_ResetsTheCount()
    {
        Assert.Equal(
            [MonitorVerdict.Failing, MonitorVerdict.Normal, MonitorVerdict.Failing],
            Run(RetryOnce, ProbeOutcome.Failure, ProbeOutcome.Success, ProbeOutcome.Failure));
    }

    [Fact]
    public void StartWait_AtTheLimit_Probes_OneTickBefore_DoesNot()
    {
        var time = new FakeTimeProvider();
        var check = new MonitorCheck(1, TimeSpan.FromSeconds(10), MonitorTiming.Always);
        var started = Now(time);

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(check.ShouldProbe(Now(time), started, targetActiveHere: true));

        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(check.ShouldProbe(Now(time), started, targetActiveHere: true));
    }

    [Theory]
    [InlineData(MonitorTiming.Always, false, true)]
    [InlineData(MonitorTiming.Always, true, true)]
    [InlineData(MonitorTiming.Active, false, false)]
    [InlineData(MonitorTiming.Active, true, true)]
    public void Timing_ActiveMonitorsProbeOnlyWhileTheirTargetIsActiveHere(MonitorTiming timing, bool active, bool probes)
    {
        var check = new MonitorCheck(1, TimeSpan.Zero, timing);

        Assert.Equal(probes, check.ShouldProbe(Instant.Origin, Instant.Origin, active));
    }

    [Fact]
    public void From_Spec_TakesTheTypesDefaultTimingWhenUnset()
    {
        var spec = new MonitorSpec { RetryCount = 2, StartWaitSeconds = 30 };

        Assert.Equal(new MonitorCheck(2, TimeSpan.FromSeconds(30), MonitorTiming.Active), MonitorCheck.From(spec, MonitorTiming.Active));
        spec.Timing = MonitorTiming.Always;
        Assert.Equal(MonitorTiming.Always, MonitorCheck.From(spec, MonitorTiming.Active).Timing);
    }

    private static Instant Now(FakeTimeProvider time) => Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
}
