using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Placement;

/// <summary>The decisions of one <see cref="PlacementPolicy.Decide"/> call, one per group in name
/// order.</summary>
/// <param name="StartupComplete">The cluster is <see cref="ClusterPhase.Starting"/> and the startup
/// sync is over: these decisions start the groups, and the caller sets the cluster Running in the same
/// write.</param>
/// <param name="RecheckAt">The earliest instant at which time alone changes the decisions (the end of
/// the startup sync wait); arm a one-shot timer there. Down judgements have their own timers.</param>
public sealed record PlacementResult(IReadOnlyList<PlacementDecision> Decisions, bool StartupComplete, Instant? RecheckAt)
{
    /// <summary>The decision for <paramref name="group"/>.</summary>
    /// <exception cref="KeyNotFoundException">The group was not in the input.</exception>
    public PlacementDecision For(string group) =>
        Decisions.FirstOrDefault(d => string.Equals(d.Group, group, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"no decision for group '{group}'");

    /// <summary>The decisions that write the group's placement.</summary>
    public IEnumerable<PlacementDecision> Writes => Decisions.Where(d => d is Place or Unplace);
}
