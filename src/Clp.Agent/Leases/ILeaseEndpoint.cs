namespace Clp.Agent.Leases;

/// <summary>The API side of the node lease, as the agent sees it (implemented over the SDK; faked in tests).</summary>
public interface ILeaseEndpoint
{
    /// <summary>Joins as this server with a new incarnation; throws <see cref="LeaseRejectedException"/>
    /// when the API refuses it (409), any other exception for a transient failure.</summary>
    Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Renews; throws <see cref="LeaseRejectedException"/> when the incarnation was revoked or
    /// replaced (409), any other exception for a transient failure (no retry: the next interval renews).</summary>
    Task RenewAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>What a join grants: the heartbeat timing to renew and fence by, and what placements this
/// incarnation may act on (the store it came from, and the epoch floor: only epochs issued after the join).</summary>
public sealed record JoinGrant(long Incarnation, TimeSpan Interval, TimeSpan Timeout, string StoreUid, long EpochFloor);

/// <summary>The API answered 409: this incarnation does not (or no longer) hold the lease.</summary>
public sealed class LeaseRejectedException(string message) : Exception(message);
