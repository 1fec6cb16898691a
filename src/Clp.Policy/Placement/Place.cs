namespace Clp.Policy.Placement;

/// <summary>Write (<see cref="Server"/>, <see cref="Epoch"/>) as the group's placement, clear its drain,
/// and apply <see cref="Charge"/> to the failover counts, all in one store transaction.</summary>
/// <param name="From">The server the group left (failover, move), for events; null for a start.</param>
/// <param name="Charge">The failover count to increase, for a failover away from a down server.</param>
/// <remarks>Issued only when the group runs nowhere: it was unplaced and drained, or its server is
/// Down (the same transaction must revoke that server's lease; see
/// <see cref="ServerLiveness.Down"/>), or on the same server again for its new agent incarnation
/// (<see cref="PlacementReasons.Rejoined"/>).</remarks>
public sealed record Place(
    string Group, string Server, long Epoch, string Reason, string? RequestId = null, string? From = null, FailoverCountKey? Charge = null)
    : PlacementDecision(Group, Reason, RequestId);
