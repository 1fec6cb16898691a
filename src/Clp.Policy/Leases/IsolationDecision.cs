using Clp.Core.Model;

namespace Clp.Policy.Leases;

/// <summary>Which action follows a completed fence (docs/partition-safety.md, section 4: "the action on
/// isolation"); the agent's lease keeper carries it out after the fence released everything.</summary>
/// <remarks>Only a fence whose lease ran out is an isolation: the server reached neither the API nor a
/// surviving side, so it is the side CLUSTERPRO's "action at NP occurrence" is for. A 409 proves the API is
/// reachable: the server is healthy, its groups already failed over, and a shutdown or reboot would only take a
/// server away that can take groups again, so it rejoins. A guard release means the agent was frozen, not cut
/// off (it hears the guard's answer after a renewal); a stop is the operator's own action.</remarks>
public static class IsolationDecision
{
    /// <summary>The action to take after a fence of <paramref name="cause"/>, or null when none follows (the
    /// agent rejoins, or is stopping anyway). An undefined value (validation refuses it) falls back to the
    /// fence alone.</summary>
    public static IsolationAction? After(FenceCause cause, IsolationAction configured)
    {
        if (cause != FenceCause.LeaseRanOut)
        {
            return null;
        }

        return Enum.IsDefined(configured) ? configured : IsolationAction.StopGroups;
    }

    /// <summary>Whether the agent joins again after the fence: not when the action takes the cluster service
    /// or the machine down (a rejoin could be placed groups the going-down server would then drop).</summary>
    public static bool Rejoins(IsolationAction? action) => action is null or IsolationAction.StopGroups;
}
