using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>How executing a <see cref="GroupPlan"/> ended.</summary>
/// <param name="Kind">Converged, Deferred (the lease was not fresh enough to start a step: requeue),
/// Failed (a step failed and the recovery says retry later), FailoverRequested (activation failed past its
/// retries: ask the controller to place the group elsewhere), FinalAction (run <paramref name="FinalAction"/>).</param>
public sealed record PlanOutcome(PlanOutcomeKind Kind, string? Resource = null, string? Error = null, FinalAction FinalAction = FinalAction.None)
{
    public static PlanOutcome Converged { get; } = new(PlanOutcomeKind.Converged);
}

public enum PlanOutcomeKind
{
    Converged,
    Deferred,
    Failed,
    FailoverRequested,
    FinalAction,
}
