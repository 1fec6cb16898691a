using Clp.Core.Model;

namespace Clp.Policy.Recovery;

/// <summary>Recovery of one resource's deactivation failures on one server: retry <c>RetryCount</c>
/// times, then the final action once (default: stop the cluster service and shut down), then nothing
/// until a reset. There is no failover: a resource that may still run must not start elsewhere.</summary>
/// <remarks>Failure mode: with final action None the resource stays Offline Failure, the agent must not
/// report its group Offline, and the controller keeps the group waiting for Offline (it is never placed
/// elsewhere while this server may still run it). The operator resolves it.</remarks>
public sealed record DeactivationRecoveryState(int RetriesUsed, bool FinalActionTaken)
{
    public static DeactivationRecoveryState Initial { get; } = new(0, false);

    public RecoveryOutcome<DeactivationRecoveryState> OnFailure(DeactivationRecovery spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (FinalActionTaken)
        {
            return new(RecoveryStep.Nothing, this);
        }

        return RetriesUsed < spec.RetryCount
            ? new(RecoveryStep.Retry, this with { RetriesUsed = RetriesUsed + 1 })
            : new(RecoveryStep.Final(spec.FinalAction), this with { FinalActionTaken = true });
    }

    /// <summary>The resource deactivated: counts start again.</summary>
    public DeactivationRecoveryState OnSuccess() => Initial;
}
