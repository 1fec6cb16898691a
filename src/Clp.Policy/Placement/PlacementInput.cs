using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Placement;

/// <summary>Everything a placement decision depends on: desired state, observed state and now.</summary>
public sealed record PlacementInput
{
    public required ClusterPhase Phase { get; init; }

    /// <summary>On the controller's clock. Used only while <see cref="ClusterPhase.Starting"/>.</summary>
    public required Instant Now { get; init; }

    /// <summary>When the cluster start began, on the controller's clock. A controller that restarts
    /// during a start passes its own start instant (the wait begins again: it errs late).</summary>
    public Instant StartedAt { get; init; }

    /// <summary>How long a start waits for every server to join (the cluster's
    /// <c>startupSyncWaitSeconds</c>); at the limit the wait is over.</summary>
    public TimeSpan StartupSyncWait { get; init; }

    /// <summary>Every server of the cluster; ordered by priority, then name.</summary>
    public required IReadOnlyList<ServerState> Servers { get; init; }

    public IReadOnlyList<ServerGroupMembers> ServerGroups { get; init; } = [];

    /// <summary>Every group; names must be unique (case-insensitively).</summary>
    public required IReadOnlyList<GroupState> Groups { get; init; }

    public FailoverCounts Counts { get; init; } = new(FailoverCountUnit.Server);

    /// <summary>Pending requests, oldest first; requests naming an unknown group are ignored.</summary>
    public IReadOnlyList<PlacementRequest> Requests { get; init; } = [];
}
