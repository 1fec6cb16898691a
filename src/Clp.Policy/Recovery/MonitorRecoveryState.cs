using Clp.Core.Model;

namespace Clp.Policy.Recovery;

/// <summary>The recovery state machine of one (monitor, recovery target) on one server: restart the
/// target <c>RestartCount</c> times, then fail its group over <c>FailoverCount</c> times, then the final
/// action once, then nothing until a reset.</summary>
/// <remarks>
/// <para>Resets: a monitor that returns to normal resets the restart count and re-arms the final
/// action (as CLUSTERPRO resets its reactivation count on recovery); the failover count is kept until
/// a reset to <see cref="Initial"/> (operator reset, cluster start, agent restart). Keeping it is what stops a group
/// that fails on every server from bouncing forever: once this server has used its failovers, the next
/// error here goes to the final action.</para>
/// <para>Target kinds: Resource and Group restart that resource or group and fail over its group;
/// AllGroups restarts, then fails over, every group active on this server; LocalServer has no restart
/// or failover (as CLUSTERPRO): the first error runs the final action.</para>
/// <para>Suppressed (the cluster's <c>suppressMonitorRecovery</c>): the error is reported, no step
/// runs and no count is used. Activation-failure recovery and server-down failover are not
/// suppressed.</para>
/// </remarks>
public sealed record MonitorRecoveryState(int RestartsUsed, int FailoversUsed, bool FinalActionTaken)
{
    public static MonitorRecoveryState Initial { get; } = new(0, 0, false);

    /// <summary>The next step for a monitor error (after its retries: <see cref="MonitorVerdict.Error"/>).</summary>
    public RecoveryOutcome<MonitorRecoveryState> OnError(MonitorRecovery spec, RecoveryTarget target, bool suppressed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        if (suppressed)
        {
            return new(RecoveryStep.ReportOnly, this);
        }

        if (FinalActionTaken)
        {
            return new(RecoveryStep.Nothing, this);
        }

        if (target.Kind != RecoveryTargetKind.LocalServer)
        {
            if (RestartsUsed < spec.RestartCount)
            {
                return new(new(RecoveryStepKind.Restart, target), this with { RestartsUsed = RestartsUsed + 1 });
            }

            if (FailoversUsed < spec.FailoverCount)
            {
                return new(new(RecoveryStepKind.Failover, target), this with { FailoversUsed = FailoversUsed + 1 });
            }
        }

        return new(RecoveryStep.Final(spec.FinalAction), this with { FinalActionTaken = true });
    }

    /// <summary>The monitor returned to normal (<see cref="MonitorVerdict.Recovered"/>).</summary>
    public MonitorRecoveryState OnNormal() => this with { RestartsUsed = 0, FinalActionTaken = false };
}
