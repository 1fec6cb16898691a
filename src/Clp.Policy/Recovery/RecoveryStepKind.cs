namespace Clp.Policy.Recovery;

public enum RecoveryStepKind
{
    /// <summary>Nothing more: the final action was taken; waits for a reset.</summary>
    None,

    /// <summary>Recovery is suppressed (cluster <c>suppressMonitorRecovery</c>): report the error only.</summary>
    ReportOnly,

    /// <summary>Activation or deactivation: try the same resource again on this server.</summary>
    Retry,

    /// <summary>Monitor: deactivate and activate the target again on this server (for AllGroups: every
    /// group active here).</summary>
    Restart,

    /// <summary>Ask the controller to fail the target's group over (for AllGroups: every group active
    /// here); a placement request of kind Failover.</summary>
    Failover,

    /// <summary>Run <see cref="RecoveryStep.FinalAction"/> (None is a step too: it is recorded).</summary>
    FinalAction,
}
