namespace Clp.Policy.Placement;

/// <summary>The CamelCase reasons decisions carry; written to <c>Group.status.reason</c> by placement
/// writes and used as condition reasons and operation failure causes.</summary>
public static class PlacementReasons
{
    // Placement writes.

    /// <summary>Started by the cluster start (automatic startup), or a new group with automatic startup.</summary>
    public const string Startup = "Startup";

    /// <summary>Its server was judged down; counts a failover.</summary>
    public const string ServerDown = "ServerDown";

    /// <summary>An agent's recovery asked to fail it over; counts a failover.</summary>
    public const string Failover = "Failover";

    /// <summary>Automatic failback to a higher-priority server of its policy.</summary>
    public const string Failback = "Failback";

    public const string ManualMove = "ManualMove";

    public const string ManualStart = "ManualStart";

    /// <summary>Stopped by the operator; stays stopped until started (or the next cluster start).</summary>
    public const string ManualStop = "ManualStop";

    /// <summary>Moved off a server shared with another Absolute-exclusive group.</summary>
    public const string Exclusivity = "Exclusivity";

    /// <summary>Moved off a server the operator stopped.</summary>
    public const string ServerLeft = "ServerLeft";

    /// <summary>Moved off a server that is no longer in its failover policy.</summary>
    public const string NotInPolicy = "NotInPolicy";

    /// <summary>Placed once an eligible server became available after it had none.</summary>
    public const string ServerAvailable = "ServerAvailable";

    /// <summary>Issued again on the same server for its new agent incarnation (see
    /// <see cref="GroupState.IssuedBeforeJoin"/>).</summary>
    public const string Rejoined = "Rejoined";

    /// <summary>Unplaced by a cluster stop.</summary>
    public const string ClusterStop = "ClusterStop";

    // Written by Unplace when its server is down, or refusals (CannotPlace).

    /// <summary>The failover count reached the threshold; stays stopped until started.</summary>
    public const string FailoverThresholdReached = "FailoverThresholdReached";

    public const string NoEligibleServer = "NoEligibleServer";

    /// <summary>The group stays on a server that is silent without a quorum to judge it down, or failing an
    /// NP restriction: nothing may move it until that is resolved.</summary>
    public const string ServerIsolated = "ServerIsolated";

    // Refusals of a request.

    /// <summary>The named server is unknown, not Up and joined, or not in the group's policy.</summary>
    public const string TargetNotEligible = "TargetNotEligible";

    /// <summary>A move of a group that is not placed.</summary>
    public const string NotPlaced = "NotPlaced";

    public const string ClusterStopped = "ClusterStopped";

    public const string ClusterSuspended = "ClusterSuspended";

    // Stay.

    public const string Unchanged = "Unchanged";

    /// <summary>Phase one is written; the old server has not reported the group Offline yet.</summary>
    public const string WaitingForOffline = "WaitingForOffline";

    public const string StartupSyncWait = "StartupSyncWait";

    /// <summary>Startup attribute Manual: waits for a group start.</summary>
    public const string ManualStartRequired = "ManualStartRequired";

    public const string AlreadyPlaced = "AlreadyPlaced";

    public const string AlreadyStopped = "AlreadyStopped";

    /// <summary>A recovery failover asked by a server the group is no longer on.</summary>
    public const string StaleRequest = "StaleRequest";
}
