using Clp.Core.Model;

namespace Clp.Policy.Placement;

/// <summary>One group's desired attributes and current placement, as input to a decision.</summary>
/// <param name="Spec">The group's spec: failover policy, startup, failback and exclusive attributes.</param>
/// <param name="Current">The server the group is placed on (<c>status.currentServer</c>), or null.</param>
/// <param name="Epoch">The placement epoch; every write decision carries <c>Epoch + 1</c>.</param>
/// <param name="Reason">The reason of the last placement write (<c>status.reason</c>); an unplaced group
/// whose reason is <see cref="PlacementReasons.ManualStop"/> or
/// <see cref="PlacementReasons.FailoverThresholdReached"/> stays stopped until started.</param>
/// <param name="Drain">The pending first phase of a placement change, as the last
/// <see cref="Unplace"/> returned it.</param>
/// <param name="DrainedOffline">The drain's <see cref="Drain.From"/> server reported the group Offline
/// under an epoch at or above <paramref name="Epoch"/> (from that server's own status).</param>
/// <param name="IssuedBeforeJoin">The placement on <paramref name="Current"/> was written before that
/// server's current agent incarnation joined. DESIGN rule 6 lets an agent activate only under an epoch
/// issued after it joined, so the placement is issued again on the same server (reason
/// <see cref="PlacementReasons.Rejoined"/>); the agent adopts what still runs under the new epoch.</param>
/// <param name="FailoverThreshold">Failovers allowed per count key; null: the number of servers.</param>
public sealed record GroupState(
    string Name,
    GroupSpec Spec,
    string? Current = null,
    long Epoch = 0,
    string? Reason = null,
    Drain? Drain = null,
    bool DrainedOffline = false,
    int? FailoverThreshold = null,
    bool IssuedBeforeJoin = false);
