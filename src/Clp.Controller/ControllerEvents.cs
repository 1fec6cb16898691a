using System.Security.Cryptography;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller;

/// <summary>The alert-log entries of module <c>ctl</c> (the controller and the lease protocol); the
/// table of ids is in docs/architecture.md.</summary>
public static class ControllerEvents
{
    public const string Module = "ctl";

    /// <summary>A group was placed on a server (start, phase two of a move, failback, re-issue).</summary>
    public const int GroupPlaced = 101;

    /// <summary>A group was unplaced: phase one of a stop or move (its server releases it).</summary>
    public const int GroupReleasing = 102;

    /// <summary>A group failed over to another server.</summary>
    public const int GroupFailedOver = 103;

    /// <summary>A group lost its server and has none to go to.</summary>
    public const int GroupWithoutServer = 104;

    /// <summary>A server was judged down (no renewal received for T + M).</summary>
    public const int ServerDown = 110;

    /// <summary>A node lease was revoked.</summary>
    public const int LeaseRevoked = 111;

    /// <summary>An agent joined: it acquired its server's lease.</summary>
    public const int ServerJoined = 112;

    /// <summary>A new incarnation took a held lease over (agent restart; no failover).</summary>
    public const int LeaseTakenOver = 113;

    /// <summary>A silent server was not judged down: no quorum to fail it over (docs/partition-safety.md).</summary>
    public const int ServerUnreachable = 114;

    /// <summary>The cluster's phase changed.</summary>
    public const int ClusterPhaseChanged = 120;

    /// <summary>A timeout ratio was set, reset or ended.</summary>
    public const int TimeoutRatioChanged = 121;

    /// <summary>A server left the cluster (ServerStop) or returned (ServerReturn).</summary>
    public const int ServerMembershipChanged = 122;

    public const int OperationSucceeded = 130;

    public const int OperationFailed = 131;

    /// <summary>Creates one event in <paramref name="tx"/>.</summary>
    public static Task CreateAsync(
        IStoreTransaction tx, string clusterKey, DateTimeOffset now, int eventId, EventSeverity severity, string message,
        ObjectReference? about, string? server)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var name = $"ev-{now.UtcDateTime:yyyyMMddHHmmssfff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var value = new Event
        {
            Kind = Kinds.Event.Kind,
            Metadata = new ObjectMeta { Name = name },
            Spec = new EventSpec
            {
                Module = Module,
                EventId = eventId,
                Severity = severity,
                Message = message.Length > 4096 ? message[..4096] : message,
                Object = about,
                Server = server,
                Time = now,
            },
        };
        return tx.CreateAsync(new ObjectKey(Kinds.Event.Kind, clusterKey, name), value.ToJson());
    }

    public static ObjectReference About(string kind, string name) => new() { Kind = kind, Name = name };
}
