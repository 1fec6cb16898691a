using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Policy.Tests.Recovery;

public class ActivationRecoveryStateTests
{
    private static readonly ActivationRecovery Spec = new() { RetryCount = 2, FailoverThreshold = 1, FinalAction = FinalAction.StopClusterService };

    private static List<RecoveryStep> Failures(ActivationRecoveryState state, int count)
    {
        var steps = new List<RecoveryStep>();
        for (var i = 0; i < count; i++)
        {
            var outcome = state.OnFailure(Spec, "failover1");
            steps.Add(outcome.Step);
            state = outcome.Next;
        }

        return steps;
    }

    [Fact]
    public void OnFailure_RetriesThenFailsOverThenFinalActionThenNothing()
    {
        Assert.Equal(
        [
            RecoveryStep.Retry, RecoveryStep.Retry, new(RecoveryStepKind.Failover, RecoveryTarget.ForGroup("failover1")),
            RecoveryStep.Retry, RecoveryStep.Retry, RecoveryStep.Final(FinalAction.StopClusterService), RecoveryStep.Nothing,
        ], Failures(ActivationRecoveryState.Initial, 7));
    }

    [Fact]
    public void OnSuccess_ResetsRetriesAndReArmsTheFinalAction_KeepsFailovers()
    {
        var state = new ActivationRecoveryState(2, 1, true).OnSuccess();

        Assert.Equal(new ActivationRecoveryState(0, 1, false), state);
        Assert.Equal([RecoveryStep.Retry, RecoveryStep.Retry, RecoveryStep.Final(FinalAction.StopClusterService)], Failures(state, 3));
    }

    [Fact]
    public void ClusterUnit_SeededFailoverCount_GoesToTheFinalAction()
    {
        var seeded = ActivationRecoveryState.Initial with { FailoversUsed = 1 };

        Assert.Equal(RecoveryStep.Final(FinalAction.StopClusterService), Failures(seeded, 3)[2]);
    }
}
