namespace Clp.Policy.Placement;

/// <summary>One server as the placement policy sees it.</summary>
/// <param name="Priority">Lower first (the master server has the lowest).</param>
/// <param name="Joined">Its agent has joined (acquired its lease and reported its status) since the
/// cluster start began. Only servers that are <see cref="ServerLiveness.Up"/> and joined receive
/// groups; the startup sync is over when every server that has not left has joined.</param>
/// <remarks>A name listed twice is conflicting evidence: the entries are merged so that the server is
/// eligible only if every entry says so, and Down only if every entry says so (a server that might be
/// alive never loses its groups without the two-phase wait).</remarks>
public sealed record ServerState(string Name, int Priority, ServerLiveness Liveness, bool Joined);
