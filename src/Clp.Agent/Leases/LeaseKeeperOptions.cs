using Clp.Core.Model;

namespace Clp.Agent.Leases;

/// <summary>How the agent keeps its node lease.</summary>
public sealed class LeaseKeeperOptions
{
    /// <summary>The longest stop path of the groups that may run here (the fence budget's floor above 0.2 T);
    /// read at every renewal, so a configuration change takes effect on the next one.</summary>
    /// <value>Default: zero (F = 0.2 T).</value>
    public Func<TimeSpan> LongestStopPath { get; set; } = () => TimeSpan.Zero;

    /// <summary>The first wait before retrying a failed join; doubles up to <see cref="MaxJoinBackoff"/>, with jitter.</summary>
    /// <value>Default 200 ms.</value>
    public TimeSpan JoinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <value>Default 5 s.</value>
    public TimeSpan MaxJoinBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The cluster's heartbeat interval I and timeout T as the agent last saw them (its view of the Cluster),
    /// or null when it has seen none yet. Before its first grant, a join attempt waits for its answer as long as the
    /// answer could still be used (T − F − I after its send, see <see cref="LeaseKeeper"/>); later grants' I and T
    /// come first.</summary>
    /// <value>Default: none known (<see cref="FirstJoinTimeout"/> applies).</value>
    public Func<(TimeSpan Interval, TimeSpan Timeout)?> Heartbeat { get; set; } = () => null;

    /// <summary>How long a join attempt waits for its answer when no heartbeat timing is known yet (neither a
    /// previous grant nor the cluster view has one).</summary>
    /// <value>Default 3 s (CLUSTERPRO's default heartbeat interval). A grant that arrives too late to be used
    /// is refused by the agent and the join is tried again, so a longer wait costs a retry, never safety.</value>
    public TimeSpan FirstJoinTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Makes the incarnation of each join: higher than any this server used before.</summary>
    /// <value>Default: milliseconds of wall-clock time, raised above the previous incarnation if the clock stepped back.</value>
    public Func<long, long>? NextIncarnation { get; set; }

    /// <summary>The renewal tokens of peers to carry with each renewal (LAN heartbeat relay); none by default.</summary>
    public Func<IReadOnlyList<Clp.Core.Model.RelayedRenewal>>? RelaySource { get; set; }

    /// <summary>Asked when the fence timer fires, and every interval after while it says so: whether this
    /// server may keep its resources running without a fresh lease (docs/partition-safety.md, section 4).
    /// None by default: the agent fences.</summary>
    public Func<DeferralDecision>? Deferral { get; set; }

    /// <summary>The cluster's isolation action, read when a fence whose lease ran out has completed
    /// (<see cref="Clp.Policy.Leases.IsolationDecision"/>).</summary>
    /// <value>Default: StopGroups (the fence alone; the agent rejoins).</value>
    public Func<IsolationAction> ConfiguredIsolationAction { get; set; } = () => IsolationAction.StopGroups;

    /// <summary>Carries out an isolation action other than StopGroups, after the fence completed (the agent maps
    /// it to the system-actions port); a failure, or none configured, lets the keeper join again.</summary>
    /// <value>Default: none.</value>
    public Func<IsolationAction, string, Task>? RunIsolationAction { get; set; }
}

/// <summary>Whether to defer the fence, and why (logged).</summary>
public sealed record DeferralDecision(bool Defer, string Reason)
{
    public static DeferralDecision No(string reason) => new(false, reason);
}
