using Clp.Agent.Reconciliation;
using Clp.Core.Drivers;
using Clp.Core.Model;

namespace Clp.Agent.Fencing;

/// <summary>The agent's fence (DESIGN rule 3): cancel steps in flight, stop every group that may run here
/// (groups in parallel, each in reverse dependency order) within the fence budget, and if anything is
/// still held when the budget ends, power the server off through the system-actions port.</summary>
/// <remarks>Failure mode: a driver that ignores cancellation keeps its resource; the escalation to power
/// off is what guarantees release by lease age T, so it must never be skipped.</remarks>
public sealed partial class Fencer(
    string cluster,
    string server,
    IReadOnlyDictionary<string, IResourceDriver> drivers,
    LocalState local,
    Func<IReadOnlyDictionary<string, List<Resource>>> resourcesByGroup,
    ISystemActions system,
    TimeProvider time,
    ILogger<Fencer> logger) : IFence
{
    /// <summary>Cancels the reconciler's steps in flight; called first.</summary>
    public Action? CancelInFlight { get; set; }

    public async Task FenceAsync(string reason, TimeSpan budget, CancellationToken cancellationToken)
    {
        CancelInFlight?.Invoke();
        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(budget, time);
        var groups = resourcesByGroup();
        await Task.WhenAll(groups.Select(g => StopGroupAsync(g.Key, g.Value, deadline.Token)));
        var left = local.MaybeActiveResources();
        var elapsed = time.GetElapsedTime(started);
        if (left.Count > 0)
        {
            LogEscalating(left.Count, string.Join(", ", left), elapsed.TotalMilliseconds);

            // The budget is spent and something may still run: only a power off releases it by age T.
            await system.PowerOffAsync($"fence: {reason}; still held after {elapsed.TotalMilliseconds:F0} ms: {string.Join(", ", left)}", CancellationToken.None);
            return;
        }

        LogFenced(reason, elapsed.TotalMilliseconds);
    }

    private async Task StopGroupAsync(string group, List<Resource> resources, CancellationToken deadline)
    {
        foreach (var resource in DependencyOrder.StopOrder(resources))
        {
            var name = resource.Metadata.Name;
            if (local.Resource(name) is not { } entry || !ObjectStates.MayBeActive(entry.State) || deadline.IsCancellationRequested)
            {
                continue;
            }

            if (!drivers.TryGetValue(resource.Spec.Type, out var driver))
            {
                continue;
            }

            using var step = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            step.CancelAfter(TimeSpan.FromSeconds(resource.Spec.StopTimeoutSeconds));
            try
            {
                local.SetResource(name, ObjectState.OfflinePending, entry.Epoch, entry.Generation);
                var context = new ResourceContext(cluster, server, group, name, resource.Spec.Type, resource.Spec.Parameters, GroupEvent.Stop, entry.Epoch);
                await driver.DeactivateAsync(context, step.Token);
                local.SetResource(name, ObjectState.Offline, entry.Epoch, entry.Generation);
            }
            catch (Exception e) when (e is DriverException or OperationCanceledException)
            {
                local.SetResource(name, ObjectState.OfflineFailure, entry.Epoch, entry.Generation, e.Message);
                LogStopFailed(name, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fenced ({Reason}) in {ElapsedMs} ms")]
    private partial void LogFenced(string reason, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fence budget spent with {Count} resources still held ({Resources}) after {ElapsedMs} ms: powering off")]
    private partial void LogEscalating(int count, string resources, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fence could not stop {Resource}: {Error}")]
    private partial void LogStopFailed(string resource, string error);
}
