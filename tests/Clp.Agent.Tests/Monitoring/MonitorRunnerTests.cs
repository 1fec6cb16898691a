using System.Text.Json.Nodes;
using Clp.Agent.Monitoring;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Drivers.Simulated;
using Clp.Policy.Recovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Tests.Monitoring;

public class MonitorRunnerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedWorld _world;
    private readonly RecordingActions _actions = new();

    public MonitorRunnerTests() => _world = new SimulatedWorld(_time);

    private static readonly MonitorContext Context = new("c1", "s1", "ipw1", "ipw", new JsonObject(), null, null);

    private MonitorRunner Runner(MonitorSpec spec, IMonitorProbe? probe = null, RecoveryTarget? target = null) =>
        new(Context, spec, MonitorTiming.Always, target ?? RecoveryTarget.ForGroup("g1"), probe ?? new SimulatedMonitorProbe("ipw", "s1", _world), _actions, _time, NullLogger<MonitorRunner>.Instance);

    private static MonitorSpec Spec(int retry = 0, int restarts = 2, int failovers = 1, FinalAction final = FinalAction.StopGroup, int startWait = 0) => new()
    {
        Type = "ipw",
        RetryCount = retry,
        TimeoutSeconds = 5,
        StartWaitSeconds = startWait,
        Recovery = new MonitorRecovery { TargetKind = RecoveryTargetKind.Group, Target = "g1", RestartCount = restarts, FailoverCount = failovers, FinalAction = final },
    };

    [Fact]
    public async Task StartWait_NoProbeBeforeIt_ProbesAtTheLimit()
    {
        var runner = Runner(Spec(startWait: 10));
        _world.FailProbe("s1", "ipw1");
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Null(await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(ObjectState.Unused, runner.Status);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, false, CancellationToken.None));
    }

    [Fact]
    public async Task ActiveTiming_DoesNotProbeWhileTargetInactive()
    {
        var spec = Spec();
        spec.Timing = MonitorTiming.Active;
        _world.FailProbe("s1", "ipw1");
        var runner = Runner(spec);
        Assert.Null(await runner.RunOnceAsync(targetActiveHere: false, false, CancellationToken.None));
        Assert.Empty(_actions.Calls);
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(targetActiveHere: true, false, CancellationToken.None));
    }

    [Fact]
    public async Task Errors_RestartNTimes_ThenFailoverMTimes_ThenFinalActionOnce()
    {
        var runner = Runner(Spec(retry: 1));
        _world.FailProbe("s1", "ipw1");
        var verdicts = new List<MonitorVerdict?>();
        for (var i = 0; i < 12; i++)
        {
            verdicts.Add(await runner.RunOnceAsync(true, false, CancellationToken.None));
        }

        // retry 1: every second failure is an error.
        Assert.Equal(6, verdicts.Count(v => v == MonitorVerdict.Error));
        Assert.Equal(["Restart", "Restart", "Failover", "Final:StopGroup"], _actions.Calls);
        Assert.Equal(ObjectState.Error, runner.Status);
    }

    [Fact]
    public async Task Recovery_ResetsRestarts()
    {
        var runner = Runner(Spec(restarts: 1));
        _world.FailProbe("s1", "ipw1");
        await runner.RunOnceAsync(true, false, CancellationToken.None);
        _world.HealProbe("s1", "ipw1");
        Assert.Equal(MonitorVerdict.Recovered, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(ObjectState.Normal, runner.Status);
        _world.FailProbe("s1", "ipw1");
        await runner.RunOnceAsync(true, false, CancellationToken.None);
        Assert.Equal(["Restart", "Restart"], _actions.Calls);
    }

    [Fact]
    public async Task HungProbe_TimesOutAsAFailure()
    {
        var runner = Runner(Spec(), new HangingProbe());
        var run = runner.RunOnceAsync(true, false, CancellationToken.None);
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(MonitorVerdict.Error, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("timed out", runner.LastMessage, StringComparison.Ordinal);
        Assert.Equal(["Restart"], _actions.Calls);
    }

    [Fact]
    public async Task SuppressedRecovery_ReportsButDoesNothing()
    {
        var runner = Runner(Spec());
        _world.FailProbe("s1", "ipw1");
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, recoverySuppressed: true, CancellationToken.None));
        Assert.Empty(_actions.Calls);
        Assert.Equal(ObjectState.Error, runner.Status);
    }

    [Fact]
    public async Task FailureVerification_FailsUntilRecoveryRuns_AndSuspendStopsProbing()
    {
        var runner = Runner(Spec());
        runner.InjectedFailure = "operator test";
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Contains("pseudo failure", runner.LastMessage, StringComparison.Ordinal);
        Assert.Null(runner.InjectedFailure);
        Assert.StartsWith("Restart of", runner.VerificationStep, StringComparison.Ordinal);
        Assert.Equal(MonitorVerdict.Recovered, await runner.RunOnceAsync(true, false, CancellationToken.None));
        runner.Suspended = true;
        _world.FailProbe("s1", "ipw1");
        Assert.Null(await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(ObjectState.Suspend, runner.Status);
        Assert.Equal(["Restart"], _actions.Calls);
    }

    [Fact]
    public async Task FailureVerification_LastsThroughTheRetries()
    {
        var runner = Runner(Spec(retry: 2));
        runner.InjectedFailure = "operator test";
        Assert.Equal(MonitorVerdict.Failing, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(MonitorVerdict.Failing, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.NotNull(runner.InjectedFailure);
        Assert.Null(runner.VerificationStep);
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(["Restart"], _actions.Calls);
        Assert.Null(runner.InjectedFailure);
    }

    [Fact]
    public async Task LocalServerTarget_GoesStraightToTheFinalAction()
    {
        var runner = Runner(Spec(final: FinalAction.StopClusterServiceAndReboot), target: RecoveryTarget.LocalServer);
        _world.FailProbe("s1", "ipw1");
        await runner.RunOnceAsync(true, false, CancellationToken.None);
        Assert.Equal(["Final:StopClusterServiceAndReboot"], _actions.Calls);
    }

    [Fact]
    public async Task TimeoutRatio_StretchesTheProbeTimeout()
    {
        // A probe that answers healthy after 7 s: past the 5 s timeout, within 2 x 5 s.
        var ratio = 2;
        var slow = new ScriptedProbe(_time, TimeSpan.FromSeconds(7), healthy: true);
        var runner = new MonitorRunner(Context, Spec(), MonitorTiming.Always, RecoveryTarget.ForGroup("g1"), slow, _actions, _time, NullLogger<MonitorRunner>.Instance)
        {
            TimeoutRatio = () => ratio,
        };
        var run = runner.RunOnceAsync(true, false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(MonitorVerdict.Normal, await run.WaitAsync(TimeSpan.FromSeconds(10)));

        // The ratio back at 1: the same probe times out at 5 s.
        ratio = 1;
        run = runner.RunOnceAsync(true, false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(MonitorVerdict.Error, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["Restart"], _actions.Calls);
    }

    [Fact]
    public async Task HungProbe_UnderTimeoutRatio_TimesOutAtRatioTimesItsTimeout_NotATickBefore()
    {
        var runner = new MonitorRunner(Context, Spec(), MonitorTiming.Always, RecoveryTarget.ForGroup("g1"), new HangingProbe(), _actions, _time, NullLogger<MonitorRunner>.Instance)
        {
            TimeoutRatio = () => 3,
        };
        var run = runner.RunOnceAsync(true, false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        Assert.False(run.IsCompleted, "the probe timed out before 3 x 5 s");
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(MonitorVerdict.Error, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("timeout 5 s x timeout ratio 3", runner.LastMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSuspended_NoProbeNoRecovery_ReadsSuspend_AndFailuresCountAfreshAfterTheResume()
    {
        var suspended = false;
        var probe = new ScriptedProbe(_time, TimeSpan.Zero, healthy: false);
        var runner = new MonitorRunner(Context, Spec(retry: 1), MonitorTiming.Always, RecoveryTarget.ForGroup("g1"), probe, _actions, _time, NullLogger<MonitorRunner>.Instance)
        {
            ClusterSuspended = () => suspended,
        };
        Assert.Equal(MonitorVerdict.Failing, await runner.RunOnceAsync(true, false, CancellationToken.None));

        suspended = true;
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await runner.RunOnceAsync(true, false, CancellationToken.None));
        }

        Assert.Equal(ObjectState.Suspend, runner.Status);
        Assert.Equal(1, probe.Calls);
        Assert.Empty(_actions.Calls);

        // Resumed: the failure before the suspend does not count; the retry count applies afresh.
        suspended = false;
        Assert.Equal(MonitorVerdict.Failing, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Empty(_actions.Calls);
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(["Restart"], _actions.Calls);
    }

    [Fact]
    public async Task ClusterSuspendedWhileTheProbeRuns_ItsFailureRecoversNothing()
    {
        var suspended = false;
        var probe = new ScriptedProbe(_time, TimeSpan.FromSeconds(2), healthy: false);
        var runner = new MonitorRunner(Context, Spec(), MonitorTiming.Always, RecoveryTarget.ForGroup("g1"), probe, _actions, _time, NullLogger<MonitorRunner>.Instance)
        {
            ClusterSuspended = () => suspended,
        };
        var run = runner.RunOnceAsync(true, false, CancellationToken.None);
        suspended = true;
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ObjectState.Suspend, runner.Status);
        Assert.Empty(_actions.Calls);
    }

    private sealed class RecordingActions : IRecoveryActions
    {
        public List<string> Calls { get; } = [];

        public Task RestartAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add("Restart");

        public Task RequestFailoverAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add("Failover");

        public Task FinalActionAsync(FinalAction action, RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add($"Final:{action}");

        private Task Add(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }

    /// <summary>Answers <c>healthy</c> after <c>delay</c> on the fake clock, and counts its probes.</summary>
    private sealed class ScriptedProbe(TimeProvider time, TimeSpan delay, bool healthy) : IMonitorProbe
    {
        public string Type => "ipw";

        public int Calls { get; private set; }

        public async Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken)
        {
            Calls++;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, CancellationToken.None);
            }

            return healthy ? ProbeResult.Ok() : ProbeResult.Failed("scripted failure");
        }
    }

    private sealed class HangingProbe : IMonitorProbe
    {
        public string Type => "ipw";

        public Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken) =>
            new TaskCompletionSource<ProbeResult>().Task; // ignores cancellation, as a stuck probe would
    }
}
