using Clp.Core.Model;

namespace Clp.Policy.Recovery;

/// <summary>Recovery of one resource's activation failures on one server: retry on this server
/// <c>RetryCount</c> times, then ask for a failover of its group while fewer than
/// <c>FailoverThreshold</c> were used, then the final action once, then nothing until a reset to <see cref="Initial"/> (operator reset,
/// cluster start, agent restart).</summary>
/// <remarks>A success resets the retries and re-arms the final action; a failover resets the retries
/// (the group leaves this server). The failover count follows the cluster's failover count unit: for
/// Server it is this state's own; for Cluster the caller seeds <see cref="FailoversUsed"/> from the
/// controller's counts before asking (<c>state with { FailoversUsed = n }</c>). The controller may still
/// refuse the failover (no eligible server, its own threshold); the resource then stays failed here.
/// Never suppressed by <c>suppressMonitorRecovery</c>.</remarks>
public sealed record ActivationRecoveryState(int RetriesUsed, int FailoversUsed, bool FinalActionTaken)
{
    public static ActivationRecoveryState Initial { get; } = new(0, 0, false);

    /// <param name="group">The resource's group (the failover target).</param>
    public RecoveryOutcome<ActivationRecoveryState> OnFailure(ActivationRecovery spec, string group)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (FinalActionTaken)
        {
            return new(RecoveryStep.Nothing, this);
        }

        if (RetriesUsed < spec.RetryCount)
        {
            return new(RecoveryStep.Retry, this with { RetriesUsed = RetriesUsed + 1 });
        }

        if (FailoversUsed < spec.FailoverThreshold)
        {
            return new(new(RecoveryStepKind.Failover, RecoveryTarget.ForGroup(group)), this with { RetriesUsed = 0, FailoversUsed = FailoversUsed + 1 });
        }

        return new(RecoveryStep.Final(spec.FinalAction), this with { FinalActionTaken = true });
    }

    public ActivationRecoveryState OnSuccess() => this with { RetriesUsed = 0, FinalActionTaken = false };
}
