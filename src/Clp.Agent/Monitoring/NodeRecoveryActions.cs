using Clp.Agent.Reconciliation;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Agent.Monitoring;

/// <summary>What monitor recovery does on this server: a restart stops the target resource (or the target
/// group's resources, in reverse dependency order) and lets the next reconcile start it again; a failover
/// request reports the group "Online Failure" at its epoch, which the controller answers with a two-phase
/// failover; final actions that touch the OS go to the system-actions port.</summary>
/// <remarks>The StopGroup final action is a request too: the group is reported "Online Failure" with request
/// Stop, and the controller unplaces it (two-phase, like an operator's group stop); the agent never stops a
/// group the controller keeps placed on it by itself.</remarks>
public sealed partial class NodeRecoveryActions(
    string cluster,
    string server,
    IReadOnlyDictionary<string, IResourceDriver> drivers,
    LocalState local,
    Func<View.ClusterView> view,
    ISystemActions system,
    Action wake,
    ILogger<NodeRecoveryActions> logger) : IRecoveryActions
{
    public async Task RestartAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken)
    {
        var current = view();
        var resources = target.Kind == Core.Model.RecoveryTargetKind.Resource
            ? current.Resources.Values.Where(r => string.Equals(r.Metadata.Name, target.Name, StringComparison.OrdinalIgnoreCase)).ToList()
            : DependencyOrder.StopOrder(current.ResourcesByGroup().GetValueOrDefault(target.Group ?? "") ?? []).ToList();
        foreach (var resource in resources)
        {
            if (!drivers.TryGetValue(resource.Spec.Type, out var driver) || local.Resource(resource.Metadata.Name) is not { } entry)
            {
                continue;
            }

            var context = new ResourceContext(cluster, server, resource.Spec.Group, resource.Metadata.Name, resource.Spec.Type, resource.Spec.Parameters, GroupEvent.Stop, entry.Epoch);
            try
            {
                await driver.DeactivateAsync(context, cancellationToken);
                local.SetResource(resource.Metadata.Name, ObjectState.Offline, entry.Epoch, entry.Generation);
            }
            catch (DriverException e)
            {
                local.SetResource(resource.Metadata.Name, ObjectState.OfflineFailure, entry.Epoch, entry.Generation, e.Message);
            }
        }

        LogRestart(target.Name ?? target.Group ?? "", reason);
        wake();
    }

    public Task RequestFailoverAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken) =>
        Request(target, reason, GroupRequest.Failover);

    private Task Request(RecoveryTarget target, string reason, GroupRequest request)
    {
        foreach (var group in GroupsOf(target))
        {
            var epoch = local.Group(group)?.Epoch ?? view().Groups.GetValueOrDefault(group)?.Status?.Epoch ?? 0;
            local.SetGroup(group, ObjectState.OnlineFailure, epoch, reason, request);
            LogRequest(group, request, reason);
        }

        wake();
        return Task.CompletedTask;
    }

    public Task FinalActionAsync(FinalAction action, RecoveryTarget target, string reason, CancellationToken cancellationToken)
    {
        LogFinalAction(action.ToString(), reason);
        return action switch
        {
            FinalAction.None => Task.CompletedTask,
            FinalAction.StopGroup => Request(target, reason, GroupRequest.Stop),
            FinalAction.StopClusterService => system.StopClusterServiceAsync(reason, cancellationToken),
            FinalAction.StopClusterServiceAndShutdown => system.ShutdownAsync(reason, cancellationToken),
            FinalAction.StopClusterServiceAndReboot => system.RebootAsync(reason, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>The groups a recovery target names; LocalServer and AllGroups mean every group placed here.</summary>
    private IEnumerable<string> GroupsOf(RecoveryTarget target) => target.Kind switch
    {
        Core.Model.RecoveryTargetKind.Resource or Core.Model.RecoveryTargetKind.Group when target.Group is not null => [target.Group],
        _ => view().Groups.Values
            .Where(g => string.Equals(g.Status?.CurrentServer, server, StringComparison.OrdinalIgnoreCase))
            .Select(g => g.Metadata.Name),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: restarting {Target} ({Reason})")]
    private partial void LogRestart(string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: asking the controller for {Request} of group {Group} ({Reason})")]
    private partial void LogRequest(string group, GroupRequest request, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery: final action {Action} ({Reason})")]
    private partial void LogFinalAction(string action, string reason);
}
