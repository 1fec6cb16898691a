namespace Clp.FenceGuard.Protocol;

/// <summary>One group the guard must release; its resources are listed in STOP order (reverse dependency
/// order, computed by the agent), so the guard needs no dependency logic of its own.</summary>
public sealed record GuardGroup
{
    public required string Name { get; init; }

    public required IReadOnlyList<GuardResource> Resources { get; init; }
}
