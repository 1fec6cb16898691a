using Clp.Core.Model;

namespace Clp.Agent.Leases;

/// <summary>The API side of the node lease, as the agent sees it (implemented over the SDK; faked in tests).</summary>
public interface ILeaseEndpoint
{
    /// <summary>Joins as this server with a new incarnation; throws <see cref="LeaseRejectedException"/>
    /// when the API refuses it (409), any other exception for a transient failure.</summary>
    Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Renews, carrying the renewal tokens of peers to relay; throws <see cref="LeaseRejectedException"/>
    /// when the incarnation was revoked or replaced (409), any other exception for a transient failure (no
    /// retry: the next interval renews). States the T the agent fences by and the timeout ratio it applied
    /// (<c>timeoutRatioAck</c>); carries the last vote token; returns the next one, the cluster's current T
    /// and ratio, and what the API did with each relayed token.</summary>
    Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken);
}

/// <summary>A successful renewal's answer as the lease keeper needs it.</summary>
/// <param name="Timeout">The cluster's T with the timeout ratio applied, as the API states it now (null: unchanged).</param>
/// <param name="TimeoutRatio">The timeout ratio in force (null: unchanged).</param>
/// <param name="IsolationAction">The cluster's isolation action the API stated, or null when it stated none.</param>
public sealed record RenewAnswer(long? VoteToken, IReadOnlyList<RelayedRenewalResult> Relayed, TimeSpan? Timeout = null, int? TimeoutRatio = null, IsolationAction? IsolationAction = null)
{
    public static RenewAnswer Empty { get; } = new(null, []);
}

/// <summary>What a join grants: the heartbeat timing to renew and fence by, and what placements this
/// incarnation may act on (the store it came from, and the epoch floor: only epochs issued after the join).</summary>
/// <param name="HeartbeatSecret">The cluster's LAN heartbeat secret; null from an API that hands none.</param>
/// <param name="RenewalKey">This incarnation's key for the renewal tokens peers relay; null likewise.</param>
/// <param name="VoteToken">The first vote token, to send with the first renewal.</param>
/// <param name="Timeout">T with the timeout ratio applied: the agent fences by it after the join.</param>
/// <param name="TimeoutRatio">The timeout ratio in force at the join (1 = none).</param>
/// <param name="IsolationAction">The cluster's isolation action the API stated, or null when it stated none.</param>
public sealed record JoinGrant(long Incarnation, TimeSpan Interval, TimeSpan Timeout, string StoreUid, long EpochFloor, byte[]? HeartbeatSecret = null, byte[]? RenewalKey = null, long? VoteToken = null, int TimeoutRatio = 1, IsolationAction? IsolationAction = null);

/// <summary>The API answered 409: this incarnation does not (or no longer) hold the lease.</summary>
public sealed class LeaseRejectedException(string message) : Exception(message);
