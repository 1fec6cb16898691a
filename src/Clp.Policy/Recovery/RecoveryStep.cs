using Clp.Core.Model;

namespace Clp.Policy.Recovery;

/// <summary>One recovery step to carry out.</summary>
/// <param name="Target">For Restart and Failover.</param>
/// <param name="FinalAction">For <see cref="RecoveryStepKind.FinalAction"/>.</param>
public sealed record RecoveryStep(RecoveryStepKind Kind, RecoveryTarget? Target = null, FinalAction FinalAction = FinalAction.None)
{
    public static RecoveryStep Nothing { get; } = new(RecoveryStepKind.None);

    public static RecoveryStep ReportOnly { get; } = new(RecoveryStepKind.ReportOnly);

    public static RecoveryStep Retry { get; } = new(RecoveryStepKind.Retry);

    public static RecoveryStep Final(FinalAction action) => new(RecoveryStepKind.FinalAction, FinalAction: action);
}
