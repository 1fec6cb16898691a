namespace Clp.Policy.Placement;

/// <summary>Write (no server, <see cref="Epoch"/>) as the group's placement with
/// <see cref="Drain"/>, and apply <see cref="Charge"/> to the failover counts, in one transaction.</summary>
/// <param name="Drain">Phase one of a change away from a live server: what to wait for and where the
/// group goes next; null when nothing runs the group any more (its server is Down, or the old server
/// has already released it).</param>
/// <param name="Charge">The failover count to increase, for a recovery failover (charged when it
/// begins).</param>
public sealed record Unplace(
    string Group, long Epoch, string Reason, Drain? Drain, string? RequestId = null, FailoverCountKey? Charge = null)
    : PlacementDecision(Group, Reason, RequestId);
