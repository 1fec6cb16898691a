using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>What one group needs on this server next: the resources to activate (in dependency order),
/// deactivate (in reverse order) or restart, under which epoch. Empty lists mean the group is converged.</summary>
/// <param name="AwaitingReissue">Placed on this server before this incarnation joined: keep what runs, start
/// nothing, until the controller re-issues the placement for the new incarnation.</param>
public sealed record GroupPlan(
    string Group,
    bool PlacedHere,
    long Epoch,
    IReadOnlyList<Resource> Activate,
    IReadOnlyList<Resource> Deactivate,
    IReadOnlyList<Resource> Restart,
    bool AwaitingReissue = false)
{
    public bool Converged => Activate.Count == 0 && Deactivate.Count == 0 && Restart.Count == 0;
}
