using Clp.Core.Drivers;
using Clp.FenceGuard.Protocol;

namespace Clp.FenceGuard.Guarding;

/// <summary>Releases what a server may run, without its agent: every group in parallel, each group's resources
/// in the stop order the agent sent, through the real drivers, and reports what is still held.</summary>
/// <remarks>"Released" means the driver's probe says the resource is not active after the deactivation (or the
/// deactivation succeeded and the probe agrees): a failed deactivation whose resource is gone (a live agent
/// released it at the same time) counts as released, and a deactivation that claims success while the probe still
/// sees the resource counts as held. A resource whose type this guard has no driver for is held (it cannot be
/// released here). Each step is bounded by the resource's stop timeout and by the whole budget.</remarks>
public sealed partial class ServerRelease(
    string cluster,
    string server,
    IReadOnlyDictionary<string, IResourceDriver> drivers,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Releases every group; returns the names still held (empty = all released). Ends when every group
    /// finished or when <paramref name="deadline"/> is cancelled, whichever is first.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(IReadOnlyList<GuardGroup> groups, CancellationToken deadline)
    {
        var released = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = groups.SelectMany(g => g.Resources.Select(r => r.Name)).ToList();
        var work = Task.WhenAll(groups.Select(g => ReleaseGroupAsync(g, released, deadline)));
        var budgetOver = new TaskCompletionSource();
        await using (deadline.Register(() => budgetOver.TrySetResult()))
        {
            // A driver that ignores cancellation must not hold the escalation back: at the deadline, whatever is
            // not confirmed released is held.
            await Task.WhenAny(work, budgetOver.Task);
        }

        lock (released)
        {
            return [.. all.Where(name => !released.Contains(name))];
        }
    }

    private async Task ReleaseGroupAsync(GuardGroup group, HashSet<string> released, CancellationToken deadline)
    {
        await Task.Yield();
        foreach (var resource in group.Resources)
        {
            if (deadline.IsCancellationRequested)
            {
                return;
            }

            if (!drivers.TryGetValue(resource.Type, out var driver))
            {
                LogNoDriver(resource.Name, resource.Type);
                continue;
            }

            var context = new ResourceContext(cluster, server, group.Name, resource.Name, resource.Type, resource.Parameters, GroupEvent.Stop, resource.Epoch);
            using var stepTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, resource.StopTimeoutSeconds)), time);
            using var step = CancellationTokenSource.CreateLinkedTokenSource(deadline, stepTimeout.Token);
            string? error = null;
            try
            {
                await driver.DeactivateAsync(context, step.Token);
            }
            catch (Exception e) when (e is DriverException or OperationCanceledException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                error = e is OperationCanceledException ? "cut short by its stop timeout or the fence budget" : e.Message;
            }

            // The probe is bounded by the budget only: a step cut short by its own stop timeout may still have released.
            if (await IsGoneAsync(driver, context, deadline))
            {
                lock (released)
                {
                    released.Add(resource.Name);
                }

                LogReleased(group.Name, resource.Name, error ?? "deactivated");
            }
            else
            {
                LogStillHeld(group.Name, resource.Name, error ?? "the probe still sees it");
            }
        }
    }

    /// <summary>Whether the probe says the resource is not active; a probe that fails or is cut short errs held.</summary>
    private async Task<bool> IsGoneAsync(IResourceDriver driver, ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            return !(await driver.ProbeAsync(context, cancellationToken)).Healthy;
        }
        catch (Exception e) when (e is DriverException or OperationCanceledException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Group}/{Resource} ({Outcome})")]
    private partial void LogReleased(string group, string resource, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Still held: {Group}/{Resource} ({Reason})")]
    private partial void LogStillHeld(string group, string resource, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "No driver for {Resource} of type {Type}: it counts as held")]
    private partial void LogNoDriver(string resource, string type);
}
