namespace Clp.Policy.Placement;

/// <summary>Leave the group as it is. The reason says why (e.g.
/// <see cref="PlacementReasons.WaitingForOffline"/>, <see cref="PlacementReasons.StartupSyncWait"/>,
/// <see cref="PlacementReasons.Unchanged"/>); with a request id, the request is already satisfied.</summary>
public sealed record Stay(string Group, string Reason, string? RequestId = null)
    : PlacementDecision(Group, Reason, RequestId);
