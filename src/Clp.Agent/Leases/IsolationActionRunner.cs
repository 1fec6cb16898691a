using Clp.Core.Model;
using Clp.Policy.Leases;

namespace Clp.Agent.Leases;

/// <summary>The lease keeper's isolation actions (<see cref="IsolationDecision"/> decides which follows a fence): the
/// configured one as the options give it, and carrying one out through the options' runner.</summary>
internal static class IsolationActionRunner
{
    /// <summary>The cluster's action as the agent last listed it; StopGroups (the fence alone, which is what every
    /// action starts with) when it cannot be read.</summary>
    public static IsolationAction Configured(LeaseKeeperOptions options, ILogger logger)
    {
        try
        {
            return options.ConfiguredIsolationAction();
        }
        catch (Exception e)
        {
            LeaseLog.LogIsolationActionUnknown(logger, e.Message);
            return IsolationAction.StopGroups;
        }
    }

    /// <summary>Runs the action after the fence completed; false (logged Critical) when it failed or none is configured.</summary>
    public static async Task<bool> RunAsync(RunIsolationAction isolation, LeaseKeeperOptions options, ILogger logger)
    {
        var (action, order) = (isolation.Action, isolation.Order);
        var age = isolation.LeaseAge is { } a ? $"{a.TotalMilliseconds:F0} ms" : "unknown";
        LeaseLog.LogIsolationAction(logger, action, order.Incarnation);
        try
        {
            if (options.RunIsolationAction is not { } run)
            {
                throw new InvalidOperationException("no isolation action runner is configured");
            }

            await run(action, $"isolated: incarnation {order.Incarnation} fenced at lease age {age} ({order.Reason}); isolation action {action}");
            return true;
        }
        catch (Exception e)
        {
            LeaseLog.LogIsolationActionFailed(logger, e, action);
            return false;
        }
    }
}
