namespace Clp.Policy.Placement;

/// <summary>What one failover is counted against: the group and, when the failover count unit is
/// Server, the server it failed over FROM (null for the Cluster unit). Names compare
/// case-insensitively.</summary>
public readonly record struct FailoverCountKey(string Group, string? Server)
{
    public bool Equals(FailoverCountKey other) =>
        string.Equals(Group, other.Group, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Server, other.Server, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Group ?? ""),
        Server is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Server));
}
