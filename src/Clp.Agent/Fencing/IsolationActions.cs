using Clp.Core.Drivers;
using Clp.Core.Model;

namespace Clp.Agent.Fencing;

/// <summary>Carries out an isolation action (the cluster's <c>isolationAction</c>) through the system-actions
/// port, once the fence has released everything (docs/partition-safety.md, section 4).</summary>
/// <remarks>Not cancellable: the server is isolated, nobody else will ask it to stop. The port's real
/// implementation bounds each command; the test-host power seam records the action and ends the process.</remarks>
public static class IsolationActions
{
    public static Task RunAsync(ISystemActions system, IsolationAction action, string reason) => action switch
    {
        IsolationAction.StopClusterService => system.StopClusterServiceAsync(reason, CancellationToken.None),
        IsolationAction.Shutdown => system.ShutdownAsync(reason, CancellationToken.None),
        IsolationAction.Reboot => system.RebootAsync(reason, CancellationToken.None),

        // StopGroups: the fence was the whole action.
        _ => Task.CompletedTask,
    };
}
