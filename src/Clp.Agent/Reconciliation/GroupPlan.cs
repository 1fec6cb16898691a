using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>What one group needs on this server next: the resources to activate (in dependency order),
/// deactivate (in reverse order) or restart, under which epoch. Empty lists mean the group is converged.</summary>
public sealed record GroupPlan(
    string Group,
    bool PlacedHere,
    long Epoch,
    IReadOnlyList<Resource> Activate,
    IReadOnlyList<Resource> Deactivate,
    IReadOnlyList<Resource> Restart)
{
    public bool Converged => Activate.Count == 0 && Deactivate.Count == 0 && Restart.Count == 0;
}
