namespace Clp.Policy.Placement;

/// <summary>The group should run (or a request asked for a change) but no allowed server exists now,
/// e.g. <see cref="PlacementReasons.NoEligibleServer"/> or
/// <see cref="PlacementReasons.FailoverThresholdReached"/>. Nothing is written to the group; with a
/// request id the request is refused with this reason. A later decision (a server joins) may place
/// the group.</summary>
public sealed record CannotPlace(string Group, string Reason, string? RequestId = null)
    : PlacementDecision(Group, Reason, RequestId);
