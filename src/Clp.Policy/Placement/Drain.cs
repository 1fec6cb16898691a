namespace Clp.Policy.Placement;

/// <summary>The first phase of a placement change away from a live server (DESIGN rule 6): the group
/// was unplaced and <see cref="From"/> must report it Offline (or be judged down) before it is placed
/// anywhere.</summary>
/// <param name="From">The server releasing the group.</param>
/// <param name="Target">Where the group goes once released; null for a stop.</param>
/// <param name="RequestId">The request that began the change, carried to the phase-two
/// <see cref="Place"/> so the caller can complete it.</param>
/// <remarks>The caller persists this with the group's placement (e.g. <c>status.drain</c>) exactly as
/// returned by <see cref="Unplace"/>, keeps it across controller restarts, and replaces it only with
/// the next decision's value (a <see cref="Place"/> clears it). Clearing it early would let a group
/// start while its old server still runs it.</remarks>
public sealed record Drain(string From, string? Target, string? RequestId = null);
