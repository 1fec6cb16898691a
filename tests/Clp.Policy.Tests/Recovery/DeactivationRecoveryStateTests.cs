using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Policy.Tests.Recovery;

public class DeactivationRecoveryStateTests
{
    [Fact]
    public void OnFailure_RetriesThenTheFinalActionOnce_NeverAFailover()
    {
        var spec = new DeactivationRecovery { RetryCount = 1 };
        var state = DeactivationRecoveryState.Initial;
        var steps = new List<RecoveryStep>();
        for (var i = 0; i < 3; i++)
        {
            var outcome = state.OnFailure(spec);
            steps.Add(outcome.Step);
            state = outcome.Next;
        }

        Assert.Equal([RecoveryStep.Retry, RecoveryStep.Final(FinalAction.StopClusterServiceAndShutdown), RecoveryStep.Nothing], steps);
        Assert.Equal(DeactivationRecoveryState.Initial, state.OnSuccess());
    }
}
