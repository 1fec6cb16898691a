namespace Clp.Policy.Placement;

public enum PlacementRequestKind
{
    /// <summary>Start a stopped group on the named server, or the first eligible one.</summary>
    Start,

    Stop,

    /// <summary>Move a placed group to the named server, or the first eligible one other than its
    /// current server (as CLUSTERPRO's move without a destination).</summary>
    Move,

    /// <summary>An agent's recovery (monitor error or activation failure) asks to fail the group over
    /// away from the named server; stale once the group is no longer there.</summary>
    Failover,
}
