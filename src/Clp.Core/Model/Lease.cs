namespace Clp.Core.Model;

/// <summary>A server's node lease: held by one agent incarnation, renewed every heartbeat interval.</summary>
public sealed class Lease : ClpObject<LeaseSpec, LeaseStatus>
{
}

public sealed class LeaseSpec
{
    /// <summary>The server holding the lease (equal to the lease name for node leases).</summary>
    public string Holder { get; set; } = "";

    /// <summary>A new number per agent start; a newer incarnation takes the lease over at once.</summary>
    public long Incarnation { get; set; }

    /// <summary>The heartbeat timeout T the holder will fence by.</summary>
    public int TimeoutMs { get; set; } = 30000;
}

/// <summary>Written by the lease protocol only (acquire, and the controller's revocation). Renewals are
/// not stored: the API keeps them in memory on the controller's clock.</summary>
public sealed class LeaseStatus : ObjectStatus
{
    /// <summary>Set when the controller judged the holder down; renewals of this incarnation get 409.</summary>
    public bool Revoked { get; set; }

    /// <summary>The store resourceVersion last committed before this incarnation joined: the agent acts
    /// only under placements whose <c>status.issuedAfter</c> is greater.</summary>
    public long EpochFloor { get; set; }

    /// <summary>When this incarnation acquired the lease (the API's wall clock; informational).</summary>
    public DateTimeOffset? AcquireTime { get; set; }

    /// <summary>When the controller revoked it (wall clock; informational).</summary>
    public DateTimeOffset? RevokeTime { get; set; }

    /// <summary>Why it was revoked, e.g. <c>ServerDown</c>.</summary>
    public string? RevokeReason { get; set; }
}
