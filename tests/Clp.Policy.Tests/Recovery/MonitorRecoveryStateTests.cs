using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Policy.Tests.Recovery;

/// <summary>Restart N times, fail over M times, final action once, then nothing until reset.</summary>
public class MonitorRecoveryStateTests
{
    private static readonly RecoveryTarget App = RecoveryTarget.ForResource("appli1", "failover1");

    private static MonitorRecovery Spec(int restarts, int failovers, FinalAction final) =>
        new() { TargetKind = RecoveryTargetKind.Resource, Target = "appli1", RestartCount = restarts, FailoverCount = failovers, FinalAction = final };

    private static (List<RecoveryStep> Steps, MonitorRecoveryState State) Errors(
        MonitorRecovery spec, RecoveryTarget target, int count, MonitorRecoveryState? from = null, bool suppressed = false)
    {
        var state = from ?? MonitorRecoveryState.Initial;
        var steps = new List<RecoveryStep>();
        for (var i = 0; i < count; i++)
        {
            var outcome = state.OnError(spec, target, suppressed);
            steps.Add(outcome.Step);
            state = outcome.Next;
        }

        return (steps, state);
    }

    [Fact]
    public void OnError_RestartsThenFailsOverThenFinalActionThenNothing()
    {
        var (steps, _) = Errors(Spec(2, 1, FinalAction.StopGroup), App, 6);

        Assert.Equal(
        [
            new(RecoveryStepKind.Restart, App), new(RecoveryStepKind.Restart, App), new(RecoveryStepKind.Failover, App),
            RecoveryStep.Final(FinalAction.StopGroup), RecoveryStep.Nothing, RecoveryStep.Nothing,
        ], steps);
    }

    [Fact]
    public void OnNormal_ResetsRestarts_ButKeepsFailovers()
    {
        var spec = Spec(2, 1, FinalAction.StopClusterServiceAndReboot);
        var (_, afterFailover) = Errors(spec, App, 3);

        var (steps, _) = Errors(spec, App, 3, afterFailover.OnNormal());

        Assert.Equal(
            [new(RecoveryStepKind.Restart, App), new(RecoveryStepKind.Restart, App), RecoveryStep.Final(FinalAction.StopClusterServiceAndReboot)],
            steps);
    }

    [Fact]
    public void OnNormal_AfterTheFinalAction_ReArmsIt()
    {
        var spec = Spec(0, 0, FinalAction.StopGroup);
        var (_, done) = Errors(spec, App, 2);

        Assert.Equal(RecoveryStep.Final(FinalAction.StopGroup), done.OnNormal().OnError(spec, App, suppressed: false).Step);
    }

    [Fact]
    public void Initial_IsTheOperatorReset()
    {
        var spec = Spec(1, 1, FinalAction.None);
        var (_, exhausted) = Errors(spec, App, 3);

        Assert.Equal(RecoveryStepKind.Restart, MonitorRecoveryState.Initial.OnError(spec, App, false).Step.Kind);
        Assert.Equal(new MonitorRecoveryState(1, 1, true), exhausted);
    }

    [Fact]
    public void LocalServer_GoesStraightToTheFinalAction()
    {
        var (steps, _) = Errors(Spec(3, 1, FinalAction.StopClusterServiceAndShutdown), RecoveryTarget.LocalServer, 2);

        Assert.Equal([RecoveryStep.Final(FinalAction.StopClusterServiceAndShutdown), RecoveryStep.Nothing], steps);
    }

    [Fact]
    public void AllGroups_RestartsAndFailsOverEveryGroup()
    {
        var (steps, _) = Errors(Spec(1, 1, FinalAction.None), RecoveryTarget.AllGroups, 3);

        Assert.Equal(
            [new(RecoveryStepKind.Restart, RecoveryTarget.AllGroups), new(RecoveryStepKind.Failover, RecoveryTarget.AllGroups), RecoveryStep.Final(FinalAction.None)],
            steps);
    }

    [Fact]
    public void GroupTarget_FailsOverThatGroup()
    {
        var target = RecoveryTarget.ForGroup("failover1");
        var (steps, _) = Errors(Spec(0, 1, FinalAction.None), target, 1);

        Assert.Equal([new(RecoveryStepKind.Failover, target)], steps);
        Assert.Equal("failover1", steps[0].Target!.Group);
    }

    [Fact]
    public void Suppressed_ReportsOnlyAndUsesNoCount()
    {
        var (steps, state) = Errors(Spec(1, 1, FinalAction.StopGroup), App, 3, suppressed: true);

        Assert.All(steps, s => Assert.Equal(RecoveryStep.ReportOnly, s));
        Assert.Equal(MonitorRecoveryState.Initial, state);
    }
}
