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

public sealed class LeaseStatus : ObjectStatus
{
    /// <summary>Set when the controller judged the holder down; renewals of this incarnation get 409.</summary>
    public bool Revoked { get; set; }

    public DateTimeOffset? LastRenewTime { get; set; }
}
