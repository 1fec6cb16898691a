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
        Assert.Equal("Unused", runner.Status);
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
        Assert.Equal("Error", runner.Status);
    }

    [Fact]
    public async Task Recovery_ResetsRestarts()
    {
        var runner = Runner(Spec(restarts: 1));
        _world.FailProbe("s1", "ipw1");
        await runner.RunOnceAsync(true, false, CancellationToken.None);
        _world.HealProbe("s1", "ipw1");
        Assert.Equal(MonitorVerdict.Recovered, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal("Normal", runner.Status);
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
        Assert.Equal("Error", runner.Status);
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
        Assert.Equal("Suspend", runner.Status);
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

    private sealed class HangingProbe : IMonitorProbe
    {
        public string Type => "ipw";

        public Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken) =>
            new TaskCompletionSource<ProbeResult>().Task; // ignores cancellation, as a stuck probe would
    }
}
