using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;

namespace Clp.FenceGuard.Guarding;

/// <summary>One armed deadline: the agent's fence deadline D for a lease incarnation, the budget F, the lease's T,
/// and what to release.</summary>
public sealed record ArmOrder(long Incarnation, Instant FenceAt, TimeSpan Budget, TimeSpan Timeout, IReadOnlyList<GuardGroup> Groups)
{
    public Instant ActAt => GuardTiming.ActAt(FenceAt, Budget);

    public Instant ReleaseBy => GuardTiming.ReleaseBy(FenceAt, Budget);

    /// <summary>The lease age at <paramref name="now"/>: D is send + T − F.</summary>
    public TimeSpan LeaseAge(Instant now) => now - (FenceAt - (Timeout - Budget));
}
