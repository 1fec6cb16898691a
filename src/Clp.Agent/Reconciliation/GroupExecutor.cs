using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Agent.Reconciliation;

/// <summary>Carries out one group's plan with the resource drivers: stops in reverse dependency order,
/// restarts changed resources, starts in dependency order, each step bounded by its timeout and started
/// only under a fresh lease (rule 4); failures go through the activation and deactivation recovery state
/// machines (retry here, then ask for a failover, then the final action). Every state change is recorded
/// in <see cref="LocalState"/>, the source of this server's status.</summary>
public sealed partial class GroupExecutor(
    string cluster,
    string server,
    IReadOnlyDictionary<string, IResourceDriver> drivers,
    LocalState local,
    Func<TimeSpan, bool> canStartStep,
    TimeProvider time,
    ILogger<GroupExecutor> logger)
{
    private readonly Dictionary<string, ActivationRecoveryState> _activation = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DeactivationRecoveryState> _deactivation = new(StringComparer.OrdinalIgnoreCase);

    public async Task<PlanOutcome> ExecuteAsync(GroupPlan plan, GroupEvent reason, CancellationToken cancellationToken)
    {
        foreach (var resource in plan.Deactivate)
        {
            var outcome = await StopAsync(plan, resource, reason, cancellationToken);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        foreach (var resource in plan.Restart)
        {
            var outcome = await StopAsync(plan, resource, reason, cancellationToken) ?? await StartAsync(plan, resource, reason, cancellationToken);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        foreach (var resource in plan.Activate)
        {
            var outcome = await StartAsync(plan, resource, reason, cancellationToken);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        local.SetGroup(plan.Group, plan.PlacedHere ? ObjectState.Online : ObjectState.Offline, plan.Epoch);
        return PlanOutcome.Converged;
    }

    private async Task<PlanOutcome?> StartAsync(GroupPlan plan, Resource resource, GroupEvent reason, CancellationToken cancellationToken)
    {
        var name = resource.Metadata.Name;
        var timeout = TimeSpan.FromSeconds(resource.Spec.StartTimeoutSeconds);
        if (!canStartStep(timeout))
        {
            // Rule 4: the step could outlive the lease. Wait for a fresher one (or the fence).
            return new PlanOutcome(PlanOutcomeKind.Deferred, name, "the lease is not fresh enough to start a step of this length");
        }

        local.SetResource(name, ObjectState.OnlinePending, plan.Epoch, resource.Metadata.Generation);
        var error = await RunAsync(resource, plan, reason, timeout, activate: true, cancellationToken);
        if (error is null)
        {
            local.SetResource(name, ObjectState.Online, plan.Epoch, resource.Metadata.Generation);
            _activation[name] = (_activation.GetValueOrDefault(name) ?? ActivationRecoveryState.Initial).OnSuccess();
            return null;
        }

        local.SetResource(name, ObjectState.OnlineFailure, plan.Epoch, resource.Metadata.Generation, error);
        var recovery = (_activation.GetValueOrDefault(name) ?? ActivationRecoveryState.Initial).OnFailure(resource.Spec.Activation, plan.Group);
        _activation[name] = recovery.Next;
        LogStepFailed("activate", name, error, recovery.Step.Kind.ToString());
        return recovery.Step.Kind switch
        {
            RecoveryStepKind.Retry => new PlanOutcome(PlanOutcomeKind.Failed, name, error),
            RecoveryStepKind.Failover => new PlanOutcome(PlanOutcomeKind.FailoverRequested, name, error),
            RecoveryStepKind.FinalAction => new PlanOutcome(PlanOutcomeKind.FinalAction, name, error, recovery.Step.FinalAction),
            _ => new PlanOutcome(PlanOutcomeKind.Failed, name, error),
        };
    }

    private async Task<PlanOutcome?> StopAsync(GroupPlan plan, Resource resource, GroupEvent reason, CancellationToken cancellationToken)
    {
        var name = resource.Metadata.Name;
        var timeout = TimeSpan.FromSeconds(resource.Spec.StopTimeoutSeconds);
        local.SetResource(name, ObjectState.OfflinePending, plan.Epoch, resource.Metadata.Generation);
        var error = await RunAsync(resource, plan, reason, timeout, activate: false, cancellationToken);
        if (error is null)
        {
            local.SetResource(name, ObjectState.Offline, plan.Epoch, resource.Metadata.Generation);
            _deactivation.Remove(name);
            return null;
        }

        local.SetResource(name, ObjectState.OfflineFailure, plan.Epoch, resource.Metadata.Generation, error);
        var recovery = (_deactivation.GetValueOrDefault(name) ?? DeactivationRecoveryState.Initial).OnFailure(resource.Spec.Deactivation);
        _deactivation[name] = recovery.Next;
        LogStepFailed("deactivate", name, error, recovery.Step.Kind.ToString());
        return recovery.Step.Kind == RecoveryStepKind.FinalAction
            ? new PlanOutcome(PlanOutcomeKind.FinalAction, name, error, recovery.Step.FinalAction)
            : new PlanOutcome(PlanOutcomeKind.Failed, name, error);
    }

    /// <summary>Runs one driver call bounded by <paramref name="timeout"/>; null on success, else the error.
    /// A timed-out step has failed (STYLE 12): it is reported as a timeout, never as a cancellation.</summary>
    private async Task<string?> RunAsync(Resource resource, GroupPlan plan, GroupEvent reason, TimeSpan timeout, bool activate, CancellationToken cancellationToken)
    {
        if (!drivers.TryGetValue(resource.Spec.Type, out var driver))
        {
            return $"no driver for type '{resource.Spec.Type}' on this server";
        }

        var context = new ResourceContext(cluster, server, plan.Group, resource.Metadata.Name, resource.Spec.Type, resource.Spec.Parameters, reason, plan.Epoch);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            if (activate)
            {
                await driver.ActivateAsync(context, linked.Token);
            }
            else
            {
                await driver.DeactivateAsync(context, linked.Token);
            }

            return null;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"{(activate ? "activation" : "deactivation")} timed out after {timeout.TotalSeconds:F0} s";
        }
        catch (DriverException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed to {Step} {Resource}: {Error}; recovery: {Recovery}")]
    private partial void LogStepFailed(string step, string resource, string error, string recovery);
}
