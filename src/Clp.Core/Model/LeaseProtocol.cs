namespace Clp.Core.Model;

/// <summary>An agent joins as its server (DESIGN rule 1): <c>POST .../leases/{server}/acquire</c>.</summary>
public sealed class LeaseAcquireRequest
{
    /// <summary>A new, higher number per agent start. A higher incarnation than the holder's takes the
    /// lease over at once (no failover); a lower or equal one is refused (409).</summary>
    public long Incarnation { get; set; }

    /// <summary>The heartbeat timeout T (ratio applied) the agent will fence by.</summary>
    public int TimeoutMs { get; set; }
}

/// <summary>A renewal, every heartbeat interval (DESIGN rule 2): <c>POST .../leases/{server}/renew</c>.</summary>
public sealed class LeaseRenewRequest
{
    public long Incarnation { get; set; }

    /// <summary>The T the agent fences by now; the controller judges with the larger of this and the
    /// cluster's T, so a change of T reaches the judgement only once the agent stated it.</summary>
    public int TimeoutMs { get; set; }

    /// <summary>The timeout ratio the agent applied to <see cref="TimeoutMs"/>, if any (recorded).</summary>
    public int? TimeoutRatioAck { get; set; }
}

/// <summary>The answer to an acquire: the lease and what the agent needs to act safely.</summary>
public sealed class LeaseGrant
{
    public Lease Lease { get; set; } = new();

    /// <summary>The store's uid: act only under placements whose <c>status.storeUid</c> equals it.</summary>
    public string StoreUid { get; set; } = "";

    /// <summary>Act only under placements whose <c>status.issuedAfter</c> is greater than this.</summary>
    public long EpochFloor { get; set; }

    /// <summary>The cluster's heartbeat: renew every <c>intervalMs</c>; <c>timeoutMs</c> is T with the
    /// timeout ratio applied (state it in renewals and fence by it).</summary>
    public HeartbeatSpec Heartbeat { get; set; } = new();

    /// <summary>The timeout ratio in force (1 = none).</summary>
    public int TimeoutRatio { get; set; } = 1;
}

/// <summary>The answer to a renewal: the cluster's current heartbeat, so a change of T or of the timeout
/// ratio reaches the agent within one interval.</summary>
public sealed class LeaseRenewal
{
    public long Incarnation { get; set; }

    public HeartbeatSpec Heartbeat { get; set; } = new();

    public int TimeoutRatio { get; set; } = 1;
}
