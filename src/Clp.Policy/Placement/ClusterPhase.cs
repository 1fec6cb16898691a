namespace Clp.Policy.Placement;

/// <summary>The cluster's lifecycle as the controller sees it.</summary>
public enum ClusterPhase
{
    /// <summary>Stopped: every group is unplaced; only stop requests are answered.</summary>
    Stopped,

    /// <summary>A cluster start is in progress: groups with automatic startup wait for the startup sync
    /// (every server joined, or the sync wait elapsed), then start together; the decision that starts
    /// them reports <see cref="PlacementResult.StartupComplete"/> so the caller moves to
    /// <see cref="Running"/> in the same write.</summary>
    Starting,

    /// <summary>Started: failover, failback, moves, and placement of groups that still want to run.</summary>
    Running,

    /// <summary>Suspended (DESIGN rule 8): resources keep running and nothing fails over; only manual
    /// stops change placements.</summary>
    Suspended,
}
