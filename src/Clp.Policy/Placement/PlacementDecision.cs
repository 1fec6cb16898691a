namespace Clp.Policy.Placement;

/// <summary>The decision for one group. <see cref="PlacementPolicy.Decide"/> returns exactly one per
/// group: <see cref="Place"/> and <see cref="Unplace"/> are writes of the group's placement (epoch
/// + 1); <see cref="Stay"/> and <see cref="CannotPlace"/> write nothing to the group.</summary>
/// <param name="Reason">CamelCase, one of <see cref="PlacementReasons"/>.</param>
/// <param name="RequestId">The request this decision answers (see <see cref="PlacementRequest"/>).</param>
public abstract record PlacementDecision(string Group, string Reason, string? RequestId);
