using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Store;
using Clp.Core.Validation;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Leases;

/// <summary>The node-lease protocol behind <c>POST .../leases/{server}/acquire</c> and <c>/renew</c>
/// (DESIGN rules 1, 2 and 5).</summary>
/// <remarks>
/// <para>Acquire is one store transaction: the server must exist; a higher incarnation than the holder's
/// replaces it at once (the old one is refused from before the write), a lower or equal one is refused.
/// The lease records the epoch floor (the store's resourceVersion before the join) so the agent acts only
/// under placements issued after it joined.</para>
/// <para>Renew touches memory only (<see cref="LeaseRegistry"/>); the answer carries the cluster's current
/// heartbeat so a new T or timeout ratio reaches the agent within one interval.</para>
/// </remarks>
public sealed partial class NodeLeaseService(IResourceStore store, LeaseRegistry registry, MasterKey masterKey, ILogger<NodeLeaseService> logger)
{
    public async Task<AcquireResult> AcquireAsync(string cluster, string server, LeaseAcquireRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clusterKey = Names.Key(cluster);
        await registry.BeginAcquireAsync(clusterKey, server, request.Incarnation, cancellationToken);
        var wallNow = registry.Clock.GetUtcNow();
        var result = await store.WriteAsync(async (tx, ct) =>
        {
            var clusterObject = (await tx.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", clusterKey)))?.As<Cluster>();
            if (clusterObject is null)
            {
                return new AcquireResult(null, $"Cluster '{cluster}'");
            }

            var serverObject = (await tx.GetAsync(new ObjectKey(Kinds.Server.Kind, clusterKey, server)))?.As<Server>();
            if (serverObject is null)
            {
                return new AcquireResult(null, $"Server '{server}' in cluster '{cluster}'");
            }

            var key = new ObjectKey(Kinds.Lease.Kind, clusterKey, serverObject.Metadata.Name);
            var stored = await tx.GetAsync(key);
            var current = stored?.As<Lease>();
            if (current is not null && request.Incarnation <= current.Spec.Incarnation)
            {
                return new AcquireResult(null, HolderIncarnation: current.Spec.Incarnation);
            }

            // The store's resourceVersion before this write: writers are serialized, so every placement
            // written after this join reads a larger one (GroupStatus.IssuedAfter).
            var floor = await store.GetResourceVersionAsync(ct);
            var heartbeat = registry.GetHeartbeat(clusterKey) ?? HeartbeatOf(clusterObject, wallNow);

            // The agent fences by the T it is granted (until a renewal states another), which may be longer than
            // the one its request stated (a first join states none; a ratio may have been set since): stored as
            // such, so a controller that restarts judges it by at least that T.
            var lease = new Lease
            {
                Kind = Kinds.Lease.Kind,
                Metadata = new ObjectMeta { Name = serverObject.Metadata.Name, Labels = current?.Metadata.Labels },
                Spec = new LeaseSpec { Holder = serverObject.Metadata.Name, Incarnation = request.Incarnation, TimeoutMs = Math.Max(request.TimeoutMs, heartbeat.TimeoutMs) },
                Status = new LeaseStatus { Revoked = false, EpochFloor = floor, AcquireTime = wallNow },
            };
            var written = stored is null
                ? await tx.CreateAsync(key, lease.ToJson())
                : await tx.UpdateAsync(key, lease.ToJson(), stored.ResourceVersion, specChanged: true);
            await WriteJoinEventAsync(tx, clusterKey, wallNow, serverObject.Metadata.Name, request, current);
            return new AcquireResult(new LeaseGrant
            {
                Lease = written.As<Lease>(),
                StoreUid = store.StoreUid,
                EpochFloor = floor,
                Heartbeat = new HeartbeatSpec { IntervalMs = heartbeat.IntervalMs, TimeoutMs = heartbeat.TimeoutMs },
                TimeoutRatio = heartbeat.TimeoutRatio,
                IsolationAction = heartbeat.IsolationAction,
                HeartbeatSecret = Convert.ToBase64String(HeartbeatKeys.HeartbeatSecret(masterKey.Value, clusterKey, clusterObject.Metadata.Uid)),
                RenewalKey = Convert.ToBase64String(HeartbeatKeys.RenewalKey(masterKey.Value, clusterKey, serverObject.Metadata.Name, request.Incarnation)),
            });
        }, cancellationToken);

        if (result.Grant is { } grant)
        {
            registry.Acquired(clusterKey, grant.Lease.Metadata.Name, request.Incarnation, TimeSpan.FromMilliseconds(grant.Lease.Spec.TimeoutMs));
            grant.VoteToken = registry.IssueVoteToken(clusterKey, grant.Lease.Metadata.Name, request.Incarnation);
            LogAcquired(clusterKey, grant.Lease.Metadata.Name, request.Incarnation, grant.EpochFloor);
        }

        return result;
    }

    /// <summary>The event of a join: a server joined (first join, or after its lease was revoked), or a new incarnation
    /// of its agent took the lease over from the previous one (no failover).</summary>
    private static async Task WriteJoinEventAsync(IStoreTransaction tx, string clusterKey, DateTimeOffset wallNow, string server, LeaseAcquireRequest request, Lease? current)
    {
        var about = ControllerEvents.About(Kinds.Server.Kind, server);
        if (current is null || current.Status?.Revoked == true)
        {
            await ControllerEvents.CreateAsync(tx, clusterKey, wallNow, ControllerEvents.ServerJoined, EventSeverity.Info,
                $"Server {server} joined with agent incarnation {request.Incarnation} (T {request.TimeoutMs} ms)", about, server);
        }
        else
        {
            await ControllerEvents.CreateAsync(tx, clusterKey, wallNow, ControllerEvents.LeaseTakenOver, EventSeverity.Info,
                $"Agent incarnation {request.Incarnation} of server {server} took its lease over from incarnation {current.Spec.Incarnation} (no failover)",
                about, server);
        }
    }

    public async Task<RenewResult> RenewAsync(string cluster, string server, LeaseRenewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clusterKey = Names.Key(cluster);
        var heartbeat = registry.GetHeartbeat(clusterKey);
        if (heartbeat is null)
        {
            var clusterObject = (await store.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", clusterKey), cancellationToken))?.As<Cluster>();
            if (clusterObject is null)
            {
                return new RenewResult(RenewOutcome.NotHeld, null, ClusterMissing: true);
            }

            heartbeat = HeartbeatOf(clusterObject, registry.Clock.GetUtcNow());
        }

        var (outcome, voteToken) = await registry.RenewVotingAsync(clusterKey, server, request.Incarnation, TimeSpan.FromMilliseconds(request.TimeoutMs),
            request.TimeoutRatioAck, request.VoteToken, VoteValidity(heartbeat.IntervalMs), cancellationToken);
        if (outcome != RenewOutcome.Renewed)
        {
            LogRefused(clusterKey, server, request.Incarnation, outcome);
            return new RenewResult(outcome, null);
        }

        List<RelayedRenewalResult>? relayed = null;
        if (request.Relayed is { Count: > 0 } tokens)
        {
            relayed = [];
            foreach (var token in tokens.Where(t => !string.Equals(t.Server, server, StringComparison.OrdinalIgnoreCase)))
            {
                relayed.Add(await RelayAsync(clusterKey, server, token, cancellationToken));
            }
        }

        return new RenewResult(outcome, new LeaseRenewal
        {
            Incarnation = request.Incarnation,
            Heartbeat = new HeartbeatSpec { IntervalMs = heartbeat.IntervalMs, TimeoutMs = heartbeat.TimeoutMs },
            TimeoutRatio = heartbeat.TimeoutRatio,
            IsolationAction = heartbeat.IsolationAction,
            Relayed = relayed,
            VoteToken = voteToken,
        });
    }

    /// <summary>Takes a peer-carried renewal token as the renewal of its server (docs/partition-safety.md,
    /// section 3): the MAC must verify under that incarnation's renewal key, the incarnation must hold the
    /// lease unrevoked, and the sequence must be newer than the last relayed one.</summary>
    private async Task<RelayedRenewalResult> RelayAsync(string cluster, string relayer, RelayedRenewal token, CancellationToken cancellationToken)
    {
        var result = new RelayedRenewalResult { Server = token.Server, Incarnation = token.Incarnation, Sequence = token.Sequence };
        var key = HeartbeatKeys.RenewalKey(masterKey.Value, cluster, token.Server, token.Incarnation);
        if (!HeartbeatKeys.VerifyRenewal(key, cluster, token))
        {
            result.Reason = "the token's MAC does not verify";
            LogRelayRefused(cluster, token.Server, relayer, result.Reason);
            return result;
        }

        var outcome = await registry.RenewRelayedAsync(cluster, token.Server, token.Incarnation, token.Sequence, TimeSpan.FromMilliseconds(token.TimeoutMs), cancellationToken);
        result.Accepted = outcome == RenewOutcome.Renewed;
        result.Reason = outcome switch
        {
            RenewOutcome.Renewed => null,
            RenewOutcome.Replayed => "the sequence is not newer than the last relayed one",
            RenewOutcome.Revoked => "the lease was revoked",
            RenewOutcome.Superseded => "a newer incarnation holds the lease",
            _ => "this incarnation does not hold the lease",
        };
        if (!result.Accepted)
        {
            LogRelayRefused(cluster, token.Server, relayer, result.Reason!);
        }

        return result;
    }

    /// <summary>How long a vote token counts after its issue: three heartbeat intervals, the same on both
    /// sides of the protocol. An agent renews every interval and sends back the token of the previous answer,
    /// so a token is first seen about two intervals after the one before it was issued: one interval of slack.</summary>
    public static TimeSpan VoteValidity(int intervalMs) => TimeSpan.FromMilliseconds(Policy.Leases.LeaseTiming.VoteValidityIntervals * (long)Math.Max(1, intervalMs));

    /// <summary>The heartbeat of a cluster from its stored status (the controller keeps the registry's
    /// copy current; this is the fallback before it has reconciled the cluster).</summary>
    public static ClusterHeartbeat HeartbeatOf(Cluster cluster, DateTimeOffset wallNow)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var ratio = cluster.Status?.TimeoutRatio is { } set && (set.Until is null || set.Until > wallNow) ? Math.Max(1, set.Ratio) : 1;
        var heartbeat = cluster.Spec.Heartbeat ?? new HeartbeatSpec();
        return new ClusterHeartbeat(heartbeat.IntervalMs, (int)Math.Min(int.MaxValue, (long)heartbeat.TimeoutMs * ratio), ratio, cluster.Spec.IsolationAction);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Cluster}/{Server} acquired by incarnation {Incarnation} (epoch floor {EpochFloor})")]
    private partial void LogAcquired(string cluster, string server, long incarnation, long epochFloor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relayed renewal of lease {Cluster}/{Server} through {Relayer} refused: {Reason}")]
    private partial void LogRelayRefused(string cluster, string server, string relayer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewal of lease {Cluster}/{Server} by incarnation {Incarnation} refused: {Outcome}")]
    private partial void LogRefused(string cluster, string server, long incarnation, RenewOutcome outcome);
}
