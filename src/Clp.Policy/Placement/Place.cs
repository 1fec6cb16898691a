namespace Clp.Policy.Placement;

/// <summary>Write (<see cref="Server"/>, <see cref="Epoch"/>) as the group's placement and clear its drain,
/// in one store transaction (a recovery failover was charged at its phase one, <see cref="Unplace"/>).</summary>
/// <param name="From">The server the group left (failover, move), for events; null for a start.</param>
/// <remarks>Issued only when the group runs nowhere: it was unplaced and drained, or its server is
/// Down (the same transaction must revoke that server's lease; see
/// <see cref="ServerLiveness.Down"/>), or on the same server again for its new agent incarnation
/// (<see cref="PlacementReasons.Rejoined"/>).</remarks>
public sealed record Place(
    string Group, string Server, long Epoch, string Reason, string? RequestId = null, string? From = null)
    : PlacementDecision(Group, Reason, RequestId);
