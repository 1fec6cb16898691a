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

    /// <summary>The last vote token this agent received (from its grant or a renewal answer). While the API
    /// counts this server's vote (until the token's issue + 2 intervals) the agent does not let a deferring
    /// side count it (docs/partition-safety.md, section 6).</summary>
    public long? VoteToken { get; set; }

    /// <summary>Renewal tokens of other servers this agent heard on the LAN heartbeats, for the API to take
    /// as their renewals (a server cut from the API only keeps its lease through its peers). At most 64.</summary>
    public List<RelayedRenewal>? Relayed { get; set; }
}

/// <summary>A server's renewal carried by a peer: the server's own heartbeat token, authenticated with the
/// renewal key its incarnation received at join (so a peer can carry it but not forge it).</summary>
public sealed class RelayedRenewal
{
    public string Server { get; set; } = "";

    public long Incarnation { get; set; }

    /// <summary>The token's sequence number: strictly increasing per incarnation; an older or equal one
    /// is refused (a replay).</summary>
    public long Sequence { get; set; }

    /// <summary>The T the server fences by.</summary>
    public int TimeoutMs { get; set; }

    /// <summary>HMAC-SHA256 (base64) of the token under the incarnation's renewal key.</summary>
    public string Mac { get; set; } = "";
}

/// <summary>What the API did with one relayed renewal.</summary>
public sealed class RelayedRenewalResult
{
    public string Server { get; set; } = "";

    public long Incarnation { get; set; }

    public long Sequence { get; set; }

    /// <summary>True when it renewed the server's lease.</summary>
    public bool Accepted { get; set; }

    /// <summary>Why not, when refused (bad MAC, not the holder, revoked, replayed).</summary>
    public string? Reason { get; set; }
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

    /// <summary>The cluster's LAN heartbeat secret (32 bytes, base64): agents authenticate their heartbeat
    /// datagrams with it. Only the server's own agent key receives it.</summary>
    public string? HeartbeatSecret { get; set; }

    /// <summary>This incarnation's renewal key (32 bytes, base64): it authenticates the renewal tokens peers
    /// may relay for it. Known only to this incarnation and the API.</summary>
    public string? RenewalKey { get; set; }

    /// <summary>A vote token to send with the next renewal.</summary>
    public long? VoteToken { get; set; }

    /// <summary>The cluster's <c>spec.isolationAction</c> in force: what the agent does after an isolation fence.
    /// Absent from an API that states none (the agent then uses the cluster as it last listed it).</summary>
    public IsolationAction? IsolationAction { get; set; }
}

/// <summary>The answer to a renewal: the cluster's current heartbeat and isolation action, so a change of T,
/// of the timeout ratio or of the isolation action reaches the agent within one interval.</summary>
public sealed class LeaseRenewal
{
    public long Incarnation { get; set; }

    public HeartbeatSpec Heartbeat { get; set; } = new();

    public int TimeoutRatio { get; set; } = 1;

    /// <summary>The outcome of each relayed renewal in the request, if any.</summary>
    public List<RelayedRenewalResult>? Relayed { get; set; }

    /// <summary>A new vote token to send with the next renewal.</summary>
    public long? VoteToken { get; set; }

    /// <summary>The cluster's <c>spec.isolationAction</c> in force (as in <see cref="LeaseGrant"/>).</summary>
    public IsolationAction? IsolationAction { get; set; }
}
