using Clp.Core.Model;
using Clp.Policy.Leases;

namespace Clp.Policy.Tests.Leases;

/// <summary>Which action follows a fence: one row per cause and configured action.</summary>
public class IsolationDecisionTests
{
    public static TheoryData<FenceCause, IsolationAction, IsolationAction?, bool> Rows()
    {
        var rows = new TheoryData<FenceCause, IsolationAction, IsolationAction?, bool>();
        foreach (var action in Enum.GetValues<IsolationAction>())
        {
            // Isolated (the lease ran out, no deferral): the configured action; only StopGroups rejoins.
            rows.Add(FenceCause.LeaseRanOut, action, action, action == IsolationAction.StopGroups);

            // Not isolated: no action, the agent rejoins (Leaving: it is stopping anyway).
            rows.Add(FenceCause.Revoked, action, null, true);
            rows.Add(FenceCause.GuardReleased, action, null, true);
            rows.Add(FenceCause.Leaving, action, null, true);
        }

        // An undefined value (validation refuses it) is the fence alone.
        rows.Add(FenceCause.LeaseRanOut, (IsolationAction)99, IsolationAction.StopGroups, true);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void After_FollowsOnlyAnIsolationFence(FenceCause cause, IsolationAction configured, IsolationAction? expected, bool rejoins)
    {
        var action = IsolationDecision.After(cause, configured);
        Assert.Equal(expected, action);
        Assert.Equal(rejoins, IsolationDecision.Rejoins(action));
    }
}
