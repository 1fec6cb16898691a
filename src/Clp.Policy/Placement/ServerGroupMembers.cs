namespace Clp.Policy.Placement;

/// <summary>A server group and its member servers in priority order (from the ServerGroup spec).</summary>
public sealed record ServerGroupMembers(string Name, IReadOnlyList<string> Servers);
