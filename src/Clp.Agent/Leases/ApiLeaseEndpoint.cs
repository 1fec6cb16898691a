using Clp.Client;
using Clp.Client.Problems;
using Clp.Core.Model;

namespace Clp.Agent.Leases;

/// <summary>The lease protocol over the SDK: acquire and renew this server's lease; a 409 becomes
/// <see cref="LeaseRejectedException"/>, anything else stays a transient failure.</summary>
public sealed class ApiLeaseEndpoint(IClpClient client, string cluster, string server) : ILeaseEndpoint
{
    public async Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var grant = await client.Leases.AcquireLeaseAsync(cluster, server,
                new LeaseAcquireRequest { Incarnation = incarnation, TimeoutMs = Milliseconds(timeout) }, cancellationToken);
            return new JoinGrant(
                incarnation,
                TimeSpan.FromMilliseconds(grant.Heartbeat.IntervalMs),
                TimeSpan.FromMilliseconds(grant.Heartbeat.TimeoutMs),
                grant.StoreUid,
                grant.EpochFloor,
                Key(grant.HeartbeatSecret),
                Key(grant.RenewalKey),
                grant.VoteToken,
                Math.Max(1, grant.TimeoutRatio),
                grant.IsolationAction);
        }
        catch (ClpConflictException e)
        {
            throw new LeaseRejectedException(e.Detail ?? e.Message);
        }
    }

    public async Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken)
    {
        try
        {
            var renewal = await client.Leases.RenewLeaseAsync(cluster, server,
                new LeaseRenewRequest
                {
                    Incarnation = incarnation,
                    TimeoutMs = Milliseconds(timeout),
                    TimeoutRatioAck = timeoutRatioAck,
                    VoteToken = voteToken,
                    Relayed = relayed.Count == 0 ? null : [.. relayed],
                }, cancellationToken);
            return new RenewAnswer(
                renewal.VoteToken,
                renewal.Relayed ?? [],
                renewal.Heartbeat.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(renewal.Heartbeat.TimeoutMs) : null,
                Math.Max(1, renewal.TimeoutRatio),
                renewal.IsolationAction);
        }
        catch (ClpConflictException e)
        {
            throw new LeaseRejectedException(e.Detail ?? e.Message);
        }
    }

    private static byte[]? Key(string? base64) => base64 is null ? null : Convert.FromBase64String(base64);

    // The API needs a positive T; before the first grant the agent states none (0 is refused), so the
    // cluster's own T applies: use the floor the API accepts.
    private static int Milliseconds(TimeSpan timeout) => Math.Max(300, (int)Math.Ceiling(timeout.TotalMilliseconds));
}
