namespace Clp.Policy.Placement;

/// <summary>A pending request for one group: an operator's group start, stop or move Operation, or an
/// agent's recovery failover.</summary>
/// <param name="Server">The target of a start or move (null: the first eligible), or the server a
/// failover moves away from.</param>
/// <remarks>
/// <para>Lifecycle: a request is answered when a decision carries its <see cref="Id"/> as
/// <c>RequestId</c>; until then the caller presents it again on every decision. <see cref="Stay"/>
/// answers it as already done, <see cref="CannotPlace"/> refuses it (the operation fails with the
/// reason), <see cref="Place"/> completes it, and <see cref="Unplace"/> begins it: for a move, the
/// phase-two <see cref="Place"/> carries the same id again (through <see cref="Drain.RequestId"/>) when
/// the group has landed.</para>
/// <para>At most one request per group is considered per decision, the first in the list; the others
/// wait (so a stop queued behind a move runs once the move is answered).</para>
/// </remarks>
public sealed record PlacementRequest(string Id, PlacementRequestKind Kind, string Group, string? Server = null);
